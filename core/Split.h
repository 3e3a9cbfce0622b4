#pragma once
// Train/validation splits: stratified k-fold and a shuffled hold-out, seeded and deterministic.
#include "Problem.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cassava {

// Fold (0..folds-1) of each item. Within every class the fold counts differ by at most one from
// the ideal count/folds, and so do the fold sizes overall.
std::vector<int> stratifiedKFold(const std::vector<int>& labels, int folds, uint64_t seed);

// 1 for a validation item, 0 for a training item. round(n * fraction) items go to validation;
// when `stratified`, every class contributes within one of its ideal share.
std::vector<int> holdoutSplit(const std::vector<int>& labels, double validationFraction,
                              uint64_t seed, bool stratified = true);

// folds.csv: image_id,fold. Written atomically.
void writeFoldsCsv(const std::string& path, const std::vector<std::string>& imageIds,
                   const std::vector<int>& folds);

struct FoldAssignment {
    std::vector<std::string> imageIds;
    std::vector<int> folds;
    ProblemList problems;
};
FoldAssignment readFoldsCsv(const std::string& path);

}  // namespace cassava
