#include "Architecture.h"

#include <cmath>
#include <stdexcept>

namespace cassava {

const std::vector<Variant>& variants()
{
    // name, width, depth, resolution, dropout, BatchNorm eps, BatchNorm momentum
    static const std::vector<Variant> table = {
        {"b0", 1.0, 1.0, 224, 0.2, 1e-5, 0.1},
        {"b1", 1.0, 1.1, 240, 0.2, 1e-5, 0.1},
        {"b2", 1.1, 1.2, 260, 0.3, 1e-5, 0.1},
        {"b3", 1.2, 1.4, 300, 0.3, 1e-5, 0.1},
        {"b4", 1.4, 1.8, 380, 0.4, 1e-5, 0.1},
        {"b5", 1.6, 2.2, 456, 0.4, 1e-3, 0.01},
        {"b6", 1.8, 2.6, 528, 0.5, 1e-3, 0.01},
        {"b7", 2.0, 3.1, 600, 0.5, 1e-3, 0.01},
    };
    return table;
}

const std::vector<StageSetting>& baselineStages()
{
    // expand ratio, kernel, stride, in channels, out channels, repeats (Table 1 of the paper)
    static const std::vector<StageSetting> table = {
        {1, 3, 1, 32, 16, 1},
        {6, 3, 2, 16, 24, 2},
        {6, 5, 2, 24, 40, 2},
        {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3},
        {6, 5, 2, 112, 192, 4},
        {6, 3, 1, 192, 320, 1},
    };
    return table;
}

std::string variantNamesList()
{
    std::string list;
    for (const auto& v : variants())
        list += (list.empty() ? "" : ", ") + v.name;
    return list;
}

bool isVariantName(const std::string& name)
{
    for (const auto& v : variants())
        if (v.name == name)
            return true;
    return false;
}

const Variant& variantNamed(const std::string& name)
{
    for (const auto& v : variants())
        if (v.name == name)
            return v;
    throw std::invalid_argument("unknown EfficientNet variant '" + name + "' (expected one of " +
                                variantNamesList() + ")");
}

int makeDivisible(double value, int divisor)
{
    int rounded = std::max(divisor, static_cast<int>(value + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * value)
        rounded += divisor;
    return rounded;
}

NetworkPlan planNetwork(const Variant& variant, double dropConnect)
{
    const auto width = [&](int channels) { return makeDivisible(channels * variant.widthMultiplier); };
    const auto depth = [&](int repeats) {
        return static_cast<int>(std::ceil(repeats * variant.depthMultiplier));
    };

    NetworkPlan plan;
    plan.variant = &variant;
    plan.stemChannels = width(baselineStages().front().inChannels);
    plan.stageCount = static_cast<int>(baselineStages().size());

    int totalBlocks = 0;
    for (const auto& stage : baselineStages())
        totalBlocks += depth(stage.repeats);

    int blockNumber = 0;
    for (size_t s = 0; s < baselineStages().size(); ++s) {
        const StageSetting& stage = baselineStages()[s];
        for (int i = 0; i < depth(stage.repeats); ++i) {
            BlockPlan b;
            b.stage = static_cast<int>(s) + 1;
            b.index = i;
            b.kernel = stage.kernel;
            b.stride = i == 0 ? stage.stride : 1;
            b.inChannels = i == 0 ? width(stage.inChannels) : width(stage.outChannels);
            b.outChannels = width(stage.outChannels);
            b.expandedChannels = makeDivisible(b.inChannels * static_cast<double>(stage.expandRatio));
            b.squeezeChannels = std::max(1, b.inChannels / 4);
            b.stochasticDepthProb = dropConnect * blockNumber / totalBlocks;
            plan.blocks.push_back(b);
            ++blockNumber;
        }
    }
    plan.headChannels = kHeadExpansion * plan.blocks.back().outChannels;
    return plan;
}

double EfficientNetOptions::effectiveDropout() const
{
    return dropout ? *dropout : variantNamed(variant).dropout;
}

}  // namespace cassava
