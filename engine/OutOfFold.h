#pragma once
// Out-of-fold re-scoring with test-time augmentation, as recipe B's notebook does before it flags
// suspect labels: each fold's validation images are predicted again, under N TTA runs, by that
// fold's best model only, so every image is scored by a model that never trained on it. Shared by
// `cassava denoise --tta N` and the Review view. No LibTorch in this header.
#include "Dataset.h"
#include "Denoise.h"
#include "Predictor.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace cassava {

struct RescoreProgress {
    size_t done = 0, total = 0;
    int fold = 0;
};

struct RescoreResult {
    bool cancelled = false;
    // "train_images/x.jpg: ...; its single-view probabilities are used", one per row kept as it was.
    std::vector<std::string> warnings;
};

// Replaces `table`'s probabilities with the mean over `options.views.runs` TTA runs and sets
// table.runs. Rows the dataset lacks or whose photo cannot be read keep their probabilities (a
// warning each). On cancel (checked between batches) `table` is left as it was. Throws
// std::runtime_error when a fold has no model (Predictor::fromRun's message).
RescoreResult rescoreOutOfFold(const std::string& run, const Dataset& dataset, ProbabilityTable& table,
                               const PredictorOptions& options,
                               const std::function<void(const RescoreProgress&)>& progress = {},
                               const std::atomic<bool>* cancel = nullptr);

}  // namespace cassava
