#pragma once
// Every setting of a training run: enough to reproduce it, saved as RUN/config.json. The CLI's
// flags, the GUI wizard's pages and --config FILE.json all fill this one struct.
// No LibTorch here.
#include "Augment.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cassava {

struct TrainConfig {
    // Data
    std::string data;                 // dataset folder
    std::string out;                  // run folder
    std::string exclude;              // suspects.csv: image_ids left out of training (issue: denoise)
    std::string relabel;              // decisions.csv: image_id,label corrections
    int limit = 0;                    // use only the first N valid images (0: all); for quick tries

    // Model
    std::string model = "b0";
    int size = 224;
    std::string weights;              // initial weights: our checkpoint (.ckpt) or torchvision file
    double dropConnect = 0.2;
    double dropout = -1;              // < 0: the variant's own
    bool channelsLast = false;
    bool zeroInitResidual = false;    // fresh weights: residual blocks start as the identity (BENCHMARKS.md)

    // Split
    int folds = 5;                    // >= 2: stratified k-fold; 0 or 1: hold-out of valSplit
    double valSplit = 0.2;
    std::vector<int> runFolds;        // empty: all folds

    // Optimisation
    int epochs = 8;
    int batch = 16;
    std::string optimizer = "adam";   // adam | adamw
    double lr = 1e-3;
    double alpha = 0.3;               // cosine floor, as a fraction of lr
    double warmupEpochs = 0.0;
    double weightDecay = 0.0;
    double labelSmoothing = 0.0;
    bool balanceClasses = false;      // class weights inversely proportional to frequency
    double gradClip = 0.0;            // max global gradient norm; 0 = off
    std::string selectBy = "val_loss";  // val_loss | val_accuracy: which epoch is "best"
    int earlyStopping = 0;            // stop a fold after N epochs without improvement; 0 = off
    // Before each validation, BatchNorm statistics are recomputed for the current weights over up
    // to this many training images (at the validation transform, stochastic depth off): "precise
    // BN". Running averages lag fast-changing weights; in short runs from scratch they make the
    // evaluated network collapse to one class. 0 = off.
    int bnCalibrationImages = 1024;

    // Hardware
    std::string device = "auto";      // auto | cpu | cuda
    std::string amp = "auto";         // auto | off | fp16 | bf16 (auto: fp16 on CUDA, off on CPU)
    int threads = 0;                  // torch intra-op threads; 0 = all cores
    int workers = 0;                  // loader threads; 0 = all cores
    int64_t cacheMb = 2048;           // decoded-image cache budget

    // Augmentation and normalization
    AugmentOptions augment;           // augment.size follows `size`
    bool adaptNormalization = true;   // mean/std from the training split (recipe A)
    uint64_t seed = 42;
    int logEverySteps = 10;           // step summaries in metrics.jsonl

    // Named starting points; explicit flags given after a preset override it.
    static TrainConfig preset(const std::string& name);  // "quick", "recipe-a", "recipe-b"
    static std::vector<std::string> presetNames();

    nlohmann::json toJson() const;
    // Unknown keys are an error (a typo would silently change a run); missing keys keep defaults.
    static TrainConfig fromJson(const nlohmann::json& json);

    // Empty when the settings make sense together, else a message naming the setting.
    std::string validate() const;
    bool kFold() const { return folds >= 2; }
    int foldCount() const { return kFold() ? folds : 1; }
};

}  // namespace cassava
