// `cassava train` and `cassava evaluate`: thin clients of the engine.
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "Trainer.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace cassava::cli {
namespace {

std::atomic<Trainer*> gTrainer{nullptr};

extern "C" void onInterrupt(int)
{
    // First Ctrl+C: cancel within one batch, keeping a usable checkpoint. Second: the default.
    if (Trainer* t = gTrainer.load())
        t->cancel();
    std::signal(SIGINT, SIG_DFL);
}

std::string formatSeconds(double s)
{
    char buffer[32];
    const int total = static_cast<int>(s + 0.5);
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%dh%02dm", total / 3600, total / 60 % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%dm%02ds", total / 60, total % 60);
    return buffer;
}

// Prints the engine's events: a redrawn bar on a terminal, plain lines in logs.
class TrainPrinter {
public:
    void operator()(const TrainEvent& event)
    {
        std::visit([this](const auto& e) { print(e); }, event);
    }

private:
    void clearBar()
    {
        if (tty_ && barShown_) {
            std::fprintf(stderr, "\r\x1b[K");
            barShown_ = false;
        }
    }
    void print(const RunStarted& e)
    {
        std::printf("run %s: %d fold%s x %d epochs, %d batches per epoch, %s, amp %s%s\n", e.runDir.c_str(),
                    e.folds, e.folds == 1 ? "" : "s", e.epochs, e.batchesPerEpoch, e.device.c_str(), e.amp.c_str(),
                    e.resumedFromEpoch >= 0 ? (", resumed after epoch " + std::to_string(e.resumedFromEpoch)).c_str() : "");
        std::fflush(stdout);
    }
    void print(const StepProgress& e)
    {
        if (!tty_)
            return;
        const int width = 24;
        const int filled = e.batchesPerEpoch ? width * e.batch / e.batchesPerEpoch : 0;
        std::fprintf(stderr, "\rfold %d epoch %d [%s%s] %d/%d loss %.4f lr %.2e %.1f img/s ETA %s\x1b[K", e.fold,
                     e.epoch + 1, std::string(static_cast<size_t>(filled), '#').c_str(),
                     std::string(static_cast<size_t>(width - filled), '.').c_str(), e.batch, e.batchesPerEpoch, e.loss,
                     e.lr, e.imagesPerSecond, formatSeconds(e.etaSeconds).c_str());
        std::fflush(stderr);
        barShown_ = true;
    }
    void print(const EpochFinished& e)
    {
        clearBar();
        std::printf("fold %d epoch %d: train_loss %.4f val_loss %.4f val_accuracy %.4f lr %.2e %.1f img/s %s%s%s\n",
                    e.fold, e.epoch + 1, e.trainLoss, e.valLoss, e.valAccuracy, e.lr, e.imagesPerSecond,
                    formatSeconds(e.seconds).c_str(), e.best ? "  best" : "",
                    e.skippedImages ? ("  (" + std::to_string(e.skippedImages) + " unreadable images left out)").c_str() : "");
        std::fflush(stdout);
    }
    void print(const FoldFinished& e)
    {
        std::printf("fold %d done: best epoch %d, val_loss %.4f, val_accuracy %.4f%s\n", e.fold, e.bestEpoch + 1,
                    e.bestValLoss, e.bestValAccuracy, e.stoppedEarly ? " (stopped early)" : "");
        std::fflush(stdout);
    }
    void print(const RunMessage& e)
    {
        clearBar();
        const char* level = e.level == RunMessage::Level::Warning ? "warning: " : e.level == RunMessage::Level::Error ? "error: " : "";
        std::fprintf(stderr, "%s%s\n", level, e.text.c_str());
    }
    void print(const RunFinished& e)
    {
        clearBar();
        if (!e.error.empty())
            return;  // the command prints it
        if (e.oofAccuracy >= 0) {
            std::printf("out-of-fold accuracy %.4f; per class:", e.oofAccuracy);
            for (double a : e.perClassAccuracy)
                std::printf(" %.3f", a);
            std::printf("\n");
        }
        std::printf("%s in %s\n", e.cancelled ? "cancelled" : "finished", formatSeconds(e.seconds).c_str());
    }

