// `cassava denoise` (suspect labels from a run's out-of-fold predictions) and `cassava flip-labels`
// (a copy of a dataset with a recorded fraction of wrong labels, to measure denoising against).
#include "Cli.h"
#include "Terminal.h"

#include "Dataset.h"
#include "Denoise.h"
#include "LabelNoise.h"
#include "OutOfFold.h"
#include "Predictor.h"
#include "PredictorArgs.h"
#include "RunDir.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>

namespace cassava::cli {
namespace {

// `cassava denoise --tta N`: engine/OutOfFold's re-scoring with a progress line.
void predictOutOfFold(const std::string& run, const Dataset& dataset, ProbabilityTable& table,
                      const PredictorOptions& options)
{
    ProgressLine line("out-of-fold TTA");
    std::fprintf(stderr, "fold models: each fold's best model, %d TTA runs per image\n", options.views.runs);
    const RescoreResult result = rescoreOutOfFold(run, dataset, table, options, [&](const RescoreProgress& p) {
        line.update(static_cast<int>(p.done), static_cast<int>(p.total));
    });
    line.finish();
    for (const std::string& warning : result.warnings)
        std::fprintf(stderr, "cassava denoise: %s\n", warning.c_str());
}

}  // namespace

int denoiseCommand(int argc, char** argv)
{
    Args args("denoise", "Finds images whose label the models confidently disagree with, from a run's\n"
                         "out-of-fold predictions (each image scored only by fold models that never trained\n"
                         "on it), with test-time augmentation. Writes suspects.csv, most suspicious first;\n"
                         "train again with --exclude suspects.csv or --relabel decisions.csv.\n"
                         "  recipe:    prediction differs from the label and its confidence summed over the N\n"
                         "             TTA runs is at least T x N (the notebook's 2 x 0.8)\n"
                         "  confident: confident learning (cleanlab's find_label_issues): per-class thresholds\n"
                         "             at each class's mean self-confidence");
    args.option("run", "RUN", "a k-fold training run (its oof.csv and fold models)")
        .option("data", "DIR", "the dataset the run trained on (for re-predicting with TTA)")
        .option("out", "CSV", "suspects to write", "suspects.csv")
        .option("method", "NAME", "recipe or confident", "recipe")
        .option("tta", "N", "TTA runs per image (1: use RUN/oof.csv as it is)", "2")
        .option("threshold", "T", "recipe: mean confidence of the predicted class", "0.8")
        .option("oof", "CSV", "read out-of-fold probabilities from this file instead (no prediction)")
        .option("save-oof", "CSV", "write the out-of-fold probabilities used (e.g. after TTA)")
        .option("truth", "CSV", "noise_truth.csv: score the flagged set (precision, recall, F1)")
        .flag("json", "print a JSON summary");
    addComputeOptions(args);
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    DenoiseOptions denoise;
    if (!parseDenoiseMethod(args.get("method"), denoise.method)) {
        std::fprintf(stderr, "cassava denoise: --method: expected recipe or confident, got '%s'\n",
                     args.get("method").c_str());
        return Usage;
    }
    denoise.threshold = args.getDouble("threshold", 0.8);
    const int tta = args.getInt("tta", 2);
    PredictorOptions po;
    po.views.runs = tta;
    readComputeOptions(args, po);
    if (!args.error().empty())
        return usageError(args);
    if (!args.has("oof") && !args.has("run")) {
        std::fprintf(stderr, "cassava denoise: --run RUN (or --oof CSV) is required\n");
        return Usage;
    }
    if (tta < 1 || tta > 64) {
        std::fprintf(stderr, "cassava denoise: --tta must be between 1 and 64\n");
        return Usage;
    }
    const bool repredict = !args.has("oof") && tta > 1;
    if (repredict && !args.has("data")) {
        std::fprintf(stderr, "cassava denoise: --data DIR is needed to re-predict with --tta %d (or use --tta 1)\n", tta);
        return Usage;
    }

    ProbabilityTable table;
    try {
        ProblemList problems;
        const std::string oof = args.has("oof") ? args.get("oof") : RunDir(args.get("run")).oofPath();
        table = readProbabilityCsv(oof, problems);
        printProblems(problems);
        if (table.rows() == 0) {
            std::fprintf(stderr, "cassava denoise: %s has no usable rows\n", oof.c_str());
            return Failed;
        }
        std::set<int> folds(table.folds.begin(), table.folds.end());
        if (folds.size() < 2 && !args.has("oof"))
            std::fprintf(stderr, "cassava denoise: %s covers one fold only (a hold-out run): only its %zu validation "
                                 "images are scored\n",
                         oof.c_str(), table.rows());
        if (repredict) {
            const Dataset dataset = Dataset::open(args.get("data"));
            if (!dataset.usable()) {
                std::fprintf(stderr, "cassava denoise: %s is not a usable dataset (cassava inspect lists its problems)\n",
                             args.get("data").c_str());
                return Failed;
            }
            predictOutOfFold(args.get("run"), dataset, table, po);
        }
        if (args.has("save-oof"))
            writeProbabilityCsv(args.get("save-oof"), table);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava denoise: %s\n", e.what());
        return Failed;
    }

    const std::vector<Suspect> suspects = findSuspects(table, denoise);
    try {
        writeSuspectsCsv(args.get("out"), table, suspects);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava denoise: %s\n", e.what());
        return Failed;
    }
    nlohmann::json summary = {{"method", args.get("method")},
                              {"images", table.rows()},
                              {"tta_runs", table.runs},
                              {"flagged", suspects.size()},
                              {"out", args.get("out")}};
    if (denoise.method == DenoiseMethod::Recipe)
        summary["threshold"] = denoise.threshold;
    else
        summary["class_thresholds"] = perClassThresholds(table);
    std::vector<std::vector<int>> moves(static_cast<size_t>(table.classes), std::vector<int>(static_cast<size_t>(table.classes), 0));
    for (const Suspect& s : suspects)
        ++moves[static_cast<size_t>(s.givenLabel)][static_cast<size_t>(s.suggestedLabel)];
    summary["given_by_suggested"] = moves;
    if (args.has("truth")) {
        try {
            ProblemList problems;
            const NoiseTruth truth = readNoiseTruth(args.get("truth"), problems);
            printProblems(problems);
            std::vector<std::string> flagged;
            for (const Suspect& s : suspects)
                flagged.push_back(table.imageIds[s.row]);
            summary["against_truth"] = toJson(scoreDetection(flagged, truth, table.imageIds));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "cassava denoise: %s\n", e.what());
            return Failed;
        }
    }
    if (args.has("json")) {
        std::printf("%s\n", summary.dump(2).c_str());
        return Ok;
    }
    std::printf("%zu of %zu images flagged (%.1f %%) by the %s rule", suspects.size(), table.rows(),
                100.0 * static_cast<double>(suspects.size()) / static_cast<double>(table.rows()),
                args.get("method").c_str());
    if (denoise.method == DenoiseMethod::Recipe)
        std::printf(" (mean confidence >= %.2f over %d TTA run%s)", denoise.threshold, table.runs, table.runs == 1 ? "" : "s");
    std::printf("; written to %s\n", args.get("out").c_str());
    for (size_t i = 0; i < suspects.size() && i < 10; ++i) {
        const Suspect& s = suspects[i];
        std::printf("  %-28s label %d -> %d  (%.3f)\n", table.imageIds[s.row].c_str(), s.givenLabel, s.suggestedLabel,
                    s.confidence);
    }
    if (suspects.size() > 10)
        std::printf("  ... %zu more in %s\n", suspects.size() - 10, args.get("out").c_str());
    if (summary.contains("against_truth")) {
        const auto& t = summary["against_truth"];
        std::printf("against %s: precision %.3f  recall %.3f  F1 %.3f  (%d of %d flipped labels found, %d flagged)\n",
                    args.get("truth").c_str(), t["precision"].get<double>(), t["recall"].get<double>(),
                    t["f1"].get<double>(), t["true_positives"].get<int>(), t["flipped"].get<int>(),
                    t["flagged"].get<int>());
    }
    return Ok;
}

