#pragma once
// EfficientNet as data (Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional
// Neural Networks"): a table of compound-scaling multipliers per variant and a table of the B0
// baseline's MBConv stages. planNetwork() scales the stages the way torchvision's efficientnet.py
// does, so the modules built from the plan have torchvision's shapes and state_dict names.
// No LibTorch here: code that only needs the tables (the CLI, the GUI) stays light.
#include <optional>
#include <string>
#include <vector>

namespace cassava {

// One row of the paper's compound scaling (phi = 0..7), with torchvision's dropout and
// BatchNorm settings (B5-B7 were ported from TensorFlow with eps 1e-3 and momentum 0.01).
struct Variant {
    std::string name;  // "b0"
    double widthMultiplier;
    double depthMultiplier;
    int resolution;  // the input size the variant was trained at
    double dropout;
    double batchNormEps;
    double batchNormMomentum;  // PyTorch convention: weight of the new batch statistic
};

const std::vector<Variant>& variants();
// Throws std::invalid_argument ("unknown EfficientNet variant 'b9' (expected one of b0 ... b7)").
const Variant& variantNamed(const std::string& name);
bool isVariantName(const std::string& name);
std::string variantNamesList();  // "b0, b1, ..., b7"

// One row of Table 1 of the paper: a stage of MBConv blocks of the B0 baseline.
struct StageSetting {
    int expandRatio;
    int kernel;
    int stride;  // of the stage's first block; the others have stride 1
    int inChannels;
    int outChannels;
    int repeats;
};

const std::vector<StageSetting>& baselineStages();
constexpr int kStemChannels = 32;   // the 3x3 stride-2 convolution before stage 1
constexpr int kHeadExpansion = 4;   // the last 1x1 convolution has 4x the last stage's channels

// torchvision's _make_divisible (from the TensorFlow reference): round to a multiple of 8, never
// more than 10% below the unrounded value.
int makeDivisible(double value, int divisor = 8);

// One MBConv block after scaling.
struct BlockPlan {
    int stage;  // 1..7: the block lives at features.<stage>.<index>
    int index;
    int kernel;
    int stride;
    int inChannels;
    int expandedChannels;  // == inChannels when expand ratio is 1 (no expansion convolution)
    int squeezeChannels;   // squeeze-and-excitation bottleneck: inChannels / 4
    int outChannels;
    double stochasticDepthProb;  // drop_connect * block_number / total_blocks

    bool hasExpansion() const { return expandedChannels != inChannels; }
    bool hasResidual() const { return stride == 1 && inChannels == outChannels; }
};

struct NetworkPlan {
    const Variant* variant = nullptr;
    int stemChannels = 0;
    std::vector<BlockPlan> blocks;  // in order; stages 1..7
    int headChannels = 0;           // channels of the last feature map (features.8)
    int stageCount = 0;
};

NetworkPlan planNetwork(const Variant& variant, double dropConnect);

// What can be chosen when a network is built.
struct EfficientNetOptions {
    std::string variant = "b0";
    int numClasses = 1000;
    double dropConnect = 0.2;       // torchvision's stochastic_depth_prob
    std::optional<double> dropout;  // before the classifier; the variant's value when unset
    bool channelsLast = false;      // keep activations and weights in NHWC

    double effectiveDropout() const;
};

// ImageNet normalization, which torchvision's weights expect.
constexpr double kImageNetMean[3] = {0.485, 0.456, 0.406};
constexpr double kImageNetStd[3] = {0.229, 0.224, 0.225};

}  // namespace cassava
