#pragma once
// A run's learning curves: per-epoch results and step summaries by fold, filled from the
// Trainer's events while it runs or from RUN/metrics.jsonl afterwards (the same numbers either
// way: the engine writes each event's line to the file). Plots read it; no Qt, no torch.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace cassava {

struct EpochPoint {
    int fold = 0;
    int epoch = 0;               // 0-based
    double trainLoss = 0;
    double valLoss = 0;
    double valAccuracy = 0;
    double lr = 0;
    double imagesPerSecond = 0;
    double seconds = 0;
    bool best = false;
};

struct StepPoint {
    int fold = 0;
    double epoch = 0;            // fractional: epoch + batches done / batches per epoch
    double loss = 0;
    double lr = 0;
};

class RunHistory {
public:
    // Lines of metrics.jsonl (RunDir::readMetrics); unknown types are ignored.
    static RunHistory fromMetrics(const std::vector<nlohmann::json>& lines);
    // RunDir(path).readMetrics(); an absent file gives an empty history.
    static RunHistory load(const std::string& runDir);

    void add(const nlohmann::json& metricsLine);
    void addEpoch(const EpochPoint& point);
    // batch is 1-based (batches done in this epoch).
    void addStep(int fold, int epoch, int batch, int batchesPerEpoch, double loss, double lr);
    void clear();

    const std::vector<EpochPoint>& epochs() const { return epochs_; }
    const std::vector<StepPoint>& steps() const { return steps_; }
    std::vector<EpochPoint> epochs(int fold) const;
    std::vector<StepPoint> steps(int fold) const;
    std::vector<int> folds() const;  // folds with any point, ascending
    bool empty() const { return epochs_.empty() && steps_.empty(); }

private:
    std::vector<EpochPoint> epochs_;
    std::vector<StepPoint> steps_;
};

// TensorBoard's smoothing: an exponential moving average with weight in [0, 1), debiased so that
// the first points are not pulled towards zero. weight 0 returns the values unchanged.
std::vector<double> smoothCurve(const std::vector<double>& values, double weight);

}  // namespace cassava
