// `cassava inspect` and `cassava split`: thin clients of core's Dataset, Inspection and Split.
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "Dataset.h"
#include "Inspection.h"
#include "Split.h"

#include <cstdio>
#include <iostream>

namespace cassava::cli {

int inspectCommand(int argc, char** argv)
{
    Args args("inspect", "Validate a Kaggle-layout dataset folder and print its class counts, image\n"
                         "size statistics and every problem found, naming file and line.\n"
                         "Exits with 1 when the dataset is unusable.");
    args.positional("DATA", "dataset folder (train.csv, train_images/, ...)")
        .flag("json", "print the report as JSON")
        .option("probe", "N", "read the headers of N images only (spread over the list); 0 skips",
                "all")
        .option("threads", "N", "threads reading image headers", "all cores");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);

    InspectOptions options;
    if (args.get("probe") != "all")
        options.probeLimit = args.getInt("probe", -1);
    if (args.get("threads") != "all cores")
        options.threads = args.getInt("threads", 0);
    if (!args.error().empty())
        return usageError(args);

    const Dataset dataset = Dataset::open(args.positional(0));
    ProgressLine bar("reading image headers");
    const Inspection report = inspectDataset(dataset, options, [&](int done, int total) {
        bar.update(done, total);
    });
    bar.finish();
    std::cout << (args.has("json") ? report.toJson() + "\n" : report.toText());
    return report.usable ? Ok : Failed;
}

int splitCommand(int argc, char** argv)
{
    Args args("split", "Assign every valid image of a dataset to a fold and write image_id,fold.\n"
                       "Stratified k-fold by default; --val-split F writes a hold-out split instead\n"
                       "(fold 1 = validation, fold 0 = training).");
    args.positional("DATA", "dataset folder")
        .option("out", "FILE", "where to write the split", "folds.csv")
        .option("folds", "K", "number of stratified folds", "5")
        .option("val-split", "F", "hold-out fraction for validation instead of k-fold")
        .option("seed", "S", "random seed", "42")
        .flag("unstratified", "with --val-split: shuffle without stratifying by class");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    const int folds = args.getInt("folds", 5);
    const auto seed = static_cast<uint64_t>(args.getInt64("seed", 42));
    const bool holdout = args.has("val-split");
    const double fraction = args.getDouble("val-split", 0.2);
    if (!args.error().empty())
        return usageError(args);
    if (!holdout && folds < 2) {
        std::fprintf(stderr, "cassava split: --folds must be at least 2\n");
        return Usage;
    }
    if (holdout && !(fraction > 0.0 && fraction < 1.0)) {
        std::fprintf(stderr, "cassava split: --val-split must be between 0 and 1\n");
        return Usage;
    }

    const Dataset dataset = Dataset::open(args.positional(0), {false, {}});
    if (!dataset.usable()) {
        printProblems(dataset.problems());
        std::fprintf(stderr, "cassava split: %s is not usable\n", dataset.root().c_str());
        return Failed;
    }
    const auto labels = dataset.labelsOfSamples();
    const auto assignment = holdout ? holdoutSplit(labels, fraction, seed, !args.has("unstratified"))
                                    : stratifiedKFold(labels, folds, seed);
    std::vector<std::string> ids;
    for (const auto& s : dataset.samples())
        ids.push_back(s.imageId);
    try {
        writeFoldsCsv(args.get("out"), ids, assignment);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava split: %s\n", e.what());
        return Failed;
    }

    // The table a researcher checks first: images per class and fold.
    const int parts = holdout ? 2 : folds;
    std::vector<std::vector<int>> table(static_cast<size_t>(dataset.numClasses()),
                                        std::vector<int>(static_cast<size_t>(parts), 0));
    for (size_t i = 0; i < labels.size(); ++i)
        ++table[static_cast<size_t>(labels[i])][static_cast<size_t>(assignment[i])];
    std::printf("Wrote %s: %zu images, %s\n\n%-6s", args.get("out").c_str(), ids.size(),
                holdout ? "hold-out split (fold 1 = validation)" : (std::to_string(folds) + " stratified folds").c_str(),
                "class");
    for (int f = 0; f < parts; ++f)
        std::printf(" %7s", holdout ? (f ? "val" : "train") : ("fold " + std::to_string(f)).c_str());
    std::printf("\n");
    for (int c = 0; c < dataset.numClasses(); ++c) {
        std::printf("%-6s", dataset.labels().shortName(c).c_str());
        for (int f = 0; f < parts; ++f)
            std::printf(" %7d", table[static_cast<size_t>(c)][static_cast<size_t>(f)]);
        std::printf("\n");
    }
    return Ok;
}

}  // namespace cassava::cli
