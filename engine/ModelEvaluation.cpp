#include "ModelEvaluation.h"

#include "Checkpoint.h"
#include "Dataset.h"
#include "Evaluate.h"
#include "TorchThreads.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace cassava {

EvaluationReport evaluateModel(const std::string& checkpoint, const std::string& data, const EvaluateOptions& options)
{
    configureTorchThreads(0);
    const ComputeSetup compute = chooseCompute(options.device, options.amp);
    CheckpointMetadata meta;
    EfficientNet net = loadCheckpoint(checkpoint, &meta);
    net->to(compute.device);
    const Dataset dataset = Dataset::open(data);
    if (!dataset.usable())
        throw std::runtime_error(data + " is not a usable dataset (cassava inspect lists its problems)");
    if (dataset.numClasses() != meta.numClasses)
        throw std::runtime_error(checkpoint + " predicts " + std::to_string(meta.numClasses) + " classes, " + data +
                                 " has " + std::to_string(dataset.numClasses()));

    std::vector<LoaderItem> items;
    for (size_t i = 0; i < dataset.samples().size(); ++i) {
        if (options.limit > 0 && static_cast<int>(i) >= options.limit)
            break;
        const Sample& s = dataset.samples()[i];
        items.push_back({dataset.imagePath(s), "train_images/" + s.imageId, s.label, static_cast<int>(i)});
    }
    LoaderOptions lo;
    lo.train = false;
    lo.batchSize = options.batch;
    lo.workers = options.workers;
    lo.augment.size = meta.inputSize;
    for (size_t c = 0; c < 3; ++c) {
        lo.normalization.mean[c] = static_cast<float>(meta.mean[c]);
        lo.normalization.std[c] = static_cast<float>(meta.stdDev[c]);
    }
    Loader loader(items, lo);
    loader.startEpoch(0);
    const Predictions p = predict(net, loader, compute);

    EvaluationReport r;
    r.checkpoint = checkpoint;
    r.data = data;
    r.classNames = dataset.labels().names();
    r.confusion = p.confusion();
    r.loss = p.loss();
    r.errors = p.errors;
    return r;
}

std::string EvaluationReport::toText() const
{
    std::ostringstream out;
    char line[256];
    std::snprintf(line, sizeof line, "%s on %s: %lld images\naccuracy %.4f  balanced %.4f  loss %.4f\n\n",
                  checkpoint.c_str(), data.c_str(), static_cast<long long>(confusion.total()), confusion.accuracy(),
                  confusion.balancedAccuracy(), loss);
    out << line;
    const auto recall = confusion.perClassAccuracy();
    const auto precision = confusion.precision();
    out << "class                                    images  accuracy  precision\n";
    for (int c = 0; c < confusion.classes(); ++c) {
        std::snprintf(line, sizeof line, "%-40s %6lld  %8.4f  %9.4f\n",
                      c < static_cast<int>(classNames.size()) ? classNames[static_cast<size_t>(c)].c_str() : "?",
                      static_cast<long long>(confusion.support(c)), recall[static_cast<size_t>(c)],
                      precision[static_cast<size_t>(c)]);
        out << line;
    }
    out << "\nconfusion (rows: label, columns: prediction)\n      ";
    for (int p = 0; p < confusion.classes(); ++p)
        out << std::string(6, ' ').substr(0, 6 - std::min<size_t>(6, std::to_string(p).size())) << p;
    out << "\n";
    for (int c = 0; c < confusion.classes(); ++c) {
        std::snprintf(line, sizeof line, "%5d ", c);
        out << line;
        for (int p = 0; p < confusion.classes(); ++p) {
            std::snprintf(line, sizeof line, "%6lld", static_cast<long long>(confusion.at(c, p)));
            out << line;
        }
        out << "\n";
    }
    for (const auto& e : errors)
        out << "left out: " << e << "\n";
    return out.str();
}

nlohmann::json EvaluationReport::toJson() const
{
    nlohmann::json j = confusion.toJson();
    j["checkpoint"] = checkpoint;
    j["data"] = data;
    j["images"] = confusion.total();
    j["loss"] = loss;
    j["class_names"] = classNames;
    j["unreadable"] = errors;
    return j;
}

}  // namespace cassava
