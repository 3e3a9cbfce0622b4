#pragma once
// What a running training tells its clients (the CLI's progress bar, the GUI's live curves).
// Plain structs: no LibTorch, no Qt. Events arrive on the training thread; a GUI hands them to
// its own thread (a queued signal) before touching widgets.
#include <string>
#include <variant>
#include <vector>

namespace cassava {

struct RunStarted {
    std::string runDir;
    int folds = 1;              // folds that will be trained in this run
    int epochs = 0;
    int batchesPerEpoch = 0;    // of the first fold
    std::string device;         // "cpu (2 threads)", "cuda:0 (NVIDIA H200)"
    std::string amp;            // "off", "fp16", "bf16"
    int resumedFromEpoch = -1;  // >= 0 when continuing a run
};

struct StepProgress {
    int fold = 0;
    int epoch = 0;              // 0-based
    int batch = 0;              // 1-based: batches done in this epoch
    int batchesPerEpoch = 0;
    double loss = 0;            // mean over the steps since the last report
    double lr = 0;
    double imagesPerSecond = 0;
    double etaSeconds = 0;      // for the whole run
};

struct EpochFinished {
    int fold = 0;
    int epoch = 0;
    double trainLoss = 0;
    double valLoss = 0;
    double valAccuracy = 0;
    double lr = 0;
    double imagesPerSecond = 0;
    double seconds = 0;
    bool best = false;
    int skippedImages = 0;      // unreadable images left out in this epoch
};

struct FoldFinished {
    int fold = 0;
    int bestEpoch = 0;
    double bestValLoss = 0;
    double bestValAccuracy = 0;
    bool stoppedEarly = false;
};

struct RunMessage {
    enum class Level { Info, Warning, Error } level = Level::Info;
    std::string text;           // "train_images/7.jpg: truncated JPEG; left out"
};

struct RunFinished {
    bool completed = false;     // all folds trained
    bool cancelled = false;
    std::string error;          // set when the run failed
    double oofAccuracy = -1;    // over the folds trained, when k-fold
    std::vector<double> perClassAccuracy;
    double seconds = 0;
};

using TrainEvent = std::variant<RunStarted, StepProgress, EpochFinished, FoldFinished, RunMessage, RunFinished>;

}  // namespace cassava
