#include "OutOfFold.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cassava {

RescoreResult rescoreOutOfFold(const std::string& run, const Dataset& dataset, ProbabilityTable& table,
                               const PredictorOptions& options,
                               const std::function<void(const RescoreProgress&)>& progress,
                               const std::atomic<bool>* cancel)
{
    RescoreResult result;
    std::unordered_map<std::string, const Sample*> byId;
    for (const Sample& s : dataset.samples())
        byId[s.imageId] = &s;
    std::map<int, std::vector<size_t>> rowsByFold;
    for (size_t i = 0; i < table.rows(); ++i)
        rowsByFold[table.folds[i]].push_back(i);

    std::vector<float> rescored = table.probabilities;
    size_t done = 0;
    const size_t classes = static_cast<size_t>(table.classes);
    for (const auto& [fold, rows] : rowsByFold) {
        std::vector<std::string> paths, names;
        std::vector<size_t> kept;
        for (size_t row : rows) {
            const auto it = byId.find(table.imageIds[row]);
            if (it == byId.end()) {
                result.warnings.push_back(table.imageIds[row] + " is in " + run + "/oof.csv but not in " +
                                          dataset.root() + "/train.csv; its single-view probabilities are used");
                continue;
            }
            paths.push_back(dataset.imagePath(*it->second));
            names.push_back("train_images/" + table.imageIds[row]);
            kept.push_back(row);
        }
        const Predictor predictor = Predictor::fromRun(run, options, {fold});
        const auto predictions = predictor.predict(
            paths,
            [&](const PredictProgress& p) {
                if (progress)
                    progress({done + p.done, table.rows(), fold});
            },
            cancel, names);
        if (cancel && cancel->load()) {
            result.cancelled = true;
            return result;
        }
        for (size_t k = 0; k < kept.size(); ++k) {
            if (!predictions[k].ok()) {
                result.warnings.push_back(predictions[k].error + "; its single-view probabilities are used");
                continue;
            }
            std::copy(predictions[k].probabilities.begin(), predictions[k].probabilities.end(),
                      rescored.begin() + static_cast<ptrdiff_t>(kept[k] * classes));
        }
        done += rows.size();
        if (progress)
            progress({done, table.rows(), fold});
    }
    table.probabilities = std::move(rescored);
    table.runs = options.views.runs;
    return result;
}

}  // namespace cassava
