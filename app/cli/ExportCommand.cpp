// cassava export: a checkpoint as a TorchScript file for use without Cassava Studio
// (models/TorchScriptExport.h).
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "TorchScriptExport.h"
#include "TorchThreads.h"

#include <cstdio>
#include <stdexcept>

namespace cassava::cli {

int exportCommand(int argc, char** argv)
{
    Args a("export",
           "Writes a checkpoint as a TorchScript file with a scripted forward, checked against the\n"
           "network before it is written. In Python:\n"
           "    model = torch.jit.load(\"model.pt\").eval(); logits = model(images)\n"
           "images normalized with model.mean / model.std at model.input_size; class names in\n"
           "model.class_names. Its state_dict() loads into torchvision's efficientnet_bN.");
    a.option("model", "MODEL.ckpt", "checkpoint to export").option("out", "FILE.pt", "TorchScript file to write");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);
    if (a.get("model").empty() || a.get("out").empty()) {
        std::fprintf(stderr, "cassava export: --model MODEL.ckpt and --out FILE.pt are required "
                             "(see 'cassava export --help')\n");
        return Usage;
    }
    try {
        configureTorchThreads();
        const ExportReport report = exportTorchScript(a.get("model"), a.get("out"));
        std::printf("wrote %s: TorchScript efficientnet_%s, %d classes (scripted forward matches the "
                    "network: max |logit difference| %.2g)\n",
                    a.get("out").c_str(), report.variant.c_str(), report.numClasses, report.maxAbsDifference);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava export: %s\n", e.what());
        return Failed;
    }
    return Ok;
}

}  // namespace cassava::cli
