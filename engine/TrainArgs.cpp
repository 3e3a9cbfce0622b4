#include "TrainArgs.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cassava {
namespace {

const char* cropName(AugmentOptions::Crop crop)
{
    switch (crop) {
    case AugmentOptions::Crop::Random: return "random";
    case AugmentOptions::Crop::Resized: return "resized";
    case AugmentOptions::Crop::Full: return "full";
    }
    return "resized";
}

const char* flipsName(const AugmentOptions& a)
{
    if (a.flipHorizontal && a.flipVertical)
        return "both";
    if (a.flipHorizontal)
        return "horizontal";
    if (a.flipVertical)
        return "vertical";
    return "none";
}

std::string intText(int64_t v) { return std::to_string(v); }

std::string intListText(const std::vector<int>& values)
{
    std::string text;
    for (size_t i = 0; i < values.size(); ++i)
        text += (i ? "," : "") + std::to_string(values[i]);
    return text;
}

// Writes the flags that turn `base` into `c`.
class Emitter {
public:
    Emitter(const TrainConfig& base, const TrainConfig& c) : b_(base), c_(c) {}
    std::vector<std::string> out;

    void text(const char* flag, const std::string& from, const std::string& to)
    {
        if (from != to)
            add(flag, to);
    }
    void number(const char* flag, double from, double to)
    {
        if (from != to)
            add(flag, roundTripNumber(to));
    }
    void integer(const char* flag, int64_t from, int64_t to)
    {
        if (from != to)
            add(flag, intText(to));
    }
    // --name when it becomes true, --no-name when it becomes false.
    void boolean(const char* flag, bool from, bool to)
    {
        if (from != to)
            out.push_back(std::string(to ? "--" : "--no-") + flag);
    }
    void add(const char* flag, const std::string& value)
    {
        out.push_back(std::string("--") + flag);
        out.push_back(value);
    }

    void all()
    {
        text("model", b_.model, c_.model);
        integer("size", b_.size, c_.size);
        text("weights", b_.weights, c_.weights);
        number("drop-connect", b_.dropConnect, c_.dropConnect);
        number("dropout", b_.dropout, c_.dropout);
        boolean("channels-last", b_.channelsLast, c_.channelsLast);
        boolean("zero-init-residual", b_.zeroInitResidual, c_.zeroInitResidual);
        // --val-split alone means a hold-out (folds 0); with --folds the given count stays.
        const bool foldsDiffer = b_.folds != c_.folds, splitDiffers = b_.valSplit != c_.valSplit;
        if (c_.folds == 0 && (foldsDiffer || splitDiffers)) {
            add("val-split", roundTripNumber(c_.valSplit));
        } else {
            if (foldsDiffer || splitDiffers)
                add("folds", intText(c_.folds));
            number("val-split", b_.valSplit, c_.valSplit);
        }
        text("run-folds", intListText(b_.runFolds), intListText(c_.runFolds));
        integer("epochs", b_.epochs, c_.epochs);
        integer("batch", b_.batch, c_.batch);
        text("optimizer", b_.optimizer, c_.optimizer);
        number("lr", b_.lr, c_.lr);
        number("alpha", b_.alpha, c_.alpha);
        number("warmup", b_.warmupEpochs, c_.warmupEpochs);
        number("weight-decay", b_.weightDecay, c_.weightDecay);
        number("label-smoothing", b_.labelSmoothing, c_.labelSmoothing);
        boolean("balance", b_.balanceClasses, c_.balanceClasses);
        number("clip", b_.gradClip, c_.gradClip);
        text("select-by", b_.selectBy, c_.selectBy);
        integer("early-stopping", b_.earlyStopping, c_.earlyStopping);
        integer("bn-calibration", b_.bnCalibrationImages, c_.bnCalibrationImages);
        text("device", b_.device, c_.device);
        text("amp", b_.amp, c_.amp);
        integer("threads", b_.threads, c_.threads);
        integer("workers", b_.workers, c_.workers);
        integer("cache-mb", b_.cacheMb, c_.cacheMb);
        const AugmentOptions &ba = b_.augment, &ca = c_.augment;
        text("crop", cropName(ba.crop), cropName(ca.crop));
        number("crop-fraction", ba.cropFraction, ca.cropFraction);
        number("min-area", ba.minArea, ca.minArea);
        number("max-area", ba.maxArea, ca.maxArea);
        text("flips", flipsName(ba), flipsName(ca));
        number("rotation", ba.rotationTurns, ca.rotationTurns);
        number("zoom-min", ba.zoomMin, ca.zoomMin);
        number("zoom-max", ba.zoomMax, ca.zoomMax);
        number("contrast", ba.contrast, ca.contrast);
        boolean("adapt-normalization", b_.adaptNormalization, c_.adaptNormalization);
        if (b_.seed != c_.seed)
            add("seed", std::to_string(c_.seed));
        integer("log-every", b_.logEverySteps, c_.logEverySteps);
        integer("limit", b_.limit, c_.limit);
        text("exclude", b_.exclude, c_.exclude);
        text("relabel", b_.relabel, c_.relabel);
    }

private:
    const TrainConfig& b_;
    const TrainConfig& c_;
};

std::vector<std::string> flagsFrom(const TrainConfig& base, const TrainConfig& c)
{
    Emitter e(base, c);
    e.all();
    return e.out;
}

}  // namespace

