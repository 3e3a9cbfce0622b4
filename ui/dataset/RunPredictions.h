#pragma once
// What a training run thought of each image of the open dataset, from RUN/oof.csv (core's
// reader): the predicted class, its probability and the image's loss (cross-entropy of the label
// the run trained on), aligned with the dataset's samples so sorting is a vector lookup.
#include <QString>

#include <cmath>
#include <vector>

namespace cassava {
class Dataset;
}

namespace cassava::ui {

struct RunPredictions {
    QString runDir;
    QString error;        // why there are none ("…/oof.csv: not found"); empty when loaded
    int rows = 0;         // prediction rows read from oof.csv
    int matched = 0;      // of them, images of the dataset
    int skipped = 0;      // bad rows in oof.csv (reported by the reader)
    QString firstProblem; // the first of them, for a tooltip

    // Per dataset sample (Dataset::samples() order); -1 / NaN where the run has no prediction.
    std::vector<signed char> predicted;
    std::vector<float> confidence;
    std::vector<float> loss;

    bool ok() const { return error.isEmpty(); }
    bool has(int sample) const
    {
        return sample >= 0 && sample < static_cast<int>(predicted.size()) && predicted[static_cast<size_t>(sample)] >= 0;
    }
};

// Reads RUN/oof.csv and aligns it with `dataset`. Thread-safe; never throws.
RunPredictions loadRunPredictions(const QString& runDir, const Dataset& dataset);

}  // namespace cassava::ui
