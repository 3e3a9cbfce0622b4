#pragma once
// The training engine: k-fold or hold-out training of an EfficientNet on a dataset, writing a run
// directory (RunDir.h). The CLI and the GUI are two clients of this class.
//   - run() trains on the calling thread; start() on a worker thread, then wait().
//   - cancel() is thread-safe and takes effect within one batch; the fold's last.ckpt stays usable.
//   - events (TrainEvents.h) arrive on the training thread through the listener.
//   - resume(RUN) continues a killed or cancelled run from its last complete epoch, with the same
//     result as an uninterrupted run for the same seed on the CPU.
// No LibTorch in this header.
#include "TrainConfig.h"
#include "TrainEvents.h"

#include <functional>
#include <memory>
#include <string>

namespace cassava {

class Trainer {
public:
    using Listener = std::function<void(const TrainEvent&)>;

    explicit Trainer(TrainConfig config, Listener listener = {});
    // Reads RUN/config.json; throws std::runtime_error naming the file when it is absent or bad.
    static std::unique_ptr<Trainer> resume(const std::string& runDir, Listener listener = {});
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    RunFinished run();
    void start();
    RunFinished wait();
    bool running() const;
    void cancel();

    const TrainConfig& config() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cassava
