#pragma once
// Prediction for submissions, diagnoses and denoising: one checkpoint or a run's fold ensemble
// over any photos. Photos are decoded and turned into their test-time views (K crops x N TTA
// runs) by loader threads while the network computes, several photos per forward pass;
// probabilities are averaged over views, then over models. Grad-CAM heatmaps show where the
// models looked. No LibTorch in this header.
#include "Checkpoint.h"
#include "TestTimeViews.h"

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cassava {

struct PredictorOptions {
    std::string device = "auto";
    std::string amp = "off";
    TtaOptions views;
    int batch = 0;    // views per forward pass; 0: chosen for the device (see BENCHMARKS.md)
    int workers = 0;  // decoding threads; 0: all cores
    int threads = 0;  // torch threads; 0: all cores
};

struct PhotoPrediction {
    std::string path;
    std::vector<float> probabilities;  // one per class, summing to 1
    int predicted = -1;
    std::string error;                 // set when the photo could not be read

    bool ok() const { return error.empty(); }
};

struct PredictProgress {
    size_t done = 0;
    size_t total = 0;
    double imagesPerSecond = 0;
};

class Predictor {
public:
    // Both throw std::runtime_error with a message for the user (a missing or damaged
    // checkpoint, a run without trained folds, fold models that disagree on classes or size).
    static Predictor fromCheckpoint(const std::string& path, const PredictorOptions& options = {});
    // Every fold_K/best.ckpt of a run, or only `folds`.
    static Predictor fromRun(const std::string& run, const PredictorOptions& options = {},
                             const std::vector<int>& folds = {});

    Predictor(Predictor&&) noexcept;
    Predictor& operator=(Predictor&&) noexcept;
    ~Predictor();

    const CheckpointMetadata& metadata() const;  // the first model's (classes, input size)
    int modelCount() const;
    int batchViews() const;            // views per forward pass
    std::string description() const;  // models, device, size, views: for a log line

    // Predictions in the order of `paths`. Unreadable photos get an error; the rest still run.
    // `displayNames` (optional, same length) name the photos in messages.
    std::vector<PhotoPrediction> predict(const std::vector<std::string>& paths,
                                         const std::function<void(const PredictProgress&)>& progress = {},
                                         const std::atomic<bool>* cancel = nullptr,
                                         const std::vector<std::string>& displayNames = {}) const;

    // Grad-CAM of class `target` over the whole photo (the models see it with its short side at
    // their input size), averaged over the models: CV_32F in [0, 1] at the photo's size.
    cv::Mat heatmap(const cv::Mat& rgb, int target) const;
    // The heatmaps of several classes at the cost of one forward pass per model.
    std::vector<cv::Mat> heatmaps(const cv::Mat& rgb, const std::vector<int>& targets) const;

private:
    struct Impl;
    explicit Predictor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The heatmap in a colour map blended over the photo (hot areas strongest): RGB, photo's size.
cv::Mat overlayHeatmap(const cv::Mat& rgb, const cv::Mat& heatmap, double opacity = 0.5);

}  // namespace cassava
