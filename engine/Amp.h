#pragma once
// Devices and mixed precision for training and inference. LibTorch's C++ API has no GradScaler
// and no autocast context manager; these are the two pieces of torch.cuda.amp we need:
// an RAII autocast scope and dynamic loss scaling (scale, skip a step whose gradients overflowed,
// halve the scale then; double it after 2000 clean steps), as Python's GradScaler does.
#include "TorchInclude.h"

#include <string>

namespace cassava {

enum class Precision { Float32, Float16, BFloat16 };

struct ComputeSetup {
    torch::Device device = torch::kCPU;
    Precision precision = Precision::Float32;
    std::string description;  // "cpu (2 threads)", "cuda:0 (NVIDIA H200)"
};

// device: auto | cpu | cuda; amp: auto | off | fp16 | bf16. Throws std::invalid_argument with a
// user message for an impossible pair (cuda without a GPU, fp16 on the CPU).
ComputeSetup chooseCompute(const std::string& device, const std::string& amp);
const char* precisionName(Precision p);

// Autocast on for the scope (forward passes only), restoring the previous state after.
class AutocastScope {
public:
    AutocastScope(const ComputeSetup& setup);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
    bool cuda_ = false;
    bool previous_ = false;
};

class GradScaler {
public:
    explicit GradScaler(bool enabled, double initialScale = 65536.0, int growthInterval = 2000)
        : enabled_(enabled), scale_(initialScale), growthInterval_(growthInterval)
    {
    }

    bool enabled() const { return enabled_; }
    double scale() const { return scale_; }
    torch::Tensor scaleLoss(const torch::Tensor& loss) const { return enabled_ ? loss * scale_ : loss; }

    // Divides the gradients by the scale; true when all are finite (the step may be taken).
    bool unscale(const std::vector<torch::Tensor>& parameters);
    // After a step (or a skipped one): halve on overflow, grow after growthInterval clean steps.
    void update(bool stepWasFinite);

    // For resume.
    int growthTracker() const { return growthTracker_; }
    void restore(double scale, int growthTracker)
    {
        scale_ = scale;
        growthTracker_ = growthTracker;
    }

private:
    bool enabled_;
    double scale_;
    int growthInterval_;
    int growthTracker_ = 0;
};

}  // namespace cassava
