#pragma once
// The built-in demo: a Kaggle-layout dataset of procedurally drawn cassava-like leaves with
// class-specific symptoms, optionally with a known fraction of flipped labels so label-noise
// detection can be measured against ground truth. Same options and seed, same bytes, whatever the
// number of threads.
//
// Layout written to SynthOptions::outDir:
//   train.csv                      image_id,label (the given labels, flipped ones included)
//   label_num_to_disease_map.json  LabelMap::standard()
//   train_images/synth_000000.jpg  ...
//   noise_truth.csv                image_id,true_label,given_label for EVERY training image
//                                  (only when noiseRate > 0); the picture shows true_label
//   test_images/synth_test_000000.jpg, sample_submission.csv (image_id,label=0), with testCount
//   synth.json                     the options used; marks the folder as synth output
// Class mix: equal class counts by default (they differ by at most one); SynthMix::Competition
// follows the competition's 5.1 / 10.2 / 11.2 / 61.5 / 12.0 %.
#include <opencv2/core/mat.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cassava {

enum class SynthMix { Equal, Competition };

struct SynthOptions {
    std::string outDir;
    int count = 1000;
    int width = 800;
    int height = 600;
    double noiseRate = 0.0;  // fraction of labels flipped to another class (noise_truth.csv)
    uint64_t seed = 1;
    int jpegQuality = 90;
    int testCount = 0;       // images written to test_images/ with sample_submission.csv
    int threads = 0;         // workers; 0: all cores (two per core, to overlap disk waits)
    SynthMix mix = SynthMix::Equal;
};

struct SynthReport {
    int written = 0;          // training images
    int testWritten = 0;
    int flipped = 0;
    bool cancelled = false;   // the folder is incomplete (synth.json says "complete": false)
    int workers = 0;          // threads that drew the pictures
    std::vector<int> classCounts;  // true labels of the training images, per class
};

// The labels of a synthetic dataset, decided before any picture is drawn.
struct SynthPlan {
    std::vector<std::string> trainIds;
    std::vector<int> trueLabels;   // what each picture shows
    std::vector<int> givenLabels;  // what train.csv says (differs for flipped images)
    std::vector<std::string> testIds;
    std::vector<int> testLabels;   // what each test picture shows (not written anywhere)
    int flipped = 0;
};

// Throws std::invalid_argument naming the option when an option is out of range.
void validateSynthOptions(const SynthOptions& options);
SynthPlan planSynth(const SynthOptions& options);

using SynthProgress = std::function<void(int done, int total)>;

// Writes the layout above. `progress` is called on the calling thread with the number of pictures
// written so far (training and test together); setting `*cancel` stops it soon after, with
// report.cancelled set. Throws std::invalid_argument for bad options and std::runtime_error when
// the folder cannot be written or is a non-empty folder that synth did not write (nothing of the
// user's is ever deleted; an earlier synth output in the folder is replaced, its leftover pictures
// removed). Files are written atomically.
SynthReport synthesize(const SynthOptions& options, const SynthProgress& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

// One picture of class `label` (0..4), RGB CV_8UC3; image `index` of a set seeded with `seed`.
cv::Mat drawLeaf(int label, int width, int height, uint64_t seed, uint64_t index);

}  // namespace cassava
