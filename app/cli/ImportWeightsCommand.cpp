// cassava import-weights: torchvision weights (TorchScript archive or torch.save state_dict) into
// our self-describing checkpoint (models/WeightImport.h).
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "AtomicFile.h"
#include "Architecture.h"
#include "LabelMap.h"
#include "TorchThreads.h"
#include "WeightImport.h"

#include <cstdio>
#include <stdexcept>

namespace cassava::cli {
namespace {

int importError(const std::string& message)
{
    std::fprintf(stderr, "cassava import-weights: %s\n", message.c_str());
    return Failed;
}

int badOption(const std::string& message)
{
    std::fprintf(stderr, "cassava import-weights: %s (see 'cassava import-weights --help')\n", message.c_str());
    return Usage;
}

}  // namespace

int importWeightsCommand(int argc, char** argv)
{
    Args a("import-weights",
           "Converts torchvision EfficientNet weights into a Cassava checkpoint. FILE is a TorchScript\n"
           "archive (torch.jit.save; only with --trust-torchscript) or a state_dict saved with torch.save,\n"
           "with torchvision's names\n"
           "(features.0.0.weight, ..., classifier.1.bias). A classifier for another number of classes\n"
           "(ImageNet's 1000) is replaced by a fresh one for --classes; any other mismatch is an error\n"
           "that lists the tensors.");
    a.option("model", "b0..b7", "EfficientNet variant of the weights", "b0")
        .option("from", "FILE", "torchvision weights (.pt, .pth)")
        .option("out", "MODEL.ckpt", "checkpoint to write (replaced atomically)")
        .option("classes", "N", "classes of the new checkpoint", "5")
        .option("label-map", "JSON", "class names from a label_num_to_disease_map.json (default: the five "
                                     "cassava classes)")
        .flag("trust-torchscript", "read a TorchScript archive: it carries code that loading runs, so only "
                                   "one from a source you trust (a torch.save file runs nothing)");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);

    ImportRequest request;
    request.variant = a.get("model");
    request.weightsPath = a.get("from");
    request.checkpointPath = a.get("out");
    request.numClasses = a.getInt("classes", 5);
    if (a.has("trust-torchscript"))
        request.torchScript = TorchScriptPolicy::Trust;
    if (!a.error().empty())
        return badOption(a.error());
    if (request.weightsPath.empty() || request.checkpointPath.empty())
        return badOption("--from FILE and --out MODEL.ckpt are required");
    if (!isVariantName(request.variant))
        return badOption("--model: '" + request.variant + "' is not one of " + variantNamesList());
    if (request.numClasses < 1)
        return badOption("--classes: must be at least 1");

    try {
        if (a.has("label-map")) {
            ProblemList problems;
            const std::string path = a.get("label-map");
            const LabelMap labels = LabelMap::parse(readFile(path), path, problems);
            if (hasFatal(problems)) {
                printProblems(problems);
                return Failed;
            }
            if (!a.has("classes"))
                request.numClasses = labels.size();
            if (labels.size() != request.numClasses)
                return badOption(path + " names " + std::to_string(labels.size()) + " classes, --classes is " +
                                 std::to_string(request.numClasses));
            request.classNames = labels.names();
        }
        configureTorchThreads();
        const ImportReport report = importWeightsToCheckpoint(request);
        std::printf("efficientnet_%s: %s\nwrote %s\n", request.variant.c_str(), report.summary().c_str(),
                    request.checkpointPath.c_str());
    } catch (const std::exception& e) {
        return importError(e.what());
    }
    return Ok;
}

}  // namespace cassava::cli
