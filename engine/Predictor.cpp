#include "Predictor.h"

#include "Amp.h"
#include "Evaluate.h"
#include "GradCam.h"
#include "Loader.h"
#include "RunDir.h"
#include "TorchThreads.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cassava {
namespace {

// Views per forward pass when not given. On this class of CPU large batches do not pay (the
// recipe's batch of 4 TTA copies ran faster in PyTorch than batches of 32); on a GPU they do.
// Measured by bench_predict (BENCHMARKS.md).
constexpr int kCpuBatchViews = 8;
constexpr int kGpuBatchViews = 128;

Normalization normalizationOf(const CheckpointMetadata& m)
{
    Normalization n;
    for (size_t c = 0; c < 3; ++c) {
        n.mean[c] = static_cast<float>(m.mean[c]);
        n.std[c] = static_cast<float>(m.stdDev[c]);
    }
    return n;
}

}  // namespace

struct Predictor::Impl {
    PredictorOptions options;
    ComputeSetup compute;
    mutable std::vector<EfficientNet> nets;  // forward() is not const in LibTorch
    std::vector<CheckpointMetadata> metas;
    std::vector<std::string> sources;  // "fold 2" or the checkpoint's file name
    // Images are normalized once with the first model's statistics; model m sees x * scale + shift
    // (per channel), which is exactly its own normalization. Undefined for the first model.
    std::vector<torch::Tensor> scale, shift;
    int batchViews = 0;

    void add(const std::string& path, const std::string& source)
    {
        CheckpointMetadata meta;
        CheckpointLoadOptions load;
        load.channelsLast = compute.device.is_cpu();
        EfficientNet net = loadCheckpoint(path, &meta, load);
        if (!metas.empty()) {
            const CheckpointMetadata& first = metas.front();
            if (meta.numClasses != first.numClasses || meta.inputSize != first.inputSize)
                throw std::runtime_error(path + ": " + std::to_string(meta.numClasses) + " classes at " +
                                         std::to_string(meta.inputSize) + " px, but " + sources.front() + " has " +
                                         std::to_string(first.numClasses) + " at " +
                                         std::to_string(first.inputSize) + " px: they cannot be averaged");
        }
        net->to(compute.device);
        net->eval();
        torch::Tensor s, b;
        if (!metas.empty()) {
            const CheckpointMetadata& f = metas.front();
            std::vector<float> sv, bv;
            for (size_t c = 0; c < 3; ++c) {
                sv.push_back(static_cast<float>(f.stdDev[c] / meta.stdDev[c]));
                bv.push_back(static_cast<float>((f.mean[c] - meta.mean[c]) / meta.stdDev[c]));
            }
            s = torch::tensor(sv).view({1, 3, 1, 1}).to(compute.device);
            b = torch::tensor(bv).view({1, 3, 1, 1}).to(compute.device);
        }
        nets.push_back(net);
        metas.push_back(meta);
        sources.push_back(source);
        scale.push_back(s);
        shift.push_back(b);
    }

    void finish()
    {
        batchViews = options.batch > 0 ? options.batch : compute.device.is_cpu() ? kCpuBatchViews : kGpuBatchViews;
    }

    // Mean class probabilities over the views of each image and over the models: (count, classes).
    torch::Tensor forward(const torch::Tensor& images, int count, int views) const
    {
        torch::NoGradGuard noGrad;
        torch::Tensor sum;
        for (size_t m = 0; m < nets.size(); ++m) {
            torch::Tensor x = scale[m].defined() ? images * scale[m] + shift[m] : images;
            torch::Tensor logits;
            {
                AutocastScope autocast(compute);
                logits = nets[m]->forward(x);
            }
            auto p = torch::softmax(logits.to(torch::kFloat), 1).view({count, views, -1}).mean(1);
            sum = sum.defined() ? sum + p : p;
        }
        return (sum / static_cast<double>(nets.size())).to(torch::kCPU).contiguous();
    }
};

Predictor::Predictor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor::~Predictor() = default;

Predictor Predictor::fromCheckpoint(const std::string& path, const PredictorOptions& options)
{
    configureTorchThreads(options.threads);
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->compute = chooseCompute(options.device, options.amp);
    const size_t slash = path.find_last_of('/');
    impl->add(path, slash == std::string::npos ? path : path.substr(slash + 1));
    impl->finish();
    return Predictor(std::move(impl));
}

