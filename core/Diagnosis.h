#pragma once
// What a diagnosis says, for one leaf and for one plant, shared by `cassava diagnose` and the
// GUI's Diagnose view:
// - a plant's consensus is the mean of its leaves' class probabilities (field studies of phone
//   diagnosis on cassava found one leaf right about 65 % of the time, six leaves of a plant
//   74-88 %), with how many leaves agree with it;
// - a diagnosis abstains ("not sure") instead of naming a disease when its confidence is below a
//   threshold, or when the photo does not look like a cassava leaf (LeafCheck).
#include <string>
#include <vector>

namespace cassava {

struct PlantConsensus {
    std::vector<float> probabilities;  // mean over the leaves that could be read
    int predicted = -1;                // argmax of the mean; -1 when no leaf could be read
    float confidence = 0;              // probabilities[predicted]
    int leaves = 0;                    // leaves that took part
    int agreeing = 0;                  // leaves whose own most likely class is `predicted`
};

// Leaves without probabilities (photos that could not be read) are left out. All leaves must have
// the same number of classes (std::invalid_argument otherwise).
PlantConsensus plantConsensus(const std::vector<std::vector<float>>& leafProbabilities);

// The confidence below which a diagnosis abstains by default, chosen from measured data
// (BENCHMARKS.md, "Abstaining").
extern const float kDefaultAbstainConfidence;

enum class Verdict {
    Diagnosed,  // confident enough, and the photo looks like a leaf
    NotSure,    // the most likely class is below the confidence threshold
    NotALeaf,   // the photo does not look like a cassava leaf, whatever the network says
};

struct AbstainOptions {
    float minConfidence = kDefaultAbstainConfidence;  // 0 never abstains on confidence
    bool checkLeaf = true;                            // abstain on photos that are not leaves
};

Verdict verdictFor(float confidence, bool looksLikeLeaf, const AbstainOptions& options);
// "diagnosed", "not sure", "not a leaf": the words of the CLI's output and the GUI's CSV export.
const char* verdictName(Verdict verdict);

}  // namespace cassava
