#include "FoldTraining.h"

#include "AtomicFile.h"
#include "CrashPoint.h"
#include "Checkpoint.h"
#include "CosineSchedule.h"
#include "Csv.h"
#include "Evaluate.h"
#include "MallocPolicy.h"
#include "PretrainedWeights.h"
#include "WeightImport.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

namespace cassava {
namespace {

using Clock = std::chrono::steady_clock;

// Resident memory of this process in MB, to show it stays flat from fold to fold.
double residentMegabytes()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            double kb = 0;
            status >> kb;
            return kb / 1024.0;
        }
        status.ignore(1 << 10, '\n');
    }
    return 0;
}

// Where a fold stands after a complete epoch; saved inside resume.pt.
struct FoldState {
    int epochsCompleted = 0;
    bool done = false;
    int bestEpoch = -1;
    double bestValLoss = 0, bestValAccuracy = 0;
    double lastValLoss = 0, lastValAccuracy = 0;
    int epochsWithoutImprovement = 0;
    int64_t globalStep = 0;
    double scale = 65536.0;
    int growthTracker = 0;
    Normalization normalization;

    nlohmann::json toJson() const
    {
        return {{"epochs_completed", epochsCompleted}, {"done", done}, {"best_epoch", bestEpoch},
                {"best_val_loss", bestValLoss}, {"best_val_accuracy", bestValAccuracy},
                {"last_val_loss", lastValLoss}, {"last_val_accuracy", lastValAccuracy},
                {"epochs_without_improvement", epochsWithoutImprovement}, {"global_step", globalStep},
                {"loss_scale", scale}, {"growth_tracker", growthTracker},
                {"mean", normalization.mean}, {"std", normalization.std}};
    }
    static FoldState fromJson(const nlohmann::json& j)
    {
        FoldState s;
        s.epochsCompleted = j.at("epochs_completed");
        s.done = j.at("done");
        s.bestEpoch = j.at("best_epoch");
        s.bestValLoss = j.at("best_val_loss");
        s.bestValAccuracy = j.at("best_val_accuracy");
        s.lastValLoss = j.at("last_val_loss");
        s.lastValAccuracy = j.at("last_val_accuracy");
        s.epochsWithoutImprovement = j.at("epochs_without_improvement");
        s.globalStep = j.at("global_step");
        s.scale = j.at("loss_scale");
        s.growthTracker = j.at("growth_tracker");
        s.normalization.mean = j.at("mean");
        s.normalization.std = j.at("std");
        return s;
    }
};

std::string resumePath(const RunDir& run, int fold) { return run.resumePath(fold); }

bool readFoldState(const RunDir& run, int fold, FoldState& state, torch::serialize::InputArchive* archive)
{
    std::error_code ec;
    if (!std::filesystem::exists(resumePath(run, fold), ec))
        return false;
    torch::serialize::InputArchive local;
    torch::serialize::InputArchive& a = archive ? *archive : local;
    try {
        a.load_from(resumePath(run, fold));
        c10::IValue text;
        a.read("state", text);
        state = FoldState::fromJson(nlohmann::json::parse(text.toStringRef()));
    } catch (const std::exception& e) {
        throw std::runtime_error(resumePath(run, fold) + ": cannot be read to resume (" +
                                 std::string(e.what()).substr(0, 200) + ")");
    }
    return true;
}

