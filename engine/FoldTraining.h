#pragma once
// One fold of a run: epochs of training with validation, checkpoints, the fold's out-of-fold
// predictions, and the resume file that makes a killed run continue exactly where it stood.
#include "Amp.h"
#include "Dataset.h"
#include "ImageCache.h"
#include "RunDir.h"
#include "TrainConfig.h"
#include "TrainEvents.h"
#include "TrainingSet.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

namespace cassava {

struct RunProgress {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    int64_t stepsDone = 0;     // training steps taken in this process
    int64_t stepsLeft = 0;     // training steps still to take in the run
    double stepSeconds = 0;    // smoothed seconds per step
};

struct FoldJob {
    const TrainConfig& config;
    const RunDir& run;
    const Dataset& dataset;
    const TrainingSet& set;
    int fold = 0;
    std::shared_ptr<ImageCache> cache;
    const ComputeSetup& compute;
    const std::function<void(const TrainEvent&)>& emit;
    const std::atomic<bool>& cancel;
    RunProgress& progress;
};

struct FoldResult {
    bool done = false;        // all epochs (or early stop) complete
    bool cancelled = false;
    FoldFinished summary;
    int skippedImages = 0;
};

FoldResult trainFold(FoldJob& job);

// Epochs already complete for a fold, from its resume file (0 when there is none); -1 when the
// fold is finished.
int completedEpochs(const RunDir& run, int fold);

}  // namespace cassava
