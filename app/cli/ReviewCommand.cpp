// `cassava review`: the command line's view of a run's review journal (RUN/review/journal.jsonl),
// the same journal the GUI's Review view writes: decide, undo and redo from scripts, and export
// decisions.csv and a cleaned train.csv for a server run.
#include "Cli.h"
#include "Terminal.h"

#include "ReviewJournal.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace cassava::cli {
namespace {

void printWarnings(const ReviewJournal& journal)
{
    for (const auto& w : journal.warnings())
        std::fprintf(stderr, "warning: %s\n", w.c_str());
}

void printReviewHelp()
{
    std::printf("Usage: cassava review SUBCOMMAND --run RUN [options]\n\n"
                "A run's review journal (RUN/review/journal.jsonl), shared with the GUI's Review view.\n\n"
                "  export --out decisions.csv [--train-csv cleaned.csv] [--force]\n"
                "                  write decisions.csv (image_id,given,decision,label) and a cleaned train.csv\n"
                "  decide --image ID[,ID...] --decision accept|keep|relabel|exclude|skip [--label N]\n"
                "                  record one decision (several ids: one bulk step, undone as one)\n"
                "  undo, redo      undo the last decision step, redo the last undone one\n\n"
                "Run 'cassava review SUBCOMMAND --help' for its options.\n");
}

int exportSub(int argc, char** argv)
{
    Args args("review export", "Writes the review's final decisions as decisions.csv (image_id,given,decision,label;\n"
                               "skipped images are left out), for `cassava train --relabel decisions.csv`, and\n"
                               "optionally a cleaned train.csv (relabels applied, exclusions dropped). Never\n"
                               "writes over the dataset's own train.csv.");
    args.option("run", "RUN", "the reviewed run")
        .option("out", "CSV", "decisions.csv to write")
        .option("train-csv", "CSV", "also write the cleaned train.csv here")
        .flag("force", "replace existing output files");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    if (!args.has("run") || !args.has("out")) {
        std::fprintf(stderr, "cassava review export: --run RUN and --out CSV are required\n");
        return Usage;
    }
    try {
        const ReviewJournal journal = ReviewJournal::open(args.get("run"));
        printWarnings(journal);
        exportReview(journal, {args.get("out"), args.get("train-csv"), args.has("force")});
        int counts[5] = {};
        for (const auto& [id, item] : journal.decisions())
            ++counts[static_cast<int>(item.decision)];
        std::printf("%s: %d accepted, %d kept, %d relabelled, %d excluded (%d skipped, not written)\n",
                    args.get("out").c_str(), counts[0], counts[1], counts[2], counts[3], counts[4]);
        if (args.has("train-csv"))
            std::printf("%s: the dataset's labels with the decisions applied\n", args.get("train-csv").c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava review export: %s\n", e.what());
        return Failed;
    }
    return Ok;
}

int decideSub(int argc, char** argv)
{
    Args args("review decide", "Records one decision in the run's review journal; it is on disk when the command\n"
                               "returns. Several comma-separated ids make one bulk step.");
    args.option("run", "RUN", "the reviewed run")
        .option("image", "ID[,ID...]", "image id(s) of the run")
        .option("decision", "NAME", "accept, keep, relabel, exclude or skip")
        .option("label", "N", "the new label (accept: the suggestion; relabel: the class)");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    ReviewDecision decision;
    if (!args.has("run") || !args.has("image") || !args.has("decision")) {
        std::fprintf(stderr, "cassava review decide: --run, --image and --decision are required\n");
        return Usage;
    }
    if (!parseReviewDecision(args.get("decision"), decision)) {
        std::fprintf(stderr, "cassava review decide: --decision: expected accept, keep, relabel, exclude or skip, got '%s'\n",
                     args.get("decision").c_str());
        return Usage;
    }
    const bool needsLabel = decision == ReviewDecision::Accept || decision == ReviewDecision::Relabel;
    if (needsLabel && !args.has("label")) {
        std::fprintf(stderr, "cassava review decide: --decision %s needs --label N\n", args.get("decision").c_str());
        return Usage;
    }
    const int label = args.getInt("label", -1);
    if (!args.error().empty())
        return usageError(args);
    std::vector<std::string> ids;
    const std::string list = args.get("image");
    for (size_t pos = 0; pos <= list.size();) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        if (comma > pos)
            ids.push_back(list.substr(pos, comma - pos));
        pos = comma + 1;
    }
    try {
        ReviewJournal journal = ReviewJournal::open(args.get("run"));
        printWarnings(journal);
        std::vector<ReviewItem> items;
        for (const auto& id : ids)
            items.push_back(journal.item(id, decision, label));
        journal.decide(items);
        for (const auto& item : items)
            std::printf("%s: %s, label %d (given %d)\n", item.imageId.c_str(), reviewDecisionName(item.decision),
                        item.label, item.given);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava review decide: %s\n", e.what());
        return Failed;
    }
    return Ok;
}

int undoRedoSub(bool undo, int argc, char** argv)
{
    const char* name = undo ? "undo" : "redo";
    Args args(std::string("review ") + name,
              undo ? "Undoes the last decision step (a bulk decision as one)." : "Redoes the last undone step.");
    args.option("run", "RUN", "the reviewed run");
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    if (!args.has("run")) {
        std::fprintf(stderr, "cassava review %s: --run RUN is required\n", name);
        return Usage;
    }
    try {
        ReviewJournal journal = ReviewJournal::open(args.get("run"));
        printWarnings(journal);
        const std::vector<ReviewStep> steps = undo ? journal.undoSteps() : journal.redoSteps();
        if (!(undo ? journal.undo() : journal.redo())) {
            std::fprintf(stderr, "cassava review %s: nothing to %s in %s\n", name, name, journal.path().c_str());
            return Failed;
        }
        for (const auto& item : steps.back().items)
            std::printf("%s %s: %s\n", undo ? "undid" : "redid", item.imageId.c_str(), reviewDecisionName(item.decision));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava review %s: %s\n", name, e.what());
        return Failed;
    }
    return Ok;
}

}  // namespace

int reviewCommand(int argc, char** argv)
{
    if (argc < 1 || !std::strcmp(argv[0], "--help") || !std::strcmp(argv[0], "-h")) {
        printReviewHelp();
        return argc < 1 ? Usage : Ok;
    }
    const std::string sub = argv[0];
    if (sub == "export")
        return exportSub(argc - 1, argv + 1);
    if (sub == "decide")
        return decideSub(argc - 1, argv + 1);
    if (sub == "undo" || sub == "redo")
        return undoRedoSub(sub == "undo", argc - 1, argv + 1);
    std::fprintf(stderr, "cassava review: unknown subcommand '%s' (export, decide, undo, redo)\n", sub.c_str());
    return Usage;
}

}  // namespace cassava::cli
