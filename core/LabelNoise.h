#pragma once
// Known label noise on real photos, so label-noise detection can be measured where the pictures are
// real: a copy of a dataset whose train.csv has a chosen fraction of labels flipped, with the truth
// beside it. No photo is copied.
//
// Layout written to outRoot:
//   train.csv                      image_id,label: the source's valid rows, same order, flipped labels
//   noise_truth.csv                image_id,true_label,given_label for every row (as core/Synth writes)
//   label_num_to_disease_map.json  a copy, when the source has one
//   flip.json                      {source, fraction, seed, images, flipped}
//   train_images -> SOURCE/train_images (a symlink with an absolute target)
#include <cstdint>
#include <string>
#include <vector>

namespace cassava {

class Random;

// Given labels with exactly round(fraction x n) of the true labels flipped: the rows are the first
// of a shuffle drawn from `rng`, each new label uniform among the other classes (label + 1..classes-1,
// mod classes). Shared by flipLabels and `cassava synth --noise`, so both make the same kind of noise.
std::vector<int> drawFlippedLabels(const std::vector<int>& trueLabels, int classes, double fraction, Random& rng);

// noise_truth.csv text: image_id,true_label,given_label for every image.
std::string noiseTruthCsv(const std::vector<std::string>& imageIds, const std::vector<int>& trueLabels,
                          const std::vector<int>& givenLabels);

struct FlipReport {
    int images = 0;                    // rows written (the source's valid rows)
    int flipped = 0;                   // round(fraction x images)
    std::vector<int> perClassFlipped;  // by TRUE label
};

// Flips round(fraction x valid rows) labels, the rows chosen uniformly, each new label uniform among
// the other classes; the same seed gives the same flips. Throws std::runtime_error when outRoot
// exists and is not empty, the source is unusable, fraction is not in [0,1), or a write fails.
FlipReport flipLabels(const std::string& datasetRoot, const std::string& outRoot, double fraction, uint64_t seed);

}  // namespace cassava
