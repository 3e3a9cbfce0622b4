#include "Diagnosis.h"

#include <algorithm>
#include <stdexcept>

namespace cassava {

// Chosen on the real photos' 200-photo hold-out (BENCHMARKS.md, "Abstaining") by one rule: show a
// diagnosis only where it is more often right than wrong, i.e. the threshold that maximises
// (right - wrong) among the photos kept, counting a wrong answer as costly as a right one is useful
// and "not sure" as neither. For the quick preset's model (42 % accuracy, probabilities spread:
// the median photo's top class is at 0.38) that is 0.40: 59 % abstained, 53 % right on the rest
// against 42 % on all (the rule over bootstrap resamples: 0.38-0.46). The value belongs to that
// model: one fine-tuned from ImageNet weights is more confident and needs its own measurement
// (bench/bench_abstain.sh); the GUI's settings show the threshold.
const float kDefaultAbstainConfidence = 0.40f;

PlantConsensus plantConsensus(const std::vector<std::vector<float>>& leafProbabilities)
{
    PlantConsensus consensus;
    std::vector<double> sum;
    std::vector<int> leafPredictions;
    for (const std::vector<float>& leaf : leafProbabilities) {
        if (leaf.empty())
            continue;
        if (sum.empty())
            sum.assign(leaf.size(), 0.0);
        else if (leaf.size() != sum.size())
            throw std::invalid_argument("plantConsensus: leaves with different numbers of classes");
        for (size_t c = 0; c < leaf.size(); ++c)
            sum[c] += static_cast<double>(leaf[c]);
        leafPredictions.push_back(
            static_cast<int>(std::max_element(leaf.begin(), leaf.end()) - leaf.begin()));
    }
    consensus.leaves = static_cast<int>(leafPredictions.size());
    if (consensus.leaves == 0)
        return consensus;
    consensus.probabilities.resize(sum.size());
    for (size_t c = 0; c < sum.size(); ++c)
        consensus.probabilities[c] = static_cast<float>(sum[c] / consensus.leaves);
    const auto best = std::max_element(consensus.probabilities.begin(), consensus.probabilities.end());
    consensus.predicted = static_cast<int>(best - consensus.probabilities.begin());
    consensus.confidence = *best;
    consensus.agreeing = static_cast<int>(
        std::count(leafPredictions.begin(), leafPredictions.end(), consensus.predicted));
    return consensus;
}

Verdict verdictFor(float confidence, bool looksLikeLeaf, const AbstainOptions& options)
{
    if (options.checkLeaf && !looksLikeLeaf)
        return Verdict::NotALeaf;
    if (confidence < options.minConfidence)
        return Verdict::NotSure;
    return Verdict::Diagnosed;
}

const char* verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Diagnosed: return "diagnosed";
    case Verdict::NotSure: return "not sure";
    case Verdict::NotALeaf: return "not a leaf";
    }
    return "diagnosed";
}

}  // namespace cassava
