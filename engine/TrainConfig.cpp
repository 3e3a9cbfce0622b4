#include "TrainConfig.h"

#include "JsonNumbers.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace cassava {
namespace {

const char* cropName(AugmentOptions::Crop c)
{
    switch (c) {
    case AugmentOptions::Crop::Random: return "random";
    case AugmentOptions::Crop::Resized: return "resized";
    case AugmentOptions::Crop::Full: return "full";
    }
    return "resized";
}

AugmentOptions::Crop cropNamed(const std::string& name)
{
    if (name == "random")
        return AugmentOptions::Crop::Random;
    if (name == "resized")
        return AugmentOptions::Crop::Resized;
    if (name == "full")
        return AugmentOptions::Crop::Full;
    throw std::invalid_argument("augment.crop: '" + name + "' is not one of random, resized, full");
}

}  // namespace

std::vector<std::string> TrainConfig::presetNames() { return {"quick", "recipe-a", "recipe-b"}; }

TrainConfig TrainConfig::preset(const std::string& name)
{
    TrainConfig c;
    if (name == "recipe-a") {
        // EfficientNet-B3 at 512 px, RandomCrop + flips + 0.25-turn rotation + zoom (-0.2, 0) +
        // contrast 0.2, drop_connect 0.4, dropout 0.4, Adam with cosine 1e-4 -> floor 0.3,
        // 8 epochs, best by val_loss.
        c.model = "b3";
        c.size = 512;
        c.dropConnect = 0.4;
        c.dropout = 0.4;
        c.lr = 1e-4;
        c.alpha = 0.3;
        c.epochs = 8;
        c.selectBy = "val_loss";
        c.augment.crop = AugmentOptions::Crop::Random;
        c.augment.cropFraction = 512.0 / 600.0;
    } else if (name == "recipe-b") {
        // EfficientNet-B0 at 300 px, mixed precision, stratified 5-fold, best by val_accuracy.
        c.model = "b0";
        c.size = 300;
        c.folds = 5;
        c.amp = "auto";
        c.selectBy = "val_accuracy";
    } else if (name == "quick") {
        // Learns most per CPU-minute on this class of machine, from scratch: small images and many
        // short epochs (more optimizer steps in the same time), light regularization and milder
        // augmentation (a network this far from fitting needs steps, not more noise). Searched on
        // the real photos; see BENCHMARKS.md.
        c.model = "b0";
        c.size = 96;
        c.epochs = 21;
        c.batch = 16;
        c.lr = 2e-3;
        c.alpha = 0.05;
        c.warmupEpochs = 1.0;
        c.dropConnect = 0.1;
        c.folds = 0;
        c.valSplit = 0.2;
        c.selectBy = "val_accuracy";
        c.augment.minArea = 0.5;
        c.augment.rotationTurns = 0.25;
        c.channelsLast = true;      // 1.3-1.4x faster training steps on this CPU (BENCHMARKS.md)
        c.bnCalibrationImages = 320;
    } else {
        throw std::invalid_argument("unknown preset '" + name + "' (expected quick, recipe-a or recipe-b)");
    }
    c.augment.size = c.size;
    return c;
}

nlohmann::json TrainConfig::toJson() const
{
    nlohmann::json a = {{"crop", cropName(augment.crop)},
                        {"crop_fraction", augment.cropFraction},
                        {"min_area", augment.minArea},
                        {"max_area", augment.maxArea},
                        {"flip_horizontal", augment.flipHorizontal},
                        {"flip_vertical", augment.flipVertical},
                        {"rotation_turns", augment.rotationTurns},
                        {"zoom_min", augment.zoomMin},
                        {"zoom_max", augment.zoomMax},
                        {"contrast", augment.contrast}};
    return {{"data", data},
            {"out", out},
            {"exclude", exclude},
            {"relabel", relabel},
            {"limit", limit},
            {"model", model},
            {"size", size},
            {"weights", weights},
            {"drop_connect", dropConnect},
            {"dropout", dropout},
            {"channels_last", channelsLast},
            {"zero_init_residual", zeroInitResidual},
            {"folds", folds},
            {"val_split", valSplit},
            {"run_folds", runFolds},
            {"epochs", epochs},
            {"batch", batch},
            {"optimizer", optimizer},
            {"lr", lr},
            {"alpha", alpha},
            {"warmup_epochs", warmupEpochs},
            {"weight_decay", weightDecay},
            {"label_smoothing", labelSmoothing},
            {"balance_classes", balanceClasses},
            {"grad_clip", gradClip},
            {"select_by", selectBy},
            {"early_stopping", earlyStopping},
            {"bn_calibration_images", bnCalibrationImages},
            {"device", device},
            {"amp", amp},
            {"threads", threads},
            {"workers", workers},
            {"cache_mb", cacheMb},
            {"augment", a},
            {"adapt_normalization", adaptNormalization},
            {"seed", seed},
            {"log_every_steps", logEverySteps}};
}