std::string roundTripNumber(double value)
{
    char buffer[40];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    return buffer;
}

void addTrainOptions(Args& args)
{
    const TrainConfig d;
    const auto num = [](double v) { return roundTripNumber(v); };
    args.option("data", "DIR", "dataset folder")
        .option("out", "RUN", "run folder to create")
        .option("preset", "NAME", "start from quick, recipe-a or recipe-b; flags override it")
        .option("config", "FILE", "settings from a JSON file (as RUN/config.json); flags override it")
        .option("model", "b0..b7", "EfficientNet variant", d.model)
        .option("size", "PX", "input size", intText(d.size))
        .option("weights", "FILE", "initial weights: a .ckpt, a torchvision file, or imagenet (torchvision's, fetched into the cache: cassava weights)")
        .option("drop-connect", "P", "stochastic depth of the last block", num(d.dropConnect))
        .option("dropout", "P", "dropout before the classifier (below 0: the variant's)", num(d.dropout))
        .flag("channels-last", "NHWC memory format")
        .flag("no-channels-last", "NCHW memory format (when a preset chose NHWC)")
        .flag("zero-init-residual", "fresh weights: residual blocks start as the identity")
        .flag("no-zero-init-residual", "fresh weights: residual blocks start as initialised")
        .option("epochs", "N", "epochs per fold", intText(d.epochs))
        .option("folds", "K", "stratified k-fold (runs folds one after another)", intText(d.folds))
        .option("val-split", "F", "a single hold-out split of this fraction instead of k-fold")
        .option("run-folds", "LIST", "only these folds, e.g. 0,2")
        .option("batch", "B", "batch size", intText(d.batch))
        .option("lr", "X", "peak learning rate", num(d.lr))
        .option("alpha", "A", "cosine floor as a fraction of lr", num(d.alpha))
        .option("warmup", "EPOCHS", "linear warm-up length", num(d.warmupEpochs))
        .option("optimizer", "NAME", "adam or adamw", d.optimizer)
        .option("weight-decay", "X", "weight decay", num(d.weightDecay))
        .option("label-smoothing", "X", "label smoothing", num(d.labelSmoothing))
        .flag("balance", "weight classes inversely to their frequency")
        .flag("no-balance", "all classes weigh the same")
        .option("clip", "NORM", "clip the gradient norm (0: off)", num(d.gradClip))
        .option("select-by", "METRIC", "val_loss or val_accuracy: the epoch kept as best", d.selectBy)
        .option("early-stopping", "N", "stop a fold after N epochs without improvement (0: off)",
                intText(d.earlyStopping))
        .option("bn-calibration", "N", "recompute BatchNorm statistics over N training images before "
                "each validation (0: off)", intText(d.bnCalibrationImages))
        .option("amp", "MODE", "auto, off, fp16 or bf16", d.amp)
        .option("device", "DEV", "auto, cpu or cuda", d.device)
        .option("crop", "MODE", "training crop: random (a square of --crop-fraction), resized "
                "(random area --min-area..--max-area) or full", cropName(d.augment.crop))
        .option("crop-fraction", "F", "random crop: window side / short side", num(d.augment.cropFraction))
        .option("min-area", "F", "resized crop: smallest fraction of the image area", num(d.augment.minArea))
        .option("max-area", "F", "resized crop: largest fraction of the image area", num(d.augment.maxArea))
        .option("flips", "WHICH", "random flips: none, horizontal, vertical or both", flipsName(d.augment))
        .option("rotation", "TURNS", "random rotation up to +-TURNS x 360 degrees (0: off)",
                num(d.augment.rotationTurns))
        .option("zoom-min", "F", "random zoom from (negative zooms in by that fraction)", num(d.augment.zoomMin))
        .option("zoom-max", "F", "random zoom to", num(d.augment.zoomMax))
        .option("contrast", "C", "random contrast factor in 1 +- C (0: off)", num(d.augment.contrast))
        .flag("no-augment", "switch every augmentation off (augmentation flags after it switch one on)")
        .flag("no-adapt-normalization", "normalize with ImageNet's mean and std, not the training split's")
        .flag("adapt-normalization", "normalize with the training split's mean and std")
        .option("seed", "S", "random seed", std::to_string(d.seed))
        .option("log-every", "N", "a step line in metrics.jsonl every N steps", intText(d.logEverySteps))
        .option("limit", "N", "use only the first N images")
        .option("exclude", "CSV", "leave out the image_ids listed (e.g. suspects.csv)")
        .option("relabel", "CSV", "apply image_id,label corrections")
        .option("workers", "N", "loader threads (0: all cores)", intText(d.workers))
        .option("threads", "N", "torch threads (0: all cores)", intText(d.threads))
        .option("cache-mb", "MB", "decoded-image cache", std::to_string(d.cacheMb));
}

