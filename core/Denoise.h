#pragma once
// Finding images whose given label is probably wrong, from out-of-fold class probabilities of a
// training run (RUN/oof.csv: image_id,label,fold,p0..pN-1), and scoring the flagged images against
// a known set of flipped labels (noise_truth.csv from `cassava synth --noise` or flipLabels).
#include "Problem.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace cassava {

// Out-of-fold class probabilities, optionally the mean over N TTA runs.
struct ProbabilityTable {
    int classes = 0;
    int runs = 1;                        // TTA runs averaged into each row
    std::vector<std::string> imageIds;
    std::vector<int> labels;             // given labels
    std::vector<int> folds;
    std::vector<float> probabilities;    // row-major, rows x classes

    size_t rows() const { return imageIds.size(); }
    const float* row(size_t i) const { return probabilities.data() + i * static_cast<size_t>(classes); }
};

// Reads RUN/oof.csv. Bad rows (wrong field count, a label outside 0..classes-1, a fold that is not
// an integer, a probability that is not a finite number in [0,1], a repeated image_id) become
// Problems naming the file and line and are skipped. A missing file or a bad header throws
// std::runtime_error naming the file. The table's `runs` is 1: the file does not record it.
ProbabilityTable readProbabilityCsv(const std::string& path, ProblemList& problems);
// Writes the same format atomically, probabilities with 6 decimals.
void writeProbabilityCsv(const std::string& path, const ProbabilityTable& table);

// The mean of several runs over the same images (TTA passes, or ensemble members): rows follow the
// first table; `runs` adds up. Throws std::invalid_argument when the tables differ in classes or
// images (an image missing from one run, or a different given label).
ProbabilityTable averageRuns(const std::vector<ProbabilityTable>& runs);

enum class DenoiseMethod { Recipe, Confident };
bool parseDenoiseMethod(const std::string& text, DenoiseMethod& method);  // "recipe" | "confident"
const char* denoiseMethodName(DenoiseMethod method);

struct DenoiseOptions {
    DenoiseMethod method = DenoiseMethod::Recipe;
    double threshold = 0.8;  // Recipe only
};

struct Suspect {
    size_t row;              // row in the table
    int givenLabel;
    int suggestedLabel;
    double confidence;       // probability of the suggested label (mean over TTA runs)
    double givenConfidence;  // probability of the given label
};

// The confident-learning per-class thresholds t_j: the mean of p_j over the rows whose given label
// is j. A class no row is labelled with gets kUnreachableThreshold, so no row is ever confidently in it.
constexpr double kUnreachableThreshold = 2.0;
std::vector<double> perClassThresholds(const ProbabilityTable& table);

// Recipe (the Kaggle notebook): prediction = argmax of the probabilities summed over the N TTA runs;
// flag when prediction != given label and that summed probability >= threshold * N. A row holds the
// mean over the runs, so that is mean >= threshold. Sorted by confidence, descending.
//
// Confident: confident learning (Northcutt et al., 2021) as cleanlab's find_label_issues with
// filter_by="confident_learning": each row goes to the confident-joint cell (given i, j*) where j* is
// the most probable class among those with p_j >= t_j (rows with no such class are not counted);
// rows with j* != i are issues, suggested label j*. Sorted by p_suggested - p_given, descending.
// Ties keep table order in both methods.
std::vector<Suspect> findSuspects(const ProbabilityTable& table, const DenoiseOptions& options);

// Rows given `label` whose most probable class is that label too, most confident first, at most
// `count`: photos the run is sure are what their label says (the Review view's comparison strips).
std::vector<size_t> confidentExamples(const ProbabilityTable& table, int label, size_t count);

// suspects.csv: image_id,given_label,suggested_label,confidence,p0..pN-1 in the suspects' order.
void writeSuspectsCsv(const std::string& path, const ProbabilityTable& table, const std::vector<Suspect>& suspects);

// The images whose labels are known to be flipped.
struct NoiseTruth {
    std::vector<std::string> flipped;
    int images = 0;
};
// noise_truth.csv: image_id,true_label,given_label for every image; flipped where they differ.
// Bad rows become Problems; a missing file or bad header throws std::runtime_error naming the file.
NoiseTruth readNoiseTruth(const std::string& path, ProblemList& problems);

struct DetectionScore {
    int flagged = 0, flipped = 0, truePositives = 0;
    double precision = 0, recall = 0, f1 = 0;
};
// Only flipped images present in `scored` (the images the table covers) count, so a hold-out run is
// scored on its validation images. Precision of an empty flagged set is 0, recall with nothing flipped 0.
DetectionScore scoreDetection(const std::vector<std::string>& flaggedIds, const NoiseTruth& truth,
                              const std::vector<std::string>& scored);
nlohmann::json toJson(const DetectionScore& score);

}  // namespace cassava
