#include "TrainingSet.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Split.h"

#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace cassava {
namespace {

std::string fileNameOf(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

}  // namespace

TrainingSet buildTrainingSet(const Dataset& dataset, const TrainingSetOptions& options)
{
    TrainingSet set;
    set.samples = dataset.samples();

    // decisions.csv of a review (image_id,given,decision,label) or a plain image_id,label file.
    // With a decision column: exclude rows leave the image out (label -1), skip rows change nothing.
    std::unordered_set<std::string> drop;
    if (!options.relabel.empty()) {
        const std::string name = fileNameOf(options.relabel);
        const CsvTable t = readCsvTable(options.relabel, {"image_id", "label"}, set.problems, name);
        const bool hasDecision = t.column.count("decision") > 0;
        for (const auto& r : t.rows) {
            int label = -1;
            const std::string id = t.field(r, "image_id");
            const std::string decision = hasDecision ? t.field(r, "decision") : std::string();
            const int index = dataset.indexOf(id);
            if (index < 0) {
                set.problems.push_back({Problem::Severity::Warning, name, r.line,
                                        "image_id is not a valid image of the dataset; ignored"});
            } else if (decision == "exclude") {
                drop.insert(id);
            } else if (decision == "skip") {
                continue;
            } else if (hasDecision && decision != "accept" && decision != "keep" && decision != "relabel") {
                set.problems.push_back({Problem::Severity::Error, name, r.line,
                                        "decision '" + decision +
                                            "' is not accept, keep, relabel, exclude or skip; row ignored"});
            } else if (!parseInt(t.field(r, "label"), label) || !dataset.labels().contains(label)) {
                set.problems.push_back({Problem::Severity::Error, name, r.line, "label is not a class of the dataset"});
            } else if (set.samples[static_cast<size_t>(index)].label != label) {
                set.samples[static_cast<size_t>(index)].label = label;
                ++set.relabeled;
            }
        }
    }

    if (!options.exclude.empty()) {
        const CsvTable t = readCsvTable(options.exclude, {"image_id"}, set.problems, fileNameOf(options.exclude));
        for (const auto& r : t.rows)
            if (std::string id = t.field(r, "image_id"); !id.empty())
                drop.insert(std::move(id));
    }
    if (!drop.empty()) {
        std::vector<Sample> kept;
        for (auto& s : set.samples) {
            if (drop.count(s.imageId))
                ++set.excluded;
            else
                kept.push_back(std::move(s));
        }
        set.samples = std::move(kept);
    }

    if (options.limit > 0 && static_cast<size_t>(options.limit) < set.samples.size())
        set.samples.resize(static_cast<size_t>(options.limit));

    std::vector<int> labels;
    for (const auto& s : set.samples)
        labels.push_back(s.label);
    set.kFold = options.folds >= 2;
    if (set.kFold) {
        if (set.samples.size() < static_cast<size_t>(options.folds))
            throw std::runtime_error("only " + std::to_string(set.samples.size()) + " images for " +
                                     std::to_string(options.folds) + " folds");
        set.fold = stratifiedKFold(labels, options.folds, options.seed);
        set.foldCount = options.folds;
    } else {
        if (set.samples.size() < 2)
            throw std::runtime_error("at least two images are needed for a hold-out split");
        set.fold = holdoutSplit(labels, options.valSplit, options.seed);
        set.foldCount = 1;
    }
    return set;
}

static std::vector<LoaderItem> itemsWhere(const TrainingSet& set, const Dataset& dataset, bool validation, int k)
{
    std::vector<LoaderItem> items;
    for (size_t i = 0; i < set.samples.size(); ++i) {
        const bool isValidation = set.kFold ? set.fold[i] == k : set.fold[i] == 1;
        if (isValidation != validation)
            continue;
        const Sample& s = set.samples[i];
        items.push_back({dataset.imagePath(s), "train_images/" + s.imageId, s.label, static_cast<int>(i)});
    }
    return items;
}

std::vector<LoaderItem> TrainingSet::trainItems(const Dataset& dataset, int k) const
{
    return itemsWhere(*this, dataset, false, k);
}

std::vector<LoaderItem> TrainingSet::validationItems(const Dataset& dataset, int k) const
{
    return itemsWhere(*this, dataset, true, k);
}

}  // namespace cassava
