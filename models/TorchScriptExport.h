#pragma once
// `cassava export`: a checkpoint as a self-contained TorchScript file with a real scripted forward,
// for use without Cassava Studio. A C++ nn::Module cannot be scripted, so the forward is written as
// TorchScript source generated from the same NetworkPlan that builds the network, compiled by
// LibTorch's TorchScript compiler, and checked against the C++ network before the file is written.
//
// The module's parameters and buffers carry torchvision's names, so in Python (torch 1.13 or later):
//     model = torch.jit.load("model.pt").eval()
//     logits = model(images)   # images: (N, 3, S, S), normalized with model.mean / model.std
// or, to get torchvision's own module back:
//     net = torchvision.models.efficientnet_b0(num_classes=len(model.class_names))
//     net.load_state_dict(torch.jit.load("model.pt").state_dict()); net.eval()
// The checkpoint's metadata travels too: the attributes class_names, mean, std, input_size,
// variant, and the full JSON as the extra file "metadata.json"
// (torch.jit.load(path, _extra_files={"metadata.json": ""})).
// The exported forward is for inference (BatchNorm uses its running statistics, no dropout).
// This header does not include LibTorch.
#include <string>

namespace cassava {

class EfficientNet;
struct CheckpointMetadata;

struct ExportReport {
    std::string variant;
    int numClasses = 0;
    double maxAbsDifference = 0.0;  // scripted vs C++ logits on a random batch, before writing
};

// Throws std::runtime_error naming the path (unreadable checkpoint, unwritable output, or a scripted
// forward that disagrees with the network). The network must be on the CPU.
ExportReport exportTorchScript(const std::string& checkpointPath, const std::string& outPath);
ExportReport exportTorchScript(const EfficientNet& net, const CheckpointMetadata& metadata,
                               const std::string& outPath);

}  // namespace cassava