TrainConfig TrainConfig::fromJson(const nlohmann::json& j)
{
    if (!j.is_object())
        throw std::invalid_argument("a training configuration is a JSON object");
    TrainConfig c;
    const nlohmann::json defaults = c.toJson();
    for (const auto& [key, value] : j.items()) {
        if (!defaults.contains(key))
            throw std::invalid_argument("unknown setting '" + key + "'");
        if (key == "augment") {
            for (const auto& [k, v] : value.items())
                if (!defaults["augment"].contains(k))
                    throw std::invalid_argument("unknown setting 'augment." + k + "'");
        }
    }
    auto read = [&](const char* key, auto& field) {
        if (!j.contains(key))
            return;
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_integral_v<Field> && !std::is_same_v<Field, bool>) {
            if (!wholeNumber(j.at(key), field))
                throw std::invalid_argument(std::string("setting '") + key + "' is not a whole number that fits");
            return;
        } else {
            try {
                j.at(key).get_to(field);
            } catch (const nlohmann::json::exception&) {
                throw std::invalid_argument(std::string("setting '") + key + "' has the wrong type");
            }
        }
    };
    read("data", c.data);
    read("out", c.out);
    read("exclude", c.exclude);
    read("relabel", c.relabel);
    read("limit", c.limit);
    read("model", c.model);
    read("size", c.size);
    read("weights", c.weights);
    read("drop_connect", c.dropConnect);
    read("dropout", c.dropout);
    read("channels_last", c.channelsLast);
    read("zero_init_residual", c.zeroInitResidual);
    read("folds", c.folds);
    read("val_split", c.valSplit);
    read("run_folds", c.runFolds);
    read("epochs", c.epochs);
    read("batch", c.batch);
    read("optimizer", c.optimizer);
    read("lr", c.lr);
    read("alpha", c.alpha);
    read("warmup_epochs", c.warmupEpochs);
    read("weight_decay", c.weightDecay);
    read("label_smoothing", c.labelSmoothing);
    read("balance_classes", c.balanceClasses);
    read("grad_clip", c.gradClip);
    read("select_by", c.selectBy);
    read("early_stopping", c.earlyStopping);
    read("bn_calibration_images", c.bnCalibrationImages);
    read("device", c.device);
    read("amp", c.amp);
    read("threads", c.threads);
    read("workers", c.workers);
    read("cache_mb", c.cacheMb);
    read("adapt_normalization", c.adaptNormalization);
    read("seed", c.seed);
    read("log_every_steps", c.logEverySteps);
    if (j.contains("augment")) {
        const auto& a = j.at("augment");
        try {
            if (a.contains("crop"))
                c.augment.crop = cropNamed(a.at("crop").get<std::string>());
            c.augment.cropFraction = a.value("crop_fraction", c.augment.cropFraction);
            c.augment.minArea = a.value("min_area", c.augment.minArea);
            c.augment.maxArea = a.value("max_area", c.augment.maxArea);
            c.augment.flipHorizontal = a.value("flip_horizontal", c.augment.flipHorizontal);
            c.augment.flipVertical = a.value("flip_vertical", c.augment.flipVertical);
            c.augment.rotationTurns = a.value("rotation_turns", c.augment.rotationTurns);
            c.augment.zoomMin = a.value("zoom_min", c.augment.zoomMin);
            c.augment.zoomMax = a.value("zoom_max", c.augment.zoomMax);
            c.augment.contrast = a.value("contrast", c.augment.contrast);
        } catch (const nlohmann::json::exception&) {
            throw std::invalid_argument("a setting under 'augment' has the wrong type");
        }
    }
    c.augment.size = c.size;
    return c;
}

std::string TrainConfig::validate() const
{
    if (data.empty())
        return "data: no dataset folder given";
    if (out.empty())
        return "out: no run folder given";
    if (size < 32 || size > 1024)
        return "size: " + std::to_string(size) + " px is outside 32..1024";
    if (epochs < 1)
        return "epochs: must be at least 1";
    if (batch < 1)
        return "batch: must be at least 1";
    if (folds > 20)
        return "folds: at most 20";
    if (!kFold() && !(valSplit > 0 && valSplit < 1))
        return "val_split: must be between 0 and 1";
    for (int f : runFolds)
        if (f < 0 || f >= foldCount())
            return "run_folds: fold " + std::to_string(f) + " does not exist";
    if (!(lr > 0))
        return "lr: must be positive";
    if (alpha < 0 || alpha > 1)
        return "alpha: must be between 0 and 1";
    if (optimizer != "adam" && optimizer != "adamw")
        return "optimizer: '" + optimizer + "' is not adam or adamw";
    if (selectBy != "val_loss" && selectBy != "val_accuracy")
        return "select_by: '" + selectBy + "' is not val_loss or val_accuracy";
    if (device != "auto" && device != "cpu" && device != "cuda")
        return "device: '" + device + "' is not auto, cpu or cuda";
    if (amp != "auto" && amp != "off" && amp != "fp16" && amp != "bf16")
        return "amp: '" + amp + "' is not auto, off, fp16 or bf16";
    if (labelSmoothing < 0 || labelSmoothing >= 1)
        return "label_smoothing: must be in [0, 1)";
    if (dropConnect < 0 || dropConnect >= 1)
        return "drop_connect: must be in [0, 1)";
    if (dropout >= 1)
        return "dropout: must be below 1";
    return {};
}

}  // namespace cassava
