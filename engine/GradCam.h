#pragma once
// Grad-CAM (Selvaraju et al., 2017): where a convolutional classifier looked for a class. The
// gradient of the class score with respect to the last feature map, averaged over space, weighs
// the map's channels; their weighted sum, clipped at zero, is the heatmap.
#include "EfficientNet.h"

#include <vector>

namespace cassava {

// `featureMap` (1, C, h, w) must be part of the graph that computed `score` (a scalar).
// Returns an (h, w) float CPU tensor scaled to [0, 1] (all zeros when nothing is positive).
torch::Tensor gradCam(const torch::Tensor& featureMap, const torch::Tensor& score);

// The network's heatmap for class `target` on one normalized image (1, 3, H, W), computed in
// float32 with the network in evaluation mode.
torch::Tensor gradCam(EfficientNet& net, const torch::Tensor& image, int target);
// The heatmaps of several classes from one forward pass of the backbone (the Review view shows the
// given and the suggested class side by side): one map per target, as gradCam() gives each.
std::vector<torch::Tensor> gradCams(EfficientNet& net, const torch::Tensor& image, const std::vector<int>& targets);

}  // namespace cassava
