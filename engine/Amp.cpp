#include "Amp.h"

#include "MallocPolicy.h"
#include "TorchThreads.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <cstdlib>
#include <stdexcept>

namespace cassava {

const char* precisionName(Precision p)
{
    switch (p) {
    case Precision::Float32: return "off";
    case Precision::Float16: return "fp16";
    case Precision::BFloat16: return "bf16";
    }
    return "off";
}

ComputeSetup chooseCompute(const std::string& device, const std::string& amp)
{
    ComputeSetup s;
    const bool cudaAvailable = torch::cuda::is_available();
    if (device == "cuda" && !cudaAvailable)
        throw std::invalid_argument("device cuda: no CUDA GPU is available to this LibTorch");
    const bool cuda = device == "cuda" || (device == "auto" && cudaAvailable);
    s.device = cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);

    if (amp == "fp16" || (amp == "auto" && cuda))
        s.precision = Precision::Float16;
    else if (amp == "bf16")
        s.precision = Precision::BFloat16;
    if (!cuda && s.precision == Precision::Float16)
        throw std::invalid_argument("amp fp16: half precision training needs a CUDA GPU; use bf16 or off on the CPU");

    if (cuda) {
        s.description = "cuda:0";
    } else {
        s.description = "cpu (" + std::to_string(at::get_num_threads()) + " threads";
        if (const char* spin = std::getenv("GOMP_SPINCOUNT"))
            s.description += std::string(", spin ") + spin;
        else if (const char* policy = std::getenv("OMP_WAIT_POLICY"))
            s.description += std::string(", ") + policy;
        if (const std::string allocator = mallocPolicyDescription(); !allocator.empty())
            s.description += ", " + allocator;
        s.description += ")";
    }
    return s;
}

AutocastScope::AutocastScope(const ComputeSetup& setup)
{
    if (setup.precision == Precision::Float32)
        return;
    active_ = true;
    cuda_ = setup.device.is_cuda();
    const at::ScalarType dtype = setup.precision == Precision::Float16 ? at::kHalf : at::kBFloat16;
#if TORCH_VERSION_MAJOR * 100 + TORCH_VERSION_MINOR >= 204  // the device-generic autocast API
    const auto type = cuda_ ? at::kCUDA : at::kCPU;
    previous_ = at::autocast::is_autocast_enabled(type);
    at::autocast::set_autocast_dtype(type, dtype);
    at::autocast::set_autocast_enabled(type, true);
#else
    if (cuda_) {
        previous_ = at::autocast::is_enabled();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
    } else {
        previous_ = at::autocast::is_cpu_enabled();
        at::autocast::set_autocast_cpu_dtype(dtype);
        at::autocast::set_cpu_enabled(true);
    }
#endif
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    if (!active_)
        return;
    // As Python's autocast.__exit__: the cast-weight cache lives for the outermost scope.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR * 100 + TORCH_VERSION_MINOR >= 204  // the device-generic autocast API
    at::autocast::set_autocast_enabled(cuda_ ? at::kCUDA : at::kCPU, previous_);
#else
    if (cuda_)
        at::autocast::set_enabled(previous_);
    else
        at::autocast::set_cpu_enabled(previous_);
#endif
}

bool GradScaler::unscale(const std::vector<torch::Tensor>& parameters)
{
    if (!enabled_)
        return true;
    std::vector<torch::Tensor> grads;
    for (const auto& p : parameters)
        if (p.grad().defined())
            grads.push_back(p.grad());
    if (grads.empty())
        return true;
    // One fused kernel on the GPU, as GradScaler.unscale_ does; a plain loop elsewhere.
    if (grads.front().is_cuda()) {
        auto foundInf = torch::zeros({1}, grads.front().options().dtype(torch::kFloat));
        auto inverse = torch::full({1}, 1.0 / scale_, grads.front().options().dtype(torch::kFloat));
        at::_amp_foreach_non_finite_check_and_unscale_(grads, foundInf, inverse);
        return foundInf.item<float>() == 0.0f;
    }
    bool finite = true;
    for (auto& g : grads) {
        g.mul_(1.0 / scale_);
        finite = finite && torch::isfinite(g).all().item<bool>();
    }
    return finite;
}

void GradScaler::update(bool stepWasFinite)
{
    if (!enabled_)
        return;
    if (!stepWasFinite) {
        scale_ *= 0.5;
        growthTracker_ = 0;
    } else if (++growthTracker_ >= growthInterval_) {
        scale_ *= 2.0;
        growthTracker_ = 0;
    }
}

}  // namespace cassava
