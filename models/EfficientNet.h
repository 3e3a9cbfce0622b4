#pragma once
// The EfficientNet module, built by a small loop over the plan of Architecture.h. Submodules are
// named as in torchvision's EfficientNet, so named_parameters() and named_buffers() give the keys
// of torchvision's efficientnet_bN state_dict one to one:
//   features.0.{0,1}                      stem: 3x3/2 convolution, BatchNorm (then SiLU)
//   features.<stage>.<i>.block.<k>        MBConv: [expand 1x1,] depthwise kxk, SE (fc1, fc2), project 1x1
//   features.8.{0,1}                      head: 1x1 convolution to 4x channels, BatchNorm (then SiLU)
//   classifier.1                          Linear after global average pooling and dropout
#include "Architecture.h"
#include "TorchInclude.h"

namespace cassava {

// Convolution + BatchNorm + optional SiLU: torchvision's Conv2dNormActivation (children "0", "1").
class ConvNormActivationImpl : public torch::nn::Module {
public:
    ConvNormActivationImpl(int in, int out, int kernel, int stride, int groups, bool activation,
                           const Variant& variant);
    torch::Tensor forward(torch::Tensor x);
    torch::nn::BatchNorm2d& norm() { return norm_; }

private:
    torch::nn::Conv2d conv_{nullptr};
    torch::nn::BatchNorm2d norm_{nullptr};
    bool activation_;
};
TORCH_MODULE(ConvNormActivation);

// Squeeze-and-excitation (Hu et al.): channel weights from a global pool and two 1x1 convolutions.
class SqueezeExcitationImpl : public torch::nn::Module {
public:
    SqueezeExcitationImpl(int channels, int squeezeChannels);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

// Mobile inverted bottleneck with stochastic depth on the residual branch ("row" mode: one
// survival draw per sample, as torchvision.ops.stochastic_depth).
class MBConvImpl : public torch::nn::Module {
public:
    MBConvImpl(const BlockPlan& plan, const Variant& variant);
    torch::Tensor forward(torch::Tensor x);
    // With a residual connection: zeroes the last BatchNorm's scale, so that the block starts as
    // the identity. False (and nothing changed) without one.
    bool zeroResidualBranch();

private:
    torch::nn::Sequential block_{nullptr};
    bool residual_;
    double stochasticDepthProb_;
};
TORCH_MODULE(MBConv);

class EfficientNetImpl : public torch::nn::Module {
public:
    explicit EfficientNetImpl(const EfficientNetOptions& options);

    // Logits, (N, numClasses), from images (N, 3, H, W) normalized with the training mean/std.
    torch::Tensor forward(torch::Tensor images);

    // The last feature map (output of features.8, (N, headChannels, H/32, W/32)) and the logits
    // computed from it: Grad-CAM takes the gradient of a logit with respect to the map.
    struct Output {
        torch::Tensor logits;
        torch::Tensor featureMap;
    };
    Output forwardWithFeatures(torch::Tensor images);
    torch::Tensor featureMap(torch::Tensor images);
    torch::Tensor classify(const torch::Tensor& featureMap);

    const EfficientNetOptions& options() const { return options_; }
    const NetworkPlan& plan() const { return plan_; }
    int numClasses() const { return options_.numClasses; }
    int64_t parameterCount() const;

    // The classifier's parameters (for a separate learning rate when fine-tuning).
    std::vector<torch::Tensor> classifierParameters() const;
    // A fresh classifier for `numClasses`, initialised as torchvision does.
    void resetClassifier(int numClasses);

    // Every residual block starts as the identity (its last BatchNorm's scale zeroed: Goyal et
    // al.'s "zero-gamma", timm's zero_init_last): a network trained from scratch starts shallow
    // and reaches a lower loss sooner (not a higher 5-fold accuracy on the real photos:
    // BENCHMARKS.md). Returns the number of blocks changed. For fresh weights only.
    int zeroInitResidualBranches();

    // Moves weights (and later inputs) to NHWC or back; numerically the same network.
    void setChannelsLast(bool channelsLast);

private:
    void initialiseWeights();

    EfficientNetOptions options_;
    NetworkPlan plan_;
    // features.0 (stem), features.1-7 (stages of blocks), features.8 (head convolution); the typed
    // handles below run them in order.
    torch::nn::ModuleList features_{nullptr};
    ConvNormActivation stem_{nullptr}, head_{nullptr};
    std::vector<MBConv> blocks_;
    torch::nn::Sequential classifier_{nullptr};
};
TORCH_MODULE(EfficientNet);

// The names of the classifier's tensors in a torchvision state_dict.
extern const char* const kClassifierWeight;  // "classifier.1.weight"
extern const char* const kClassifierBias;    // "classifier.1.bias"

}  // namespace cassava
