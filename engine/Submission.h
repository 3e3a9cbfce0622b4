#pragma once
// A Kaggle submission from a folder of photos: which photos, in which order (sample_submission.csv's
// when there is one, else sorted ids), predicted by a Predictor, as image_id,label (and optionally
// every probability). One implementation for `cassava predict` and the GUI's Results view, so the
// two cannot write different files for the same inputs. No LibTorch in this header.
#include "Predictor.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace cassava {

// The photos to predict, decided before any network runs.
struct SubmissionPlan {
    std::string images;             // the folder
    std::string sample;             // sample_submission.csv, or "" for sorted ids
    std::vector<std::string> ids;   // file names in images/, in submission order
    std::string error;              // why there is nothing to predict ("DIR: not a folder", "CSV:7: ...")
    std::string note;               // a warning that does not stop it (photos not in the sample)

    bool ok() const { return error.empty(); }
    std::vector<std::string> paths() const;  // images + "/" + id, in order
};

// Photos (JPEG, PNG, WebP, BMP, TIFF by extension) in `images`; with `sample`, exactly its rows in
// its order, each of which must be in the folder (an error names the sample's line).
SubmissionPlan planSubmission(const std::string& images, const std::string& sample = {});

// Where a dataset keeps what a submission needs: DIR/test_images and DIR/sample_submission.csv
// (the sample only when present).
std::string datasetTestImages(const std::string& dataset);
std::string datasetSample(const std::string& dataset);

struct SubmissionTables {
    std::string submission;           // image_id,label
    std::string probabilities;        // image_id,label,p0..pN-1 (%.6f)
    int written = 0;                  // rows in both
    std::vector<std::string> errors;  // photos that could not be read, in order: left out
};

// The files' contents from predictions in plan order (results[i] is plan.ids[i]).
SubmissionTables formatSubmission(const SubmissionPlan& plan, const std::vector<PhotoPrediction>& results,
                                  int classes);

// Predicts the plan's photos (progress and cancel as Predictor::predict). When cancelled, the
// photos not reached have the error "not predicted (cancelled)".
std::vector<PhotoPrediction> predictSubmission(const Predictor& predictor, const SubmissionPlan& plan,
                                               const std::function<void(const PredictProgress&)>& progress = {},
                                               const std::atomic<bool>* cancel = nullptr);

}  // namespace cassava
