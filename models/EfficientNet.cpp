#include "EfficientNet.h"

#include <cmath>

namespace cassava {

const char* const kClassifierWeight = "classifier.1.weight";
const char* const kClassifierBias = "classifier.1.bias";

namespace {

// torchvision.ops.stochastic_depth(mode="row"): drop the whole residual branch of a sample with
// probability p and rescale the survivors.
torch::Tensor stochasticDepth(const torch::Tensor& x, double p, bool training)
{
    if (!training || p == 0.0)
        return x;
    const double survival = 1.0 - p;
    std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
    shape[0] = x.size(0);
    auto noise = torch::empty(shape, x.options()).bernoulli_(survival);
    if (survival > 0.0)
        noise.div_(survival);
    return x * noise;
}

torch::nn::Linear makeClassifier(int inFeatures, int numClasses)
{
    torch::nn::Linear linear(inFeatures, numClasses);
    // torchvision: uniform(-1/sqrt(out), 1/sqrt(out)) weights, zero bias.
    const double range = 1.0 / std::sqrt(static_cast<double>(numClasses));
    torch::NoGradGuard noGrad;
    linear->weight.uniform_(-range, range);
    linear->bias.zero_();
    return linear;
}

}  // namespace

ConvNormActivationImpl::ConvNormActivationImpl(int in, int out, int kernel, int stride, int groups,
                                               bool activation, const Variant& variant)
    : activation_(activation)
{
    conv_ = register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                       .stride(stride)
                                                       .padding((kernel - 1) / 2)
                                                       .groups(groups)
                                                       .bias(false)));
    norm_ = register_module("1", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(out)
                                                            .eps(variant.batchNormEps)
                                                            .momentum(variant.batchNormMomentum)));
}

torch::Tensor ConvNormActivationImpl::forward(torch::Tensor x)
{
    x = norm_->forward(conv_->forward(x));
    // In place, as torchvision's nn.SiLU(inplace=True): one activation tensor less to keep.
    return activation_ ? torch::silu_(x) : x;
}

