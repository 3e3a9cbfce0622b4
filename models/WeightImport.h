#pragma once
// Bringing torchvision weights (e.g. ImageNet-pretrained efficientnet_bN) into our network. The
// file is either a TorchScript archive (torch.jit.save of a scripted or traced model) or a
// state_dict written by torch.save; names map one to one (see EfficientNet.h). A classifier of
// another size (1000 ImageNet classes for a 5-class task) is left out, the network keeps its fresh
// head, and the report says so; any other difference is an error that lists the names.
// This header does not include LibTorch.
#include "TorchScriptPolicy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cassava {

class EfficientNet;

struct ImportReport {
    std::string sourceFormat;  // "TorchScript archive" or "torch.save state_dict"
    int tensorsLoaded = 0;
    bool classifierReplaced = false;
    int64_t sourceClasses = 0;  // classes of the file's classifier
    int numClasses = 0;         // classes of the network
    std::vector<std::string> notes;

    // "loaded 358 tensors from a torch.save state_dict; classifier replaced (1000 -> 5 classes)"
    std::string summary() const;
};

// Throws std::runtime_error whose message starts with the path; a TorchScript archive only with
// TorchScriptPolicy::Trust (TorchScriptPolicy.h).
ImportReport importTorchvisionWeights(EfficientNet& net, const std::string& path,
                                      TorchScriptPolicy torchScript = TorchScriptPolicy::Refuse);

// What `cassava import-weights` does: build the network, import, write our checkpoint.
struct ImportRequest {
    std::string variant = "b0";
    std::string weightsPath;
    std::string checkpointPath;
    int numClasses = 5;
    std::vector<std::string> classNames;  // empty: the cassava names for 5 classes
    TorchScriptPolicy torchScript = TorchScriptPolicy::Refuse;  // see StateDict.h
};
ImportReport importWeightsToCheckpoint(const ImportRequest& request);

}  // namespace cassava
