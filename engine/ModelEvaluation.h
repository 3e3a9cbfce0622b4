#pragma once
// `cassava evaluate`: a checkpoint's accuracy, per-class accuracy and confusion matrix on a
// dataset's valid images, with the checkpoint's own input size and normalization.
// No LibTorch in this header.
#include "Metrics.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace cassava {

struct EvaluateOptions {
    std::string device = "auto";
    std::string amp = "off";
    int batch = 32;
    int workers = 0;
    int limit = 0;  // first N images only (0: all)
};

struct EvaluationReport {
    std::string checkpoint;
    std::string data;
    std::vector<std::string> classNames;
    ConfusionMatrix confusion;
    double loss = 0;
    std::vector<std::string> errors;  // unreadable images, left out

    std::string toText() const;
    nlohmann::json toJson() const;
};

// Throws std::runtime_error with a message for the user (unreadable checkpoint, unusable dataset,
// a dataset whose classes differ from the model's).
EvaluationReport evaluateModel(const std::string& checkpoint, const std::string& data, const EvaluateOptions& options);

}  // namespace cassava
