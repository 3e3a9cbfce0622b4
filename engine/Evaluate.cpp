#include "Evaluate.h"

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
    auto images = torch::from_blob(batch.images.data(), {batch.count, 3, batch.size, batch.size}, torch::kFloat);
    images = device.is_cpu() ? images : images.to(device, /*non_blocking=*/false);
    if (channelsLast)
        images = images.contiguous(torch::MemoryFormat::ChannelsLast);
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
        const auto probs = torch::softmax(logits.to(torch::kFloat), 1).to(torch::kCPU).contiguous();
        const float* p = probs.data_ptr<float>();
        out.probabilities.insert(out.probabilities.end(), p, p + probs.numel());
        out.labels.insert(out.labels.end(), batch.labels.begin(), batch.labels.end());
        out.indices.insert(out.indices.end(), batch.indices.begin(), batch.indices.end());
    }
    net->train(wasTraining);
    return out;
}

}  // namespace cassava
