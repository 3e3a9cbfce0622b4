#include "RunHistory.h"

#include "JsonNumbers.h"
#include "RunDir.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cassava {

RunHistory RunHistory::fromMetrics(const std::vector<nlohmann::json>& lines)
{
    // Step lines written before "batches" was recorded: an epoch's length is taken as the largest
    // batch logged in it (at most logEverySteps - 1 short of the truth).
    std::map<std::pair<int, int>, int> largestBatch;
    for (const auto& line : lines)
        if (line.is_object() && line.value("type", std::string()) == "step") {
            int& b = largestBatch[{wholeValue(line, "fold", 0), wholeValue(line, "epoch", 0)}];
            b = std::max(b, wholeValue(line, "batch", 0));
        }
    RunHistory history;
    for (const auto& line : lines) {
        if (line.is_object() && line.value("type", std::string()) == "step" && !line.contains("batches")) {
            nlohmann::json withLength = line;
            withLength["batches"] = largestBatch[{wholeValue(line, "fold", 0), wholeValue(line, "epoch", 0)}];
            history.add(withLength);
        } else {
            history.add(line);
        }
    }
    return history;
}

RunHistory RunHistory::load(const std::string& runDir) { return fromMetrics(RunDir(runDir).readMetrics()); }

void RunHistory::add(const nlohmann::json& line)
{
    if (!line.is_object())
        return;
    const std::string type = line.value("type", std::string());
    const int fold = wholeValue(line, "fold", 0), epoch = wholeValue(line, "epoch", 0);
    if (type == "epoch") {
        EpochPoint p;
        p.fold = fold;
        p.epoch = epoch;
        p.trainLoss = line.value("train_loss", 0.0);
        p.valLoss = line.value("val_loss", 0.0);
        p.valAccuracy = line.value("val_accuracy", 0.0);
        p.lr = line.value("lr", 0.0);
        p.imagesPerSecond = line.value("images_per_s", 0.0);
        p.seconds = line.value("seconds", 0.0);
        p.best = line.value("best", false);
        addEpoch(p);
    } else if (type == "step") {
        const int batch = wholeValue(line, "batch", 0);
        const int batches = std::max(batch, line.value("batches", batch));
        addStep(fold, epoch, batch, batches, line.value("loss", 0.0), line.value("lr", 0.0));
    }
}

void RunHistory::addEpoch(const EpochPoint& point)
{
    // A resumed run repeats the epochs after its last complete one: the newer value wins.
    auto same = [&](const EpochPoint& e) { return e.fold == point.fold && e.epoch == point.epoch; };
    auto it = std::find_if(epochs_.begin(), epochs_.end(), same);
    if (it != epochs_.end())
        *it = point;
    else
        epochs_.push_back(point);
}

void RunHistory::addStep(int fold, int epoch, int batch, int batchesPerEpoch, double loss, double lr)
{
    const double x = epoch + static_cast<double>(batch) / std::max(1, batchesPerEpoch);
    // Steps arrive in order within a fold; a resume restarts an epoch: drop what it replaces.
    while (!steps_.empty() && steps_.back().fold == fold && steps_.back().epoch >= x)
        steps_.pop_back();
    steps_.push_back({fold, x, loss, lr});
}

void RunHistory::clear()
{
    epochs_.clear();
    steps_.clear();
}

std::vector<EpochPoint> RunHistory::epochs(int fold) const
{
    std::vector<EpochPoint> out;
    for (const auto& e : epochs_)
        if (e.fold == fold)
            out.push_back(e);
    std::sort(out.begin(), out.end(), [](const EpochPoint& a, const EpochPoint& b) { return a.epoch < b.epoch; });
    return out;
}

std::vector<StepPoint> RunHistory::steps(int fold) const
{
    std::vector<StepPoint> out;
    for (const auto& s : steps_)
        if (s.fold == fold)
            out.push_back(s);
    return out;
}

std::vector<int> RunHistory::folds() const
{
    std::set<int> folds;
    for (const auto& e : epochs_)
        folds.insert(e.fold);
    for (const auto& s : steps_)
        folds.insert(s.fold);
    return {folds.begin(), folds.end()};
}

std::vector<double> smoothCurve(const std::vector<double>& values, double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    std::vector<double> out;
    out.reserve(values.size());
    double last = 0, debias = 1;
    for (const double v : values) {
        if (!std::isfinite(v)) {
            out.push_back(v);
            continue;
        }
        last = last * weight + (1 - weight) * v;
        debias *= weight;
        out.push_back(weight > 0 ? last / (1 - debias) : v);
    }
    return out;
}

}  // namespace cassava
