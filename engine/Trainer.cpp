#include "Trainer.h"

#include "AtomicFile.h"
#include "CrashPoint.h"
#include "Csv.h"
#include "FoldTraining.h"
#include "JsonNumbers.h"
#include "Metrics.h"
#include "PretrainedWeights.h"
#include "RunCatalog.h"
#include "RunDir.h"
#include "RunLock.h"
#include "Split.h"
#include "TorchThreads.h"
#include "TrainingSet.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <optional>
#include <mutex>
#include <sstream>
#include <thread>

namespace cassava {

struct Trainer::Impl {
    TrainConfig config;
    Listener listener;
    bool resuming = false;
    std::atomic<bool> cancelRequested{false};
    std::atomic<bool> isRunning{false};
    std::thread worker;
    RunFinished finished;

    void emit(const TrainEvent& e) const
    {
        if (listener)
            listener(e);
    }
    RunFinished execute();
    void fetchImageNet() const;
    void writeSummary(const RunDir& run, const Dataset& dataset, const TrainingSet& set,
                      const std::vector<FoldFinished>& folds, RunFinished& finished) const;
};

namespace {

std::vector<int> foldsToRun(const TrainConfig& c)
{
    if (!c.runFolds.empty())
        return c.runFolds;
    std::vector<int> all;
    for (int k = 0; k < c.foldCount(); ++k)
        all.push_back(k);
    return all;
}

// Merges the folds' out-of-fold files into RUN/oof.csv; returns the predictions as a table.
void mergeOof(const RunDir& run, const std::vector<int>& folds, int classes, ConfusionMatrix& confusion)
{
    std::string merged;
    for (const int k : folds) {
        std::string text;
        try {
            text = readFile(run.foldOofPath(k));
        } catch (const std::exception&) {
            continue;  // a fold without a best epoch (cancelled before its first)
        }
        CsvReader reader(text, run.foldOofPath(k));
        CsvRecord r;
        bool header = true;
        while (reader.next(r)) {
            if (header) {
                header = false;
                if (merged.empty()) {
                    for (size_t i = 0; i < r.fields.size(); ++i)
                        merged += (i ? "," : "") + r.fields[i];
                    merged += "\n";
                }
                continue;
            }
            int label = 0;
            parseInt(r.fields[1], label);
            int best = 0;
            for (int c = 1; c < classes; ++c)
                if (std::stod(r.fields[3 + static_cast<size_t>(c)]) > std::stod(r.fields[3 + static_cast<size_t>(best)]))
                    best = c;
            confusion.add(label, best);
            for (size_t i = 0; i < r.fields.size(); ++i)
                merged += (i ? "," : "") + csvField(r.fields[i]);
            merged += "\n";
        }
    }
    if (!merged.empty())
        writeFileAtomically(run.oofPath(), merged);
}

}  // namespace

void Trainer::Impl::writeSummary(const RunDir& run, const Dataset& dataset, const TrainingSet& set,
                                 const std::vector<FoldFinished>& folds, RunFinished& result) const
{
    ConfusionMatrix confusion(dataset.numClasses());
    mergeOof(run, foldsToRun(config), dataset.numClasses(), confusion);
    nlohmann::json foldList = nlohmann::json::array();
    for (const auto& f : folds)
        foldList.push_back({{"fold", f.fold}, {"best_epoch", f.bestEpoch}, {"best_val_loss", f.bestValLoss},
                            {"best_val_accuracy", f.bestValAccuracy}, {"stopped_early", f.stoppedEarly}});
    nlohmann::json summary = {{"folds", foldList},
                              {"k_fold", set.kFold},
                              {"images", set.samples.size()},
                              {"excluded", set.excluded},
                              {"relabeled", set.relabeled},
                              {"class_names", dataset.labels().names()},
                              {"completed", result.completed},
                              {"seconds", result.seconds}};
    if (confusion.total() > 0) {
        summary["oof_images"] = confusion.total();
        summary["oof_accuracy"] = confusion.accuracy();
        summary["per_class_accuracy"] = confusion.perClassAccuracy();
        summary["confusion_matrix"] = confusion.toJson();
        result.oofAccuracy = confusion.accuracy();
        result.perClassAccuracy = confusion.perClassAccuracy();
    }
    run.writeJson(run.summaryPath(), summary);
}

// --weights imagenet: torchvision's file for the variant, downloaded into the cache once (the
// folds then find it there); config.json keeps "imagenet", so a resume or a rerun fetches the same.
void Trainer::Impl::fetchImageNet() const
{
    if (!cachedImageNetWeights(config.model).empty())
        return;
    const std::string url = imageNetWeightsUrl(config.model);
    emit(RunMessage{RunMessage::Level::Info, "downloading ImageNet weights " + url});
    int reportedTenths = 0;
    FetchOptions options;
    options.cancel = &cancelRequested;
    options.progress = [&](int64_t done, int64_t total) {
        if (total <= 0 || done >= total)
            return;
        const int tenths = static_cast<int>(10 * done / total);
        if (tenths > reportedTenths) {
            reportedTenths = tenths;
            emit(RunMessage{RunMessage::Level::Info, "downloaded " + std::to_string(tenths * 10) + " % of " +
                                                         std::to_string(total / 1000000) + " MB"});
        }
    };
    const std::string path = fetchImageNetWeights(config.model, options);
    emit(RunMessage{RunMessage::Level::Info, "ImageNet weights verified (SHA-256) and cached: " + path});
}

RunFinished Trainer::Impl::execute()
{
    const auto start = std::chrono::steady_clock::now();
    RunFinished result;
    bool marked = false;  // status.json names this process: the end is recorded too
    std::optional<RunLock> lock;  // held until the run's last file is written
    try {
        if (const std::string problem = config.validate(); !problem.empty())
            throw std::invalid_argument(problem);
        if (config.weights == kImageNetWeights)
            fetchImageNet();  // before the run folder exists: offline fails without leaving one
        configureTorchThreads(config.threads);
        const ComputeSetup compute = chooseCompute(config.device, config.amp);
        const RunDir run(config.out);
        if (!resuming && run.hasConfig())
            throw std::runtime_error(run.path() + " already holds a run; resume it (--resume) or choose another folder");
        if (!resuming && run.exists() && !run.holdsNothingButAnInterruptedStart())
            throw std::runtime_error(run.path() + " is not empty (and not a run): choose a new folder for the run");
        run.create();
        // A second trainer of the same run (a resume, the GUI) stops here, naming the holder.
        lock = RunLock::acquire(run);
        for (const auto& path : run.removeInterruptedWrites())
            emit(RunMessage{RunMessage::Level::Info, "removed " + path + ", left by an interrupted write"});
        run.writeJson(run.configPath(), config.toJson());
        markRunRunning(run);
        marked = true;

        const Dataset dataset = Dataset::open(config.data);
        if (!dataset.usable()) {
            std::string first;
            for (const auto& p : dataset.problems())
                if (p.severity == Problem::Severity::Fatal) {
                    first = p.toString();
                    break;
                }
            throw std::runtime_error(config.data + " is not a usable dataset: " + first);
        }
        TrainingSetOptions setOptions{config.exclude, config.relabel, config.limit, config.folds, config.valSplit, config.seed};
        const TrainingSet set = buildTrainingSet(dataset, setOptions);
        for (const auto& p : set.problems)
            emit(RunMessage{RunMessage::Level::Warning, p.toString()});
        {
            std::vector<std::string> ids;
            for (const auto& s : set.samples)
                ids.push_back(s.imageId);
            writeFoldsCsv(run.path() + "/folds.csv", ids, set.fold);
            // The labels trained on, after --exclude and --relabel (train.csv itself is never changed).
            std::string labels = "image_id,label\n";
            for (const auto& s : set.samples)
                labels += csvField(s.imageId) + "," + std::to_string(s.label) + "\n";
            writeFileAtomically(run.labelsPath(), labels);
        }

        const std::vector<int> folds = foldsToRun(config);
        // A resume drops what the killed process wrote after the last complete epoch.
        RunProgress progress;
        int resumedFrom = -1;
        {
            std::vector<std::pair<int, int>> completed;  // fold -> complete epochs (-1: fold finished)
            for (const int k : folds)
                completed.emplace_back(k, resuming ? completedEpochs(run, k) : 0);
            run.filterMetrics([&](const nlohmann::json& line) {
                const int fold = wholeValue(line, "fold", -1), epoch = wholeValue(line, "epoch", -1);
                for (const auto& [k, done] : completed)
                    if (k == fold)
                        return done < 0 || epoch < done;
                return false;
            });
            const int batches = std::max<int>(1, static_cast<int>(set.samples.size() * (config.kFold() ? (config.folds - 1.0) / config.folds : 1 - config.valSplit)) / config.batch);
            for (const auto& [k, done] : completed) {
                if (done >= 0)
                    progress.stepsLeft += static_cast<int64_t>(config.epochs - done) * batches;
                if (resuming && done >= 0 && resumedFrom < 0)
                    resumedFrom = done;  // the first unfinished fold's complete epochs
            }
            if (resuming && resumedFrom < 0)
                resumedFrom = config.epochs;  // every fold was finished already
            emit(RunStarted{run.path(), static_cast<int>(folds.size()), config.epochs, batches,
                            compute.description, precisionName(compute.precision), resumedFrom});
        }

        auto cache = std::make_shared<ImageCache>(config.cacheMb << 20);
        std::vector<FoldFinished> finishedFolds;
        Listener forward = [this](const TrainEvent& e) { emit(e); };
        bool all = true;
        for (const int k : folds) {
            FoldJob job{config, run, dataset, set, k, cache, compute, forward, cancelRequested, progress};
            const FoldResult fold = trainFold(job);
            if (fold.cancelled) {
                result.cancelled = true;
                all = false;
                break;
            }
            finishedFolds.push_back(fold.summary);
            emit(fold.summary);
            crashPoint("fold-done");
        }
        result.completed = all;
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        writeSummary(run, dataset, set, finishedFolds, result);
    } catch (const DownloadCancelled&) {
        result.cancelled = true;
    } catch (const std::exception& e) {
        result.error = e.what();
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (marked) {
        try {
            markRunEnded(RunDir(config.out), !result.error.empty() ? RunState::Failed
                                             : result.cancelled   ? RunState::Cancelled
                                                                  : RunState::Finished,
                         result.error);
        } catch (const std::exception& e) {
            if (result.error.empty())
                result.error = e.what();
        }
    }
    emit(result);
    return result;
}

Trainer::Trainer(TrainConfig config, Listener listener) : impl_(std::make_unique<Impl>())
{
    config.augment.size = config.size;
    impl_->config = std::move(config);
    impl_->listener = std::move(listener);
}

std::unique_ptr<Trainer> Trainer::resume(const std::string& runDir, Listener listener)
{
    const RunDir run(runDir);
    TrainConfig config;
    try {
        config = TrainConfig::fromJson(run.readJson(run.configPath()));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(run.configPath() + ": " + e.what());
    }
    config.out = run.path();
    auto trainer = std::make_unique<Trainer>(std::move(config), std::move(listener));
    trainer->impl_->resuming = true;
    return trainer;
}

Trainer::~Trainer()
{
    cancel();
    if (impl_->worker.joinable())
        impl_->worker.join();
}

RunFinished Trainer::run()
{
    impl_->isRunning = true;
    impl_->finished = impl_->execute();
    impl_->isRunning = false;
    return impl_->finished;
}

void Trainer::start()
{
    if (impl_->worker.joinable())
        throw std::logic_error("Trainer::start: already started");
    impl_->isRunning = true;
    impl_->worker = std::thread([this] {
        impl_->finished = impl_->execute();
        impl_->isRunning = false;
    });
}

RunFinished Trainer::wait()
{
    if (impl_->worker.joinable())
        impl_->worker.join();
    return impl_->finished;
}

bool Trainer::running() const { return impl_->isRunning; }
void Trainer::cancel() { impl_->cancelRequested = true; }
const TrainConfig& Trainer::config() const { return impl_->config; }

}  // namespace cassava