TrainConfig trainConfigFromArgs(const Args& args)
{
    TrainConfig c = args.has("preset") ? TrainConfig::preset(args.get("preset")) : TrainConfig{};
    if (args.has("config")) {
        const std::string path = args.get("config");
        std::ifstream in(path);
        if (!in)
            throw std::runtime_error(path + ": cannot be read");
        std::stringstream text;
        text << in.rdbuf();
        try {
            c = TrainConfig::fromJson(nlohmann::json::parse(text.str()));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + ": " + e.what());
        }
    }
    const auto text = [&](const char* name, std::string& field) {
        if (args.has(name))
            field = args.get(name);
    };
    const auto integer = [&](const char* name, int& field) {
        if (args.has(name))
            field = args.getInt(name, field);
    };
    const auto number = [&](const char* name, double& field) {
        if (args.has(name))
            field = args.getDouble(name, field);
    };
    const auto boolean = [&](const char* name, bool& field) {
        const std::string negated = std::string("no-") + name;
        if (args.has(name) && args.has(negated))
            throw TrainArgsError(std::string("--") + name + " and --" + negated + " contradict each other");
        if (args.has(name))
            field = true;
        if (args.has(negated))
            field = false;
    };
    text("data", c.data);
    text("out", c.out);
    text("model", c.model);
    integer("size", c.size);
    text("weights", c.weights);
    number("drop-connect", c.dropConnect);
    number("dropout", c.dropout);
    boolean("channels-last", c.channelsLast);
    boolean("zero-init-residual", c.zeroInitResidual);
    integer("folds", c.folds);
    if (args.has("val-split")) {
        if (!args.has("folds"))
            c.folds = 0;
        number("val-split", c.valSplit);
    }
    if (args.has("run-folds"))
        c.runFolds = args.getIntList("run-folds");
    integer("epochs", c.epochs);
    integer("batch", c.batch);
    text("optimizer", c.optimizer);
    number("lr", c.lr);
    number("alpha", c.alpha);
    number("warmup", c.warmupEpochs);
    number("weight-decay", c.weightDecay);
    number("label-smoothing", c.labelSmoothing);
    boolean("balance", c.balanceClasses);
    number("clip", c.gradClip);
    text("select-by", c.selectBy);
    integer("early-stopping", c.earlyStopping);
    integer("bn-calibration", c.bnCalibrationImages);
    text("amp", c.amp);
    text("device", c.device);

    if (args.has("no-augment"))
        c.augment = AugmentOptions::none(c.size);
    AugmentOptions& a = c.augment;
    if (args.has("crop")) {
        const std::string crop = args.get("crop");
        if (crop == "random")
            a.crop = AugmentOptions::Crop::Random;
        else if (crop == "resized")
            a.crop = AugmentOptions::Crop::Resized;
        else if (crop == "full")
            a.crop = AugmentOptions::Crop::Full;
        else
            throw TrainArgsError("--crop: '" + crop + "' is not random, resized or full");
    }
    number("crop-fraction", a.cropFraction);
    number("min-area", a.minArea);
    number("max-area", a.maxArea);
    if (args.has("flips")) {
        const std::string flips = args.get("flips");
        if (flips != "none" && flips != "horizontal" && flips != "vertical" && flips != "both")
            throw TrainArgsError("--flips: '" + flips + "' is not none, horizontal, vertical or both");
        a.flipHorizontal = flips == "horizontal" || flips == "both";
        a.flipVertical = flips == "vertical" || flips == "both";
    }
    number("rotation", a.rotationTurns);
    number("zoom-min", a.zoomMin);
    number("zoom-max", a.zoomMax);
    number("contrast", a.contrast);
    boolean("adapt-normalization", c.adaptNormalization);
    if (args.has("seed"))
        c.seed = args.getUint64("seed", c.seed);
    integer("log-every", c.logEverySteps);
    integer("limit", c.limit);
    text("exclude", c.exclude);
    text("relabel", c.relabel);
    integer("workers", c.workers);
    integer("threads", c.threads);
    if (args.has("cache-mb"))
        c.cacheMb = args.getInt64("cache-mb", c.cacheMb);
    c.augment.size = c.size;
    if (!args.error().empty())
        throw TrainArgsError(args.error());
    return c;
}