    bool tty_ = ::isatty(STDERR_FILENO) != 0;
    bool barShown_ = false;
};

}  // namespace

int trainCommand(int argc, char** argv)
{
    Args args("train", "Train EfficientNet on a Kaggle-layout dataset. Writes RUN/config.json, metrics.jsonl,\n"
                       "fold_K/{best,last}.ckpt, oof.csv and summary.json. Ctrl+C stops within one batch\n"
                       "and keeps a usable checkpoint; --resume RUN continues from the last complete epoch.");
    args.option("data", "DIR", "dataset folder")
        .option("out", "RUN", "run folder to create")
        .option("resume", "RUN", "continue an interrupted run")
        .option("preset", "NAME", "start from quick, recipe-a or recipe-b; flags override it")
        .option("config", "FILE", "settings from a JSON file (as RUN/config.json); flags override it")
        .option("model", "b0..b7", "EfficientNet variant", "b0")
        .option("size", "PX", "input size", "224")
        .option("epochs", "N", "epochs per fold", "8")
        .option("folds", "K", "stratified k-fold (runs folds one after another)", "5")
        .option("val-split", "F", "a single hold-out split of this fraction instead of k-fold")
        .option("run-folds", "LIST", "only these folds, e.g. 0,2")
        .option("batch", "B", "batch size", "16")
        .option("lr", "X", "peak learning rate", "0.001")
        .option("alpha", "A", "cosine floor as a fraction of lr", "0.3")
        .option("warmup", "EPOCHS", "linear warm-up length", "0")
        .option("optimizer", "NAME", "adam or adamw", "adam")
        .option("weight-decay", "X", "weight decay", "0")
        .option("label-smoothing", "X", "label smoothing", "0")
        .flag("balance", "weight classes inversely to their frequency")
        .option("clip", "NORM", "clip the gradient norm (0: off)", "0")
        .option("select-by", "METRIC", "val_loss or val_accuracy: the epoch kept as best", "val_loss")
        .option("early-stopping", "N", "stop a fold after N epochs without improvement (0: off)", "0")
        .option("amp", "MODE", "auto, off, fp16 or bf16", "auto")
        .option("device", "DEV", "auto, cpu or cuda", "auto")
        .option("weights", "FILE", "initial weights: a .ckpt, a torchvision file, or 'imagenet' (torchvision's, "
                                   "fetched into the cache: cassava weights)")
        .option("seed", "S", "random seed", "42")
        .option("limit", "N", "use only the first N images")
        .option("exclude", "CSV", "leave out the image_ids listed (e.g. suspects.csv)")
        .option("relabel", "CSV", "apply image_id,label corrections")
        .option("workers", "N", "loader threads (0: all cores)", "0")
        .option("threads", "N", "torch threads (0: all cores)", "0")
        .option("cache-mb", "MB", "decoded-image cache", "2048")
        .flag("channels-last", "NHWC memory format")
        .flag("zero-init-residual", "fresh weights: residual blocks start as the identity")
        .flag("no-augment", "switch every augmentation off");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);

    std::unique_ptr<Trainer> trainer;
    TrainPrinter printer;
    auto listener = [&printer](const TrainEvent& e) { printer(e); };
    try {
        if (args.has("resume")) {
            trainer = Trainer::resume(args.get("resume"), listener);
        } else {
            TrainConfig c = args.has("preset") ? TrainConfig::preset(args.get("preset")) : TrainConfig{};
            if (args.has("config")) {
                std::ifstream in(args.get("config"));
                if (!in)
                    throw std::runtime_error(args.get("config") + ": cannot be read");
                std::stringstream text;
                text << in.rdbuf();
                try {
                    c = TrainConfig::fromJson(nlohmann::json::parse(text.str()));
                } catch (const std::exception& e) {
                    throw std::runtime_error(args.get("config") + ": " + e.what());
                }
            }
            c.data = args.has("data") ? args.get("data") : c.data;
            c.out = args.has("out") ? args.get("out") : c.out;
            auto set = [&](const char* name, auto& field, auto read) {
                if (args.has(name))
                    field = read(name);
            };
            auto asInt = [&](const char* n) { return args.getInt(n, 0); };
            auto asDouble = [&](const char* n) { return args.getDouble(n, 0); };
            auto asString = [&](const char* n) { return args.get(n); };
            set("model", c.model, asString);
            set("size", c.size, asInt);
            set("epochs", c.epochs, asInt);
            set("folds", c.folds, asInt);
            if (args.has("val-split")) {
                c.folds = 0;
                c.valSplit = args.getDouble("val-split", 0.2);
            }
            if (args.has("run-folds"))
                c.runFolds = args.getIntList("run-folds");
            set("batch", c.batch, asInt);
            set("lr", c.lr, asDouble);
            set("alpha", c.alpha, asDouble);
            set("warmup", c.warmupEpochs, asDouble);
            set("optimizer", c.optimizer, asString);
            set("weight-decay", c.weightDecay, asDouble);
            set("label-smoothing", c.labelSmoothing, asDouble);
            if (args.has("balance"))
                c.balanceClasses = true;
            set("clip", c.gradClip, asDouble);
            set("select-by", c.selectBy, asString);
            set("early-stopping", c.earlyStopping, asInt);
            set("amp", c.amp, asString);
            set("device", c.device, asString);
            set("weights", c.weights, asString);
            if (args.has("seed"))
                c.seed = static_cast<uint64_t>(args.getInt64("seed", 42));
            set("limit", c.limit, asInt);
            set("exclude", c.exclude, asString);
            set("relabel", c.relabel, asString);
            set("workers", c.workers, asInt);
            set("threads", c.threads, asInt);
            if (args.has("cache-mb"))
                c.cacheMb = args.getInt64("cache-mb", 2048);
            if (args.has("channels-last"))
                c.channelsLast = true;
            if (args.has("zero-init-residual"))
                c.zeroInitResidual = true;
            if (args.has("no-augment"))
                c.augment = AugmentOptions::none(c.size);
            c.augment.size = c.size;
            if (!args.error().empty())
                return usageError(args);
            if (const std::string problem = c.validate(); !problem.empty()) {
                std::fprintf(stderr, "cassava train: %s\n", problem.c_str());
                return Usage;
            }
            trainer = std::make_unique<Trainer>(std::move(c), listener);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava train: %s\n", e.what());
        return Failed;
    }

    gTrainer = trainer.get();
    std::signal(SIGINT, onInterrupt);
    const RunFinished result = trainer->run();
    std::signal(SIGINT, SIG_DFL);
    gTrainer = nullptr;
    if (!result.error.empty()) {
        std::fprintf(stderr, "cassava train: %s\n", result.error.c_str());
        return Failed;
    }
    return result.cancelled ? Cancelled : Ok;
}

}  // namespace cassava::cli

