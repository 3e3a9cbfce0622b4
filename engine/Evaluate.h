#pragma once
// Running a network over a loader's batches in evaluation mode: class probabilities per image,
// batched, under the chosen precision. Shared by validation, `cassava evaluate` and prediction.
#include "Amp.h"
#include "EfficientNet.h"
#include "Loader.h"
#include "Metrics.h"

#include <atomic>
#include <string>
#include <vector>

namespace cassava {

struct Predictions {
    int classes = 0;
    std::vector<float> probabilities;  // row-major, one row of `classes` per image
    std::vector<int> labels;           // the loader's labels
    std::vector<int> indices;          // LoaderItem::index of each row
    std::vector<std::string> errors;   // images that could not be read
    bool cancelled = false;

    size_t count() const { return labels.size(); }
    ConfusionMatrix confusion() const;
    double accuracy() const { return confusion().accuracy(); }
    double loss() const { return crossEntropy(probabilities, labels, classes); }
};

Predictions predict(EfficientNet& net, Loader& loader, const ComputeSetup& compute,
                    const std::atomic<bool>* cancel = nullptr);

// Recomputes every BatchNorm's running mean and variance for the current weights as the exact
// average over the loader's images, with the rest of the network in evaluation mode (no dropout,
// no stochastic depth), as pycls' "precise BN" does. Returns the images used.
int calibrateBatchNorm(EfficientNet& net, Loader& loader, const ComputeSetup& compute,
                       const std::atomic<bool>* cancel = nullptr);

// (N, 3, S, S) float tensor on `device` (channels-last when asked) from a batch's buffer.
torch::Tensor batchImages(Batch& batch, const torch::Device& device, bool channelsLast);

}  // namespace cassava
