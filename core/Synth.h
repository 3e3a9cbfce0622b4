#pragma once
// The built-in demo: a Kaggle-layout dataset of procedurally drawn cassava-like leaves with
// class-specific symptoms, optionally with a known fraction of flipped labels so label-noise
// detection can be measured against ground truth. Same options and seed, same bytes.
#include <opencv2/core/mat.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace cassava {

struct SynthOptions {
    std::string outDir;
    int count = 1000;
    int width = 800;
    int height = 600;
    double noiseRate = 0.0;  // fraction of labels flipped to another class (noise_truth.csv)
    uint64_t seed = 1;
    int jpegQuality = 90;
    int testCount = 0;       // images written to test_images/ with sample_submission.csv
    int threads = 0;         // 0: all cores
};

struct SynthReport {
    int written = 0;
    int flipped = 0;
    bool cancelled = false;
};

using SynthProgress = std::function<void(int done, int total)>;

// Writes train.csv, label_num_to_disease_map.json, train_images/ (and noise_truth.csv,
// test_images/, sample_submission.csv when asked). Throws std::runtime_error when the folder
// cannot be written. Files are written atomically.
SynthReport synthesize(const SynthOptions& options, const SynthProgress& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

// One picture of class `label` (0..4), RGB CV_8UC3; image `index` of a set seeded with `seed`.
cv::Mat drawLeaf(int label, int width, int height, uint64_t seed, uint64_t index);

}  // namespace cassava
