#include "Cli.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace cassava::cli {
namespace {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(int, char**);
    bool network;  // runs LibTorch (how its threads wait matters)
};

const Command kCommands[] = {
    {"inspect", "validate a dataset; class counts, image sizes and every problem", inspectCommand, false},
    {"split", "write a stratified k-fold or hold-out split (image_id,fold)", splitCommand, false},
    {"synth", "generate a synthetic Kaggle-layout dataset (the built-in demo)", synthCommand, false},
    {"train", "train EfficientNet with k-fold or hold-out validation into a run folder", trainCommand, true},
    {"evaluate", "accuracy, per-class accuracy and confusion matrix of a model on a dataset", evaluateCommand, true},
    {"predict", "predict a folder of photos into a Kaggle submission (TTA, crops, fold ensembles)", predictCommand, true},
    {"diagnose", "the disease in each photo, class probabilities and a Grad-CAM heatmap", diagnoseCommand, true},
    {"denoise", "suspect labels from a run's out-of-fold predictions (recipe or confident learning)", denoiseCommand, true},
    {"review", "a run's review journal: decide, undo, redo; export decisions.csv and a cleaned train.csv", reviewCommand, false},
    {"flip-labels", "copy a dataset with a recorded fraction of wrong labels (to measure denoising)", flipLabelsCommand, false},
    {"import-weights", "convert torchvision EfficientNet weights into a Cassava checkpoint", importWeightsCommand, true},
    {"export", "write a checkpoint as a TorchScript file (Python: torch.jit.load)", exportCommand, true},
    {"verify", "check that every file of a run folder is whole (after a crash, a copy, a full disk)", verifyCommand, false},
    {"weights", "fetch torchvision's ImageNet weights (b0..b7) into the cache; list what is cached", weightsCommand, false},
};

void printHelp()
{
    std::printf("Usage: cassava COMMAND [options]\n\n"
                "Cassava Studio's command line: datasets, training and diagnosis of cassava leaf\n"
                "diseases.\n\nCommands:\n");
    for (const auto& c : kCommands)
        std::printf("  %-15s %s\n", c.name, c.summary);
    std::printf("\nRun 'cassava COMMAND --help' for a command's options.\n");
}

const Command* find(const char* name)
{
    for (const auto& c : kCommands)
        if (!std::strcmp(name, c.name))
            return &c;
    return nullptr;
}

}  // namespace

bool runsNetwork(int argc, char** argv)
{
    const Command* c = argc >= 2 ? find(argv[1]) : nullptr;
    return c && c->network;
}

int run(int argc, char** argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
        !std::strcmp(argv[1], "help")) {
        printHelp();
        return argc < 2 ? Usage : Ok;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("cassava %s\n", CASSAVA_VERSION);
        return Ok;
    }
    if (const Command* c = find(argv[1]))
        return c->run(argc - 2, argv + 2);
    std::fprintf(stderr, "cassava: unknown command '%s' (see 'cassava --help')\n", argv[1]);
    return Usage;
}

}  // namespace cassava::cli