std::vector<std::string> trainCommandLine(const TrainConfig& config, const std::string& preset)
{
    std::string start = preset;
    std::vector<std::string> flags;
    if (preset.empty()) {
        flags = flagsFrom(TrainConfig{}, config);
        for (const auto& name : TrainConfig::presetNames()) {
            auto candidate = flagsFrom(TrainConfig::preset(name), config);
            if (candidate.size() + 2 < flags.size()) {  // "--preset NAME" costs two
                flags = std::move(candidate);
                start = name;
            }
        }
    } else {
        flags = flagsFrom(TrainConfig::preset(preset), config);
    }
    std::vector<std::string> out{"train", "--data", config.data, "--out", config.out};
    if (!start.empty()) {
        out.push_back("--preset");
        out.push_back(start);
    }
    out.insert(out.end(), flags.begin(), flags.end());
    return out;
}

TrainConfig trainConfigFromCommandLine(const std::vector<std::string>& arguments)
{
    Args args("train", "");
    addTrainOptions(args);
    std::vector<std::string> rest = arguments;
    if (!rest.empty() && rest.front() == "train")
        rest.erase(rest.begin());
    if (!args.parse(rest))
        throw TrainArgsError(args.error());
    return trainConfigFromArgs(args);
}

std::string shellQuote(const std::string& argument)
{
    if (!argument.empty() &&
        argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
            std::string::npos)
        return argument;
    std::string quoted = "'";
    for (char ch : argument)
        quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return quoted + "'";
}

std::string shellCommand(const std::string& program, const std::vector<std::string>& arguments)
{
    std::string line = shellQuote(program);
    for (const auto& a : arguments)
        line += " " + shellQuote(a);
    return line;
}

}  // namespace cassava