Normalization adaptNormalization(const std::vector<LoaderItem>& items, int shortSide, ImageCache* cache,
                                 int workers, const std::atomic<bool>& cancel)
{
    const int threads = workers > 0 ? workers : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<NormalizationStats> partial(static_cast<size_t>(threads));
    std::atomic<size_t> next{0};
    auto work = [&](int t) {
        for (size_t i; (i = next++) < items.size() && !cancel.load();) {
            const std::string key = Loader::cacheKey(items[i].path, shortSide);
            cv::Mat rgb = cache ? cache->get(key) : cv::Mat();
            if (rgb.empty()) {
                std::string error;
                rgb = Loader::loadShrunk(items[i], shortSide, error);
                if (rgb.empty())
                    continue;  // reported when the loader meets it
                if (cache)
                    cache->put(key, rgb);
            }
            partial[static_cast<size_t>(t)].add(rgb);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (auto& t : pool)
        t.join();
    NormalizationStats all;
    for (const auto& p : partial)
        all.merge(p);
    return all.result();
}

// A fresh classifier starts small. torchvision initialises it uniformly in +-1/sqrt(classes),
// which for 5 classes gives logits of about +-10 and a first loss near 10; Glorot's range for the
// layer's fan-in and fan-out (Keras' Dense default, as the recipes used) starts near ln(5).
void initialiseFreshHead(EfficientNet& net)
{
    torch::NoGradGuard noGrad;
    const auto params = net->classifierParameters();
    for (const auto& p : params) {
        if (p.dim() == 2) {
            const double limit = std::sqrt(6.0 / static_cast<double>(p.size(0) + p.size(1)));
            p.uniform_(-limit, limit);
        } else {
            p.zero_();
        }
    }
}

EfficientNet buildNetwork(const FoldJob& job, std::vector<std::string>& notes)
{
    const TrainConfig& c = job.config;
    EfficientNetOptions options;
    options.variant = c.model;
    options.numClasses = job.dataset.numClasses();
    options.dropConnect = c.dropConnect;
    if (c.dropout >= 0)
        options.dropout = c.dropout;
    // Initial weights depend on the seed and the fold only.
    torch::manual_seed(c.seed * 1000003ull + static_cast<uint64_t>(job.fold));
    EfficientNet net(options);
    bool freshHead = true;
    // "imagenet": torchvision's file, which the Trainer fetched into the cache before the first fold.
    const std::string weights = c.weights == kImageNetWeights ? fetchImageNetWeights(c.model) : c.weights;
    if (!weights.empty()) {
        const bool ours = weights.size() > 5 && weights.compare(weights.size() - 5, 5, ".ckpt") == 0;
        if (ours) {
            CheckpointMetadata meta;
            CheckpointLoadOptions load;
            load.expectedVariant = c.model;
            EfficientNet loaded = loadCheckpoint(weights, &meta, load);
            freshHead = meta.numClasses != options.numClasses;
            if (freshHead) {
                loaded->resetClassifier(options.numClasses);
                notes.push_back("classifier replaced (" + std::to_string(meta.numClasses) + " -> " +
                                std::to_string(options.numClasses) + " classes)");
            }
            torch::NoGradGuard g;
            auto src = loaded->named_parameters(true);
            for (auto& p : net->named_parameters(true))
                p.value().copy_(src[p.key()]);
            auto srcBuffers = loaded->named_buffers(true);
            for (auto& b : net->named_buffers(true))
                b.value().copy_(srcBuffers[b.key()]);
            notes.push_back("initial weights from " + weights);
        } else {
            const ImportReport report = importTorchvisionWeights(net, weights);
            freshHead = report.classifierReplaced;
            notes.push_back((weights != c.weights ? "ImageNet weights " + weights + ": " : std::string()) +
                            report.summary());
        }
    }
    if (freshHead)
        initialiseFreshHead(net);
    if (c.zeroInitResidual && c.weights.empty())
        notes.push_back("residual blocks start as the identity (" + std::to_string(net->zeroInitResidualBranches()) +
                        " blocks)");
    if (c.channelsLast)
        net->setChannelsLast(true);
    net->to(job.compute.device);
    return net;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainConfig& c, EfficientNet& net)
{
    if (c.optimizer == "adamw")
        return std::make_unique<torch::optim::AdamW>(net->parameters(),
                                                     torch::optim::AdamWOptions(c.lr).weight_decay(c.weightDecay));
    return std::make_unique<torch::optim::Adam>(net->parameters(),
                                                torch::optim::AdamOptions(c.lr).weight_decay(c.weightDecay));
}

torch::Tensor classWeights(const FoldJob& job, const std::vector<LoaderItem>& train)
{
    if (!job.config.balanceClasses)
        return {};
    const int classes = job.dataset.numClasses();
    std::vector<float> counts(static_cast<size_t>(classes), 0.0f);
    for (const auto& item : train)
        counts[static_cast<size_t>(item.label)] += 1.0f;
    std::vector<float> w(static_cast<size_t>(classes));
    for (size_t c = 0; c < w.size(); ++c)
        w[c] = counts[c] > 0 ? static_cast<float>(train.size()) / (classes * counts[c]) : 0.0f;
    return torch::tensor(w).to(job.compute.device);
}

void writeFoldOof(const FoldJob& job, const Predictions& p)
{
    std::string out = "image_id,label,fold";
    for (int c = 0; c < p.classes; ++c)
        out += ",p" + std::to_string(c);
    out += "\n";
    char number[32];
    for (size_t i = 0; i < p.count(); ++i) {
        const Sample& s = job.set.samples[static_cast<size_t>(p.indices[i])];
        out += csvField(s.imageId) + "," + std::to_string(s.label) + "," + std::to_string(job.fold);
        for (int c = 0; c < p.classes; ++c) {
            std::snprintf(number, sizeof number, ",%.6f", p.probabilities[i * static_cast<size_t>(p.classes) + static_cast<size_t>(c)]);
            out += number;
        }
        out += "\n";
    }
    writeFileAtomically(job.run.foldOofPath(job.fold), out);
}

CheckpointMetadata metadataFor(const FoldJob& job, const Normalization& n, int epoch, double valLoss, double valAccuracy)
{
    CheckpointMetadata m = CheckpointMetadata::forVariant(job.config.model, job.dataset.numClasses());
    m.inputSize = job.config.size;
    for (size_t c = 0; c < 3; ++c) {
        m.mean[c] = n.mean[c];
        m.stdDev[c] = n.std[c];
    }
    m.classNames = job.dataset.labels().names();
    m.dropConnect = job.config.dropConnect;
    if (job.config.dropout >= 0)
        m.dropout = job.config.dropout;
    m.source = "trained in " + job.run.path() + ", fold " + std::to_string(job.fold) + ", epoch " + std::to_string(epoch + 1);
    m.training = job.config.toJson();
    m.metrics = {{"fold", job.fold}, {"epoch", epoch}, {"val_loss", valLoss}, {"val_accuracy", valAccuracy}};
    return m;
}

void saveResume(const FoldJob& job, EfficientNet& net, torch::optim::Optimizer& optimizer, const FoldState& state)
{
    torch::serialize::OutputArchive archive, model, opt;
    net->save(model);
    optimizer.save(opt);
    archive.write("model", model);
    archive.write("optimizer", opt);
    archive.write("state", c10::IValue(state.toJson().dump()));
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(resumePath(job.run, job.fold), bytes.str());
}

}  // namespace

int completedEpochs(const RunDir& run, int fold)
{
    FoldState state;
    if (!readFoldState(run, fold, state, nullptr))
        return 0;
    return state.done ? -1 : state.epochsCompleted;
}

FoldResult trainFold(FoldJob& job)
{
    const TrainConfig& c = job.config;
    FoldResult result;
    result.summary.fold = job.fold;
    job.run.create();
    std::filesystem::create_directories(job.run.foldDir(job.fold));

    const auto trainItems = job.set.trainItems(job.dataset, job.fold);
    const auto valItems = job.set.validationItems(job.dataset, job.fold);
    std::vector<std::string> notes;
    EfficientNet net = buildNetwork(job, notes);
    for (const auto& n : notes)
        job.emit(RunMessage{RunMessage::Level::Info, "fold " + std::to_string(job.fold) + ": " + n});
    auto optimizer = makeOptimizer(c, net);
    GradScaler scaler(job.compute.precision == Precision::Float16);

    FoldState state;
    torch::serialize::InputArchive archive;
    if (readFoldState(job.run, job.fold, state, &archive)) {
        torch::serialize::InputArchive model, opt;
        archive.read("model", model);
        archive.read("optimizer", opt);
        net->load(model);
        net->to(job.compute.device);
        optimizer->load(opt);
        scaler.restore(state.scale, state.growthTracker);
        // A process killed between the resume file and last.ckpt left an older last.ckpt.
        writeCheckpoint(job.run.lastCheckpoint(job.fold), net,
                        metadataFor(job, state.normalization, state.epochsCompleted - 1, state.lastValLoss,
                                    state.lastValAccuracy));
        if (state.done) {
            result.done = true;
            result.summary = {job.fold, state.bestEpoch, state.bestValLoss, state.bestValAccuracy, false};
            return result;
        }
    } else {
        state.normalization = c.adaptNormalization
            ? adaptNormalization(trainItems, c.augment.sourceShortSide(), job.cache.get(), c.workers, job.cancel)
            : Normalization{};
    }

    LoaderOptions trainOptions;
    trainOptions.batchSize = c.batch;
    trainOptions.train = true;
    trainOptions.dropLast = trainItems.size() > static_cast<size_t>(c.batch);  // no 1-image BatchNorm batches
    trainOptions.augment = c.augment;
    trainOptions.augment.size = c.size;
    trainOptions.normalization = state.normalization;
    trainOptions.seed = c.seed * 7919ull + static_cast<uint64_t>(job.fold);
    trainOptions.workers = c.workers;
    LoaderOptions valOptions = trainOptions;
    valOptions.train = false;
    valOptions.dropLast = false;
    Loader trainLoader(trainItems, trainOptions, job.cache);
    Loader valLoader(valItems, valOptions, job.cache);
    // Precise BN reads training images the way validation reads its own.
    std::vector<LoaderItem> calibrationItems(trainItems.begin(),
                                             trainItems.begin() + std::min<ptrdiff_t>(c.bnCalibrationImages,
                                                                                      static_cast<ptrdiff_t>(trainItems.size())));
    LoaderOptions calibrationOptions = valOptions;
    calibrationOptions.batchSize = std::max(c.batch, 16);
    calibrationOptions.dropLast = calibrationItems.size() > static_cast<size_t>(calibrationOptions.batchSize);
    Loader calibrationLoader(calibrationItems, calibrationOptions, job.cache);

    const int batchesPerEpoch = trainLoader.batchesPerEpoch();
    const CosineSchedule schedule(c.lr, static_cast<int64_t>(c.epochs) * batchesPerEpoch, c.alpha,
                                  static_cast<int64_t>(std::llround(c.warmupEpochs * batchesPerEpoch)));
    const torch::Tensor weights = classWeights(job, trainItems);
    auto lossOptions = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(c.labelSmoothing);
    if (weights.defined())
        lossOptions.weight(weights);

    for (int epoch = state.epochsCompleted; epoch < c.epochs; ++epoch) {
        // Dropout and stochastic depth draw from torch's generator: seeded per epoch, so an epoch
        // replays identically after a resume.
        torch::manual_seed(c.seed * 1000003ull + static_cast<uint64_t>(job.fold) * 1009ull + static_cast<uint64_t>(epoch) + 1);
        net->train();
        trainLoader.startEpoch(epoch);
        const auto epochStart = Clock::now();
        double lossSum = 0, reportLossSum = 0;
        int lossCount = 0, reportCount = 0, images = 0, skipped = 0;
        Batch batch;
        for (int b = 0; trainLoader.next(batch); ++b) {
            for (const auto& e : batch.errors) {
                ++skipped;
                if (epoch == state.epochsCompleted)
                    job.emit(RunMessage{RunMessage::Level::Warning, e + "; left out of training"});
            }
            if (job.cancel.load()) {
                trainLoader.stop();
                result.cancelled = true;
                break;
            }
            if (batch.count < 2)
                continue;  // BatchNorm needs two images
            const auto stepStart = Clock::now();
            const double rate = schedule.rate(state.globalStep);
            for (auto& group : optimizer->param_groups())
                group.options().set_lr(rate);
            auto images_ = batchImages(batch, job.compute.device, c.channelsLast);
            auto labels = torch::from_blob(batch.labels.data(), {batch.count}, torch::kLong).to(job.compute.device);
            torch::Tensor logits;
            {
                AutocastScope autocast(job.compute);
                logits = net->forward(images_);
            }
            auto loss = torch::nn::functional::cross_entropy(logits.to(torch::kFloat), labels, lossOptions);
            optimizer->zero_grad();
            scaler.scaleLoss(loss).backward();
            const bool finite = scaler.unscale(net->parameters());
            if (finite) {
                if (c.gradClip > 0)
                    torch::nn::utils::clip_grad_norm_(net->parameters(), c.gradClip);
                optimizer->step();
            }
            scaler.update(finite);
            ++state.globalStep;

            const double l = loss.item<double>();
            lossSum += l;
            reportLossSum += l;
            ++lossCount;
            ++reportCount;
            images += batch.count;
            const double stepSeconds = std::chrono::duration<double>(Clock::now() - stepStart).count();
            RunProgress& p = job.progress;
            ++p.stepsDone;
            --p.stepsLeft;
            p.stepSeconds = p.stepSeconds == 0 ? stepSeconds : 0.9 * p.stepSeconds + 0.1 * stepSeconds;
            if ((b + 1) % std::max(1, c.logEverySteps) == 0 || b + 1 == batchesPerEpoch) {
                const double elapsed = std::chrono::duration<double>(Clock::now() - epochStart).count();
                StepProgress s{job.fold, epoch, b + 1, batchesPerEpoch, reportLossSum / reportCount, rate,
                               elapsed > 0 ? images / elapsed : 0, p.stepSeconds * static_cast<double>(p.stepsLeft)};
                job.run.appendMetrics({{"type", "step"}, {"fold", job.fold}, {"epoch", epoch}, {"batch", b + 1},
                                       {"batches", batchesPerEpoch}, {"step", state.globalStep}, {"loss", s.loss}, {"lr", rate},
                                       {"images_per_s", s.imagesPerSecond}});
                job.emit(s);
                reportLossSum = 0;
                reportCount = 0;
            }
            crashPoint("batch");
        }
        // On cancel the fold's last.ckpt stays usable: the last complete epoch's, or these weights
        // when no epoch completed yet (the resume file then still starts the fold afresh).
        auto stopCancelled = [&] {
            result.cancelled = true;
            if (state.epochsCompleted == 0)
                writeCheckpoint(job.run.lastCheckpoint(job.fold), net, metadataFor(job, state.normalization, epoch, 0, 0));
            return result;
        };
        if (result.cancelled)
            return stopCancelled();
        const double trainSeconds = std::chrono::duration<double>(Clock::now() - epochStart).count();

        if (!calibrationItems.empty()) {
            calibrationLoader.startEpoch(0);
            calibrateBatchNorm(net, calibrationLoader, job.compute, &job.cancel);
        }
        valLoader.startEpoch(0);
        const Predictions val = predict(net, valLoader, job.compute, &job.cancel);
        if (val.cancelled || job.cancel.load())
            return stopCancelled();
        if (epoch == state.epochsCompleted)
            for (const auto& e : val.errors)
                job.emit(RunMessage{RunMessage::Level::Warning, e + "; left out of validation"});
        const double valLoss = val.loss(), valAccuracy = val.accuracy();
        const bool improved = state.bestEpoch < 0 ||
            (c.selectBy == "val_loss" ? valLoss < state.bestValLoss
                                      : (valAccuracy > state.bestValAccuracy ||
                                         (valAccuracy == state.bestValAccuracy && valLoss < state.bestValLoss)));
        EpochFinished e{job.fold, epoch, lossCount ? lossSum / lossCount : 0.0, valLoss, valAccuracy,
                        schedule.rate(state.globalStep - 1), trainSeconds > 0 ? images / trainSeconds : 0,
                        std::chrono::duration<double>(Clock::now() - epochStart).count(), improved, skipped};
        if (improved) {
            state.bestEpoch = epoch;
            state.bestValLoss = valLoss;
            state.bestValAccuracy = valAccuracy;
            state.epochsWithoutImprovement = 0;
            writeCheckpoint(job.run.bestCheckpoint(job.fold), net,
                            metadataFor(job, state.normalization, epoch, valLoss, valAccuracy));
            writeFoldOof(job, val);
        } else {
            ++state.epochsWithoutImprovement;
        }
        result.skippedImages += skipped;
        job.run.appendMetrics({{"type", "epoch"}, {"fold", job.fold}, {"epoch", epoch},
                               {"train_loss", e.trainLoss}, {"val_loss", valLoss}, {"val_accuracy", valAccuracy},
                               {"lr", e.lr}, {"images_per_s", e.imagesPerSecond}, {"seconds", e.seconds},
                               {"best", improved}, {"skipped", skipped},
                               {"rss_mb", std::round(residentMegabytes())},
                               {"heap_mb", std::round(mallocInUseMegabytes())}});
        state.epochsCompleted = epoch + 1;
        state.lastValLoss = valLoss;
        state.lastValAccuracy = valAccuracy;
        const bool stopEarly = c.earlyStopping > 0 && state.epochsWithoutImprovement >= c.earlyStopping;
        state.done = state.epochsCompleted == c.epochs || stopEarly;
        state.scale = scaler.scale();
        state.growthTracker = scaler.growthTracker();
        // The resume file is the fold's truth and is written last but one; last.ckpt follows.
        saveResume(job, net, *optimizer, state);
        writeCheckpoint(job.run.lastCheckpoint(job.fold), net,
                        metadataFor(job, state.normalization, epoch, valLoss, valAccuracy));
        job.emit(e);
        if (stopEarly) {
            result.summary.stoppedEarly = true;
            job.progress.stepsLeft -= static_cast<int64_t>(c.epochs - epoch - 1) * batchesPerEpoch;
            break;
        }
    }
    result.done = true;
    result.summary.bestEpoch = state.bestEpoch;
    result.summary.bestValLoss = state.bestValLoss;
    result.summary.bestValAccuracy = state.bestValAccuracy;
    return result;
}

}  // namespace cassava