Predictor Predictor::fromRun(const std::string& run, const PredictorOptions& options, const std::vector<int>& folds)
{
    const RunDir dir(run);
    if (!dir.exists())
        throw std::runtime_error(run + ": no such run folder");
    const std::vector<int> trained = dir.foldsWithBest();
    std::vector<int> use = folds.empty() ? trained : folds;
    if (use.empty())
        throw std::runtime_error(run + ": no trained fold (no fold_K/best.ckpt) yet");
    configureTorchThreads(options.threads);
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->compute = chooseCompute(options.device, options.amp);
    for (int fold : use) {
        if (std::find(trained.begin(), trained.end(), fold) == trained.end())
            throw std::runtime_error(dir.bestCheckpoint(fold) + ": fold " + std::to_string(fold) + " has no best checkpoint");
        impl->add(dir.bestCheckpoint(fold), "fold " + std::to_string(fold));
    }
    impl->finish();
    return Predictor(std::move(impl));
}

const CheckpointMetadata& Predictor::metadata() const { return impl_->metas.front(); }
int Predictor::modelCount() const { return static_cast<int>(impl_->nets.size()); }
int Predictor::batchViews() const { return impl_->batchViews; }

std::string Predictor::description() const
{
    std::ostringstream out;
    const CheckpointMetadata& m = metadata();
    out << (modelCount() == 1 ? impl_->sources.front() : std::to_string(modelCount()) + " models (") ;
    if (modelCount() > 1) {
        for (size_t i = 0; i < impl_->sources.size(); ++i)
            out << (i ? ", " : "") << impl_->sources[i];
        out << ")";
    }
    const TtaOptions& v = impl_->options.views;
    out << ": EfficientNet-" << m.variant << " at " << m.inputSize << " px, " << v.crops << " crop"
        << (v.crops == 1 ? "" : "s") << " x " << v.runs << " TTA run" << (v.runs == 1 ? "" : "s") << ", "
        << impl_->batchViews << " views per pass, " << impl_->compute.description;
    return out.str();
}

