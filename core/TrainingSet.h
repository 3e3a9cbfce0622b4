#pragma once
// The images a training run uses and how they are split: the dataset's valid rows, with a
// curator's corrections applied (decisions.csv: image_id,label, or a review's export
// image_id,given,decision,label whose exclude rows are left out) and suspects left out
// (suspects.csv: image_id,...), optionally only the first N, assigned to folds. The dataset's own
// train.csv is never modified; the run records what it used.
#include "Dataset.h"
#include "Loader.h"

#include <string>
#include <vector>

namespace cassava {

struct TrainingSetOptions {
    std::string exclude;     // CSV with an image_id column: left out
    std::string relabel;     // CSV image_id,label[,decision]: labels replaced (decision=exclude: left out)
    int limit = 0;           // 0: all
    int folds = 5;           // >= 2: stratified k-fold; otherwise a hold-out of valSplit
    double valSplit = 0.2;
    uint64_t seed = 42;
};

struct TrainingSet {
    std::vector<Sample> samples;  // labels after corrections
    std::vector<int> fold;        // k-fold: fold of each sample; hold-out: 1 = validation, 0 = training
    int foldCount = 1;            // folds to train (1 for a hold-out split)
    bool kFold = false;
    int excluded = 0;
    int relabeled = 0;
    ProblemList problems;         // bad rows in the exclude/relabel files

    // Training and validation items of fold k (k-fold: validation = fold k; hold-out: fold 1).
    std::vector<LoaderItem> trainItems(const Dataset& dataset, int k) const;
    std::vector<LoaderItem> validationItems(const Dataset& dataset, int k) const;
};

// Throws std::runtime_error when an exclude/relabel file cannot be read at all.
TrainingSet buildTrainingSet(const Dataset& dataset, const TrainingSetOptions& options);

}  // namespace cassava