SqueezeExcitationImpl::SqueezeExcitationImpl(int channels, int squeezeChannels)
{
    fc1_ = register_module("fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, squeezeChannels, 1)));
    fc2_ = register_module("fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeezeChannels, channels, 1)));
}

torch::Tensor SqueezeExcitationImpl::forward(torch::Tensor x)
{
    auto scale = torch::adaptive_avg_pool2d(x, {1, 1});
    scale = fc1_->forward(scale);
    torch::silu_(scale);
    scale = torch::sigmoid(fc2_->forward(scale));
    return scale * x;
}

MBConvImpl::MBConvImpl(const BlockPlan& plan, const Variant& variant)
    : residual_(plan.hasResidual()), stochasticDepthProb_(plan.stochasticDepthProb)
{
    block_ = torch::nn::Sequential();
    if (plan.hasExpansion())
        block_->push_back(ConvNormActivation(plan.inChannels, plan.expandedChannels, 1, 1, 1, true,
                                             variant));
    block_->push_back(ConvNormActivation(plan.expandedChannels, plan.expandedChannels, plan.kernel,
                                         plan.stride, plan.expandedChannels, true, variant));
    block_->push_back(SqueezeExcitation(plan.expandedChannels, plan.squeezeChannels));
    block_->push_back(ConvNormActivation(plan.expandedChannels, plan.outChannels, 1, 1, 1, false,
                                         variant));
    register_module("block", block_);
}

bool MBConvImpl::zeroResidualBranch()
{
    if (!residual_)
        return false;
    torch::NoGradGuard noGrad;
    block_->ptr<ConvNormActivationImpl>(block_->size() - 1)->norm()->weight.zero_();
    return true;
}

torch::Tensor MBConvImpl::forward(torch::Tensor x)
{
    auto result = block_->forward(x);
    if (residual_) {
        result = stochasticDepth(result, stochasticDepthProb_, is_training());
        result += x;
    }
    return result;
}

EfficientNetImpl::EfficientNetImpl(const EfficientNetOptions& options)
    : options_(options)
{
    const Variant& variant = variantNamed(options.variant);
    if (options.numClasses < 1)
        throw std::invalid_argument("an EfficientNet needs at least one class (got " +
                                    std::to_string(options.numClasses) + ")");
    if (!(options.dropConnect >= 0.0 && options.dropConnect < 1.0))
        throw std::invalid_argument("drop_connect rate must be in [0, 1) (got " +
                                    std::to_string(options.dropConnect) + ")");
    const double dropout = options.effectiveDropout();
    if (!(dropout >= 0.0 && dropout < 1.0))
        throw std::invalid_argument("dropout rate must be in [0, 1) (got " + std::to_string(dropout) + ")");
    plan_ = planNetwork(variant, options.dropConnect);

    features_ = torch::nn::ModuleList();
    stem_ = ConvNormActivation(3, plan_.stemChannels, 3, 2, 1, true, variant);
    features_->push_back(stem_);
    for (int stage = 1; stage <= plan_.stageCount; ++stage) {
        torch::nn::ModuleList stageBlocks;
        for (const BlockPlan& b : plan_.blocks) {
            if (b.stage == stage) {
                blocks_.push_back(MBConv(b, variant));
                stageBlocks->push_back(blocks_.back());
            }
        }
        features_->push_back(stageBlocks);
    }
    head_ = ConvNormActivation(plan_.blocks.back().outChannels, plan_.headChannels, 1, 1, 1, true, variant);
    features_->push_back(head_);
    register_module("features", features_);

    classifier_ = torch::nn::Sequential(torch::nn::Dropout(torch::nn::DropoutOptions(dropout)),
                                        makeClassifier(plan_.headChannels, options.numClasses));
    register_module("classifier", classifier_);

    initialiseWeights();
    if (options.channelsLast)
        setChannelsLast(true);
}

void EfficientNetImpl::initialiseWeights()
{
    // As torchvision: Kaiming-normal (fan out) convolutions, BatchNorm at identity; the classifier
    // is initialised where it is made.
    torch::NoGradGuard noGrad;
    for (auto& module : features_->modules(/*include_self=*/false)) {
        if (auto* conv = module->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut);
            if (conv->bias.defined())
                conv->bias.zero_();
        } else if (auto* norm = module->as<torch::nn::BatchNorm2d>()) {
            norm->weight.fill_(1.0);
            norm->bias.zero_();
        }
    }
}

int EfficientNetImpl::zeroInitResidualBranches()
{
    int changed = 0;
    for (auto& block : blocks_)
        changed += block->zeroResidualBranch() ? 1 : 0;
    return changed;
}

void EfficientNetImpl::setChannelsLast(bool channelsLast)
{
    options_.channelsLast = channelsLast;
    const auto format = channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    torch::NoGradGuard noGrad;
    for (auto& p : parameters())
        if (p.dim() == 4)
            p.set_data(p.contiguous(format));
}

torch::Tensor EfficientNetImpl::featureMap(torch::Tensor images)
{
    if (options_.channelsLast)
        images = images.contiguous(torch::MemoryFormat::ChannelsLast);
    auto x = stem_->forward(images);
    for (auto& block : blocks_)
        x = block->forward(x);
    return head_->forward(x);
}

torch::Tensor EfficientNetImpl::classify(const torch::Tensor& featureMap)
{
    auto pooled = torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1);
    return classifier_->forward(pooled);
}

torch::Tensor EfficientNetImpl::forward(torch::Tensor images)
{
    return classify(featureMap(std::move(images)));
}

EfficientNetImpl::Output EfficientNetImpl::forwardWithFeatures(torch::Tensor images)
{
    Output out;
    out.featureMap = featureMap(std::move(images));
    out.logits = classify(out.featureMap);
    return out;
}

int64_t EfficientNetImpl::parameterCount() const
{
    int64_t count = 0;
    for (const auto& p : parameters())
        count += p.numel();
    return count;
}

std::vector<torch::Tensor> EfficientNetImpl::classifierParameters() const
{
    return classifier_->parameters();
}

void EfficientNetImpl::resetClassifier(int numClasses)
{
    if (numClasses < 1)
        throw std::invalid_argument("an EfficientNet needs at least one class (got " +
                                    std::to_string(numClasses) + ")");
    options_.numClasses = numClasses;
    const double dropout = options_.effectiveDropout();
    auto linear = makeClassifier(plan_.headChannels, numClasses);
    // Keep the device and dtype of the network.
    const auto reference = features_->parameters().front();
    linear->to(reference.device(), reference.scalar_type());
    classifier_ = replace_module("classifier",
                                 torch::nn::Sequential(torch::nn::Dropout(torch::nn::DropoutOptions(dropout)),
                                                       linear));
    classifier_->train(is_training());
}

}  // namespace cassava