int flipLabelsCommand(int argc, char** argv)
{
    Args args("flip-labels", "Writes a copy of a dataset with a fraction of its labels flipped to another class\n"
                             "at random (recorded in noise_truth.csv, reproducible from the seed), to measure\n"
                             "denoising on real photos. The photos are linked, not copied; the source is not\n"
                             "modified.");
    args.option("data", "DIR", "source dataset")
        .option("out", "DIR", "new dataset folder (must not exist or be empty)")
        .option("fraction", "F", "fraction of labels to flip", "0.1")
        .option("seed", "S", "random seed", "1");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    const double fraction = args.getDouble("fraction", 0.1);
    const auto seed = static_cast<uint64_t>(args.getInt64("seed", 1));
    if (!args.error().empty())
        return usageError(args);
    if (!args.has("data") || !args.has("out")) {
        std::fprintf(stderr, "cassava flip-labels: --data and --out are required\n");
        return Usage;
    }
    try {
        const FlipReport r = flipLabels(args.get("data"), args.get("out"), fraction, seed);
        std::printf("wrote %s: %d of %d labels flipped (seed %llu); truth in noise_truth.csv\n", args.get("out").c_str(),
                    r.flipped, r.images, static_cast<unsigned long long>(seed));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava flip-labels: %s\n", e.what());
        return Failed;
    }
    return Ok;
}

}  // namespace cassava::cli
