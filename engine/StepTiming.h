#pragma once
// How long a run will take, from a measurement on this machine: the configured network on the
// configured device takes a few real training steps (forward, backward, optimizer step) on random
// images, after a warm-up step that pays for allocations and kernel selection. The wizard turns
// seconds per step into an estimate for the whole run. Also what the wizard needs to know about
// networks without building them. No LibTorch here.
#include "TrainConfig.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace cassava {

struct StepTiming {
    double secondsPerStep = 0;  // mean over the timed steps
    int steps = 0;              // timed steps (the warm-up not counted)
    std::string device;         // "cpu (4 threads)", "cuda:0"
    bool cancelled = false;
};

// Builds config.model for `numClasses` with config's drop rates, memory format, device and AMP
// (fresh weights: initial weights do not change the cost of a step) and times `steps` steps of
// config.batch random images of config.size^2. Uses the process' torch threads as they are set.
// `cancel` is checked between steps. Throws std::invalid_argument for an impossible device or
// precision (as the Trainer would), std::runtime_error when torch fails (out of memory, say).
StepTiming measureTrainingStep(const TrainConfig& config, int numClasses = 5, int steps = 3,
                               const std::atomic<bool>* cancel = nullptr);

// Learnable parameters of EfficientNet `variant` with a `numClasses` head, counted from the
// architecture tables (models/Architecture.h) without building the network.
int64_t efficientNetParameterCount(const std::string& variant, int numClasses = 5);
// The same count from a built network (slow for large variants; what the tables are checked against).
int64_t builtEfficientNetParameterCount(const std::string& variant, int numClasses = 5);

// Whether this LibTorch sees a CUDA GPU (device "cuda" can be offered).
bool cudaDeviceAvailable();

}  // namespace cassava
