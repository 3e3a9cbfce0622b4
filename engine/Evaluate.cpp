#include "Evaluate.h"

#include "CrashPoint.h"

namespace cassava {

ConfusionMatrix Predictions::confusion() const
{
    ConfusionMatrix m(classes);
    const auto predicted = argmaxRows(probabilities, classes);
    for (size_t i = 0; i < labels.size(); ++i)
        m.add(labels[i], predicted[i]);
    return m;
}

torch::Tensor batchImages(Batch& batch, const torch::Device& device, bool channelsLast)
{
    auto images = torch::from_blob(batch.images.data(), {batch.count * batch.views, 3, batch.size, batch.size},
                                   torch::kFloat);
    images = device.is_cpu() ? images : images.to(device, /*non_blocking=*/false);
    if (channelsLast)
        images = images.contiguous(torch::MemoryFormat::ChannelsLast);
    return images;
}

int calibrateBatchNorm(EfficientNet& net, Loader& loader, const ComputeSetup& compute, const std::atomic<bool>* cancel)
{
    std::vector<torch::nn::BatchNorm2dImpl*> norms;
    for (const auto& module : net->modules(/*include_self=*/false))
        if (auto* bn = module->as<torch::nn::BatchNorm2d>())
            norms.push_back(bn);
    const bool wasTraining = net->is_training();
    net->eval();
    std::vector<c10::optional<double>> momenta;
    for (auto* bn : norms) {
        momenta.push_back(bn->options.momentum());
        bn->reset_running_stats();
        bn->options.momentum(c10::nullopt);  // a cumulative average over the batches below
        bn->train(true);
    }
    torch::NoGradGuard noGrad;
    const bool channelsLast = net->options().channelsLast;
    int images = 0;
    Batch batch;
    while (loader.next(batch)) {
        if (cancel && cancel->load()) {
            loader.stop();
            break;
        }
        if (batch.count < 2)
            continue;
        AutocastScope autocast(compute);
        net->forward(batchImages(batch, compute.device, channelsLast));
        images += batch.count;
        crashPoint("calibration");
    }
    for (size_t i = 0; i < norms.size(); ++i)
        norms[i]->options.momentum(momenta[i]);
    net->train(wasTraining);
    return images;
}

Predictions predict(EfficientNet& net, Loader& loader, const ComputeSetup& compute, const std::atomic<bool>* cancel)
{
    Predictions out;
    out.classes = net->numClasses();
    const bool wasTraining = net->is_training();
    net->eval();
    torch::NoGradGuard noGrad;
    const bool channelsLast = net->options().channelsLast;
    Batch batch;
    while (loader.next(batch)) {
        for (auto& e : batch.errors)
            out.errors.push_back(std::move(e));
        if (cancel && cancel->load()) {
            out.cancelled = true;
            loader.stop();
            break;
        }
        if (batch.count == 0)
            continue;
        torch::Tensor logits;
        {
            AutocastScope autocast(compute);
            logits = net->forward(batchImages(batch, compute.device, channelsLast));
        }
        // Test-time views of one image are consecutive rows: their probabilities are averaged.
        const auto probs = torch::softmax(logits.to(torch::kFloat), 1)
                               .view({batch.count, batch.views, -1})
                               .mean(1)
                               .to(torch::kCPU)
                               .contiguous();
        const float* p = probs.data_ptr<float>();
        out.probabilities.insert(out.probabilities.end(), p, p + probs.numel());
        out.labels.insert(out.labels.end(), batch.labels.begin(), batch.labels.end());
        out.indices.insert(out.indices.end(), batch.indices.begin(), batch.indices.end());
    }
    net->train(wasTraining);
    return out;
}

}  // namespace cassava
