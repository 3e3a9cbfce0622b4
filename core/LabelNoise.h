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
