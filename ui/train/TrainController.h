#pragma once
// Runs one training in-process for the GUI: the engine's Trainer on its own thread, its events
// handed to the GUI thread (queued) as signals, and the run's curves gathered in a RunHistory
// that the plots read. A resumed run's history starts from its metrics.jsonl, so the curves
// show the epochs trained before the interruption too.
#include "RunHistory.h"
#include "TrainConfig.h"
#include "TrainEvents.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace cassava {
class Trainer;
}

namespace cassava::ui {

class TrainController : public QObject {
    Q_OBJECT
public:
    explicit TrainController(QObject* parent = nullptr);
    ~TrainController() override;  // cancels a running training and waits for it (within a batch)

    // False (and `error` set) when a training is already running or the run cannot be opened.
    bool start(const TrainConfig& config, QString* error = nullptr);
    bool resume(const QString& runDir, QString* error = nullptr);
    void cancel();  // takes effect within one batch; the fold's last.ckpt stays usable

    bool isRunning() const { return trainer_ != nullptr; }
    bool cancelRequested() const { return cancelRequested_; }
    QString runDir() const { return runDir_; }  // the current or last run
    const RunHistory& history() const { return history_; }

    // The last events, for a dashboard opened mid-run.
    const RunStarted& lastStarted() const { return started_; }
    const StepProgress& lastStep() const { return step_; }
    int foldsFinished() const { return foldsFinished_; }
    // Every message of the current or last run, including those before runStarted (a weights
    // download, the dataset's problems).
    const std::vector<RunMessage>& messages() const { return messages_; }
    // Share of the run's steps done, 0..1 (resumed epochs count as done).
    double progress() const;

signals:
    void runStarted(const cassava::RunStarted& event);
    void stepProgress(const cassava::StepProgress& event);
    void epochFinished(const cassava::EpochFinished& event);
    void foldFinished(const cassava::FoldFinished& event);
    void message(const cassava::RunMessage& event);
    void runFinished(const cassava::RunFinished& event);
    void historyChanged();
    void runningChanged(bool running);

private:
    std::function<void(const TrainEvent&)> listener();
    bool launch(std::unique_ptr<Trainer> trainer, const QString& runDir);
    void handle(const TrainEvent& event);  // on the GUI thread

    std::unique_ptr<Trainer> trainer_;
    QString runDir_;
    RunHistory history_;
    RunStarted started_;
    StepProgress step_;
    int foldsFinished_ = 0;
    std::vector<RunMessage> messages_;
    bool cancelRequested_ = false;
};

}  // namespace cassava::ui
