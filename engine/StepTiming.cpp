#include "StepTiming.h"

#include "Amp.h"
#include "EfficientNet.h"

#include <chrono>
#include <stdexcept>

namespace cassava {

StepTiming measureTrainingStep(const TrainConfig& c, int numClasses, int steps, const std::atomic<bool>* cancel)
{
    StepTiming timing;
    const ComputeSetup compute = chooseCompute(c.device, c.amp);
    timing.device = compute.description;
    EfficientNetOptions options;
    options.variant = c.model;
    options.numClasses = numClasses;
    options.dropConnect = c.dropConnect;
    if (c.dropout >= 0)
        options.dropout = c.dropout;
    try {
        torch::manual_seed(c.seed);
        EfficientNet net(options);
        if (c.channelsLast)
            net->setChannelsLast(true);
        net->to(compute.device);
        net->train();
        torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(c.lr).weight_decay(c.weightDecay));
        GradScaler scaler(compute.precision == Precision::Float16);
        auto images = torch::randn({c.batch, 3, c.size, c.size}).to(compute.device);
        if (c.channelsLast)
            images = images.contiguous(torch::MemoryFormat::ChannelsLast);
        const auto labels = torch::randint(0, numClasses, {c.batch}, torch::kLong).to(compute.device);
        const auto step = [&] {
            torch::Tensor logits;
            {
                AutocastScope autocast(compute);
                logits = net->forward(images);
            }
            auto loss = torch::nn::functional::cross_entropy(
                logits.to(torch::kFloat), labels,
                torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(c.labelSmoothing));
            optimizer.zero_grad();
            scaler.scaleLoss(loss).backward();
            const bool finite = scaler.unscale(net->parameters());
            if (finite)
                optimizer.step();
            scaler.update(finite);
            loss.item<double>();  // waits for a GPU to finish the step
        };
        step();  // warm-up
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        for (int i = 0; i < steps; ++i) {
            if (cancel && cancel->load()) {
                timing.cancelled = true;
                break;
            }
            step();
            ++timing.steps;
        }
        if (timing.steps > 0)
            timing.secondsPerStep = std::chrono::duration<double>(Clock::now() - start).count() / timing.steps;
    } catch (const c10::Error& e) {
        throw std::runtime_error(std::string("timing a training step failed: ") + e.what_without_backtrace());
    }
    return timing;
}

int64_t efficientNetParameterCount(const std::string& variant, int numClasses)
{
    const NetworkPlan plan = planNetwork(variantNamed(variant), 0.2);
    // Convolutions without bias followed by BatchNorm (scale and shift), as torchvision builds them.
    const auto convNorm = [](int64_t in, int64_t out, int64_t kernel, int64_t groups) {
        return in / groups * out * kernel * kernel + 2 * out;
    };
    int64_t count = convNorm(3, plan.stemChannels, 3, 1);
    for (const BlockPlan& b : plan.blocks) {
        if (b.hasExpansion())
            count += convNorm(b.inChannels, b.expandedChannels, 1, 1);
        count += convNorm(b.expandedChannels, b.expandedChannels, b.kernel, b.expandedChannels);
        // Squeeze-and-excitation: two 1x1 convolutions with bias.
        count += int64_t{b.expandedChannels} * b.squeezeChannels + b.squeezeChannels +
                 int64_t{b.squeezeChannels} * b.expandedChannels + b.expandedChannels;
        count += convNorm(b.expandedChannels, b.outChannels, 1, 1);
    }
    count += convNorm(plan.blocks.back().outChannels, plan.headChannels, 1, 1);
    count += int64_t{plan.headChannels} * numClasses + numClasses;
    return count;
}

int64_t builtEfficientNetParameterCount(const std::string& variant, int numClasses)
{
    EfficientNetOptions options;
    options.variant = variant;
    options.numClasses = numClasses;
    return EfficientNet(options)->parameterCount();
}

bool cudaDeviceAvailable() { return torch::cuda::is_available(); }

}  // namespace cassava