std::vector<PhotoPrediction> Predictor::predict(const std::vector<std::string>& paths,
                                                const std::function<void(const PredictProgress&)>& progress,
                                                const std::atomic<bool>* cancel,
                                                const std::vector<std::string>& displayNames) const
{
    const Impl& d = *impl_;
    std::vector<PhotoPrediction> out(paths.size());
    std::vector<LoaderItem> items;
    for (size_t i = 0; i < paths.size(); ++i) {
        out[i].path = paths[i];
        items.push_back({paths[i], i < displayNames.size() ? displayNames[i] : paths[i], -1, static_cast<int>(i)});
    }
    if (items.empty())
        return out;
    LoaderOptions lo;
    lo.train = false;
    lo.augment.size = metadata().inputSize;
    lo.normalization = normalizationOf(metadata());
    lo.views = d.options.views;
    lo.batchSize = std::max(1, d.batchViews / std::max(1, lo.views.viewsPerImage()));
    lo.workers = d.options.workers;
    Loader loader(items, lo);
    loader.startEpoch(0);

    const bool channelsLast = d.nets.front()->options().channelsLast;
    const int classes = metadata().numClasses;
    const auto start = std::chrono::steady_clock::now();
    PredictProgress state;
    state.total = paths.size();
    for (auto& p : out)
        p.error = "not predicted (cancelled)";
    Batch batch;
    while (loader.next(batch)) {
        if (cancel && cancel->load()) {
            loader.stop();
            break;
        }
        for (size_t e = 0; e < batch.errors.size(); ++e)
            out[static_cast<size_t>(batch.errorIndices[e])].error = batch.errors[e];
        state.done += batch.errors.size();
        if (batch.count > 0) {
            const torch::Tensor probs =
                d.forward(batchImages(batch, d.compute.device, channelsLast), batch.count, batch.views);
            const float* p = probs.data_ptr<float>();
            for (int i = 0; i < batch.count; ++i) {
                PhotoPrediction& r = out[static_cast<size_t>(batch.indices[static_cast<size_t>(i)])];
                r.probabilities.assign(p + static_cast<size_t>(i) * classes, p + static_cast<size_t>(i + 1) * classes);
                r.predicted = static_cast<int>(std::max_element(r.probabilities.begin(), r.probabilities.end()) -
                                               r.probabilities.begin());
                r.error.clear();
            }
            state.done += static_cast<size_t>(batch.count);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        state.imagesPerSecond = seconds > 0 ? static_cast<double>(state.done) / seconds : 0;
        if (progress)
            progress(state);
    }
    return out;
}

cv::Mat Predictor::heatmap(const cv::Mat& rgb, int target) const
{
    std::vector<cv::Mat> maps = heatmaps(rgb, {target});
    return maps.empty() ? cv::Mat() : maps.front();
}

std::vector<cv::Mat> Predictor::heatmaps(const cv::Mat& rgb, const std::vector<int>& targets) const
{
    const Impl& d = *impl_;
    if (rgb.empty())
        return {};
    for (int target : targets)
        if (target < 0 || target >= metadata().numClasses)
            return {};
    // The whole photo with its short side at the input size: the map covers all of it.
    const int size = metadata().inputSize;
    const double f = static_cast<double>(size) / std::min(rgb.cols, rgb.rows);
    const int w = std::max(32, static_cast<int>(std::lround(rgb.cols * f)));
    const int h = std::max(32, static_cast<int>(std::lround(rgb.rows * f)));
    cv::Mat resized;
    cv::resize(rgb, resized, cv::Size(w, h), 0, 0, f < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat floats;
    resized.convertTo(floats, CV_32FC3, 1.0 / 255.0);
    const torch::Tensor hwc = torch::from_blob(floats.data, {h, w, 3}, torch::kFloat);
    const torch::Tensor chw = hwc.permute({2, 0, 1}).unsqueeze(0).contiguous();
    std::vector<torch::Tensor> sums(targets.size());
    for (size_t m = 0; m < d.nets.size(); ++m) {
        const CheckpointMetadata& meta = d.metas[m];
        const auto mean = torch::tensor({meta.mean[0], meta.mean[1], meta.mean[2]}, torch::kFloat).view({1, 3, 1, 1});
        const auto sd = torch::tensor({meta.stdDev[0], meta.stdDev[1], meta.stdDev[2]}, torch::kFloat).view({1, 3, 1, 1});
        torch::Tensor x = ((chw - mean) / sd).to(d.compute.device);
        if (d.nets[m]->options().channelsLast)
            x = x.contiguous(torch::MemoryFormat::ChannelsLast);
        EfficientNet net = d.nets[m];
        const std::vector<torch::Tensor> cams = gradCams(net, x, targets);
        for (size_t t = 0; t < targets.size(); ++t)
            sums[t] = sums[t].defined() ? sums[t] + cams[t] : cams[t];
    }
    std::vector<cv::Mat> maps;
    for (torch::Tensor& sum : sums) {
        const torch::Tensor mean = (sum / static_cast<double>(d.nets.size())).contiguous();
        cv::Mat small(static_cast<int>(mean.size(0)), static_cast<int>(mean.size(1)), CV_32F, mean.data_ptr<float>());
        cv::Mat full;
        cv::resize(small, full, rgb.size(), 0, 0, cv::INTER_CUBIC);
        cv::max(full, 0.0, full);
        cv::min(full, 1.0, full);
        maps.push_back(full);
    }
    return maps;
}

cv::Mat overlayHeatmap(const cv::Mat& rgb, const cv::Mat& heatmap, double opacity)
{
    if (rgb.empty() || heatmap.size() != rgb.size())
        return rgb.clone();
    cv::Mat heat8;
    heatmap.convertTo(heat8, CV_8U, 255.0);
    cv::Mat colour;
    cv::applyColorMap(heat8, colour, cv::COLORMAP_JET);  // BGR
    cv::cvtColor(colour, colour, cv::COLOR_BGR2RGB);
    cv::Mat out(rgb.size(), CV_8UC3);
    for (int y = 0; y < rgb.rows; ++y) {
        const auto* p = rgb.ptr<cv::Vec3b>(y);
        const auto* c = colour.ptr<cv::Vec3b>(y);
        const float* h = heatmap.ptr<float>(y);
        auto* o = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < rgb.cols; ++x) {
            // Cold areas keep most of the photo; hot ones take most of the colour.
            const double a = opacity * (0.35 + 0.65 * static_cast<double>(h[x]));
            for (int k = 0; k < 3; ++k)
                o[x][k] = cv::saturate_cast<uint8_t>((1 - a) * p[x][k] + a * c[x][k]);
        }
    }
    return out;
}

}  // namespace cassava
