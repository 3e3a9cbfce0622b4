#pragma once
// Our model file: the weights plus everything needed to use them (variant, classes, input size,
// normalization) and, when it comes from a training run, the run's configuration and metrics.
//
// Format: a zip written by torch::pickle_save, the format of Python's torch.save, holding one dict
//   {"format": "cassava-efficientnet-checkpoint", "format_version": 1,
//    "metadata": "<JSON text, see CheckpointMetadata::toJson>",
//    "state_dict": {"features.0.0.weight": Tensor, ...}}   (torchvision's names, NCHW, CPU)
// so that Python reads it with plain torch.load(path) and the state_dict loads into torchvision's
// efficientnet_bN. The zip's CRC-32 checksums catch damaged files. Writes go through
// writeFileAtomically: an interrupted write leaves the previous file.
//
// This header does not include LibTorch; the network type is only declared.
#include "Architecture.h"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace cassava {

class EfficientNet;

struct CheckpointMetadata {
    std::string variant = "b0";
    int numClasses = 5;
    int inputSize = 224;  // side of the square input the weights were trained for
    std::array<double, 3> mean = {kImageNetMean[0], kImageNetMean[1], kImageNetMean[2]};
    std::array<double, 3> stdDev = {kImageNetStd[0], kImageNetStd[1], kImageNetStd[2]};
    std::vector<std::string> classNames;  // empty or numClasses names, in label order
    double dropConnect = 0.2;
    double dropout = 0.2;
    std::string source;     // "imported from x.pth (torchvision)", "trained in runs/2024-..."
    std::string createdAt;  // ISO 8601 UTC; filled in by writeCheckpoint when empty
    nlohmann::json training = nlohmann::json::object();  // the run's configuration
    nlohmann::json metrics = nlohmann::json::object();   // e.g. {"val_accuracy": 0.87}

    // Defaults of a variant: its resolution and dropout, ImageNet normalization, and the five
    // cassava class names when numClasses is 5.
    static CheckpointMetadata forVariant(const std::string& variant, int numClasses);

    EfficientNetOptions networkOptions() const;
    nlohmann::json toJson() const;
    // Throws std::runtime_error naming the first bad field ("num_classes: must be at least 1").
    static CheckpointMetadata fromJson(const nlohmann::json& json);
};

extern const char* const kCheckpointFormat;  // "cassava-efficientnet-checkpoint"
constexpr int kCheckpointFormatVersion = 1;

// Throws std::runtime_error naming the path when the file cannot be written (the old file, if any,
// is left as it was), std::invalid_argument when the metadata does not describe `net`.
void writeCheckpoint(const std::string& path, const EfficientNet& net, CheckpointMetadata metadata);

struct CheckpointLoadOptions {
    std::string expectedVariant;  // "b3": a checkpoint of another variant is an error
    bool channelsLast = false;
};

// Both throw std::runtime_error with a one-line message that starts with the path: a missing,
// truncated, damaged or foreign file, a checkpoint of another variant, weights that do not fit.
// Both read (and checksum) the whole file. The network comes back on the CPU, in eval mode.
CheckpointMetadata readCheckpointMetadata(const std::string& path);
EfficientNet loadCheckpoint(const std::string& path, CheckpointMetadata* metadata = nullptr,
                            const CheckpointLoadOptions& options = {});

}  // namespace cassava
