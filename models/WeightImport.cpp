#include "WeightImport.h"

#include "Checkpoint.h"
#include "EfficientNet.h"
#include "StateDict.h"

namespace cassava {

std::string ImportReport::summary() const
{
    std::string text = "loaded " + std::to_string(tensorsLoaded) + " tensors from a " + sourceFormat;
    if (classifierReplaced)
        text += "; classifier replaced by a fresh one (" + std::to_string(sourceClasses) + " -> " +
                std::to_string(numClasses) + " classes)";
    for (const auto& note : notes)
        text += "; " + note;
    return text;
}

ImportReport importTorchvisionWeights(EfficientNet& net, const std::string& path, TorchScriptPolicy torchScript)
{
    StateDictFile file = readStateDictFile(path, torchScript);
    const ApplyReport applied = applyStateDict(*net, file.tensors, ClassifierPolicy::ReplaceIfDifferent, path);
    ImportReport report;
    report.sourceFormat = file.format;
    report.tensorsLoaded = applied.tensorsLoaded;
    report.classifierReplaced = applied.classifierReplaced;
    report.sourceClasses = applied.sourceClasses;
    report.numClasses = net->numClasses();
    report.notes = file.notes;
    report.notes.insert(report.notes.end(), applied.notes.begin(), applied.notes.end());
    return report;
}

ImportReport importWeightsToCheckpoint(const ImportRequest& request)
{
    CheckpointMetadata metadata = CheckpointMetadata::forVariant(request.variant, request.numClasses);
    if (!request.classNames.empty())
        metadata.classNames = request.classNames;
    EfficientNet net(metadata.networkOptions());
    ImportReport report = importTorchvisionWeights(net, request.weightsPath, request.torchScript);
    metadata.source = "imported from " + request.weightsPath + " (" + report.sourceFormat +
                      (report.classifierReplaced ? ", classifier replaced" : "") + ")";
    writeCheckpoint(request.checkpointPath, net, metadata);
    return report;
}

}  // namespace cassava