#include "ModelEvaluation.h"

namespace cassava::cli {

int evaluateCommand(int argc, char** argv)
{
    Args args("evaluate", "Accuracy, per-class accuracy and the confusion matrix of a checkpoint on a\n"
                          "dataset's valid images, at the checkpoint's input size and normalization.");
    args.option("model", "CKPT", "checkpoint (fold_K/best.ckpt of a run, or imported)")
        .option("data", "DIR", "dataset folder")
        .flag("json", "print JSON")
        .option("batch", "B", "batch size", "32")
        .option("device", "DEV", "auto, cpu or cuda", "auto")
        .option("limit", "N", "first N images only");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    if (!args.has("model") || !args.has("data")) {
        std::fprintf(stderr, "cassava evaluate: --model and --data are required\n");
        return Usage;
    }
    EvaluateOptions options;
    options.batch = args.getInt("batch", 32);
    options.device = args.get("device");
    options.limit = args.getInt("limit", 0);
    if (!args.error().empty())
        return usageError(args);
    try {
        const EvaluationReport r = evaluateModel(args.get("model"), args.get("data"), options);
        std::fputs(args.has("json") ? (r.toJson().dump(2) + "\n").c_str() : r.toText().c_str(), stdout);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava evaluate: %s\n", e.what());
        return Failed;
    }
    return Ok;
}

}  // namespace cassava::cli
