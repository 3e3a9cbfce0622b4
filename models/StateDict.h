#pragma once
// Named tensors in and out of files: the one place that reads PyTorch's two archive kinds (a
// TorchScript archive from torch.jit.save, a zip pickle from torch.save) and the one place that
// copies named tensors into a network, checking every name and shape. Used by weight import and by
// our own checkpoints. Errors are std::runtime_error messages that start with the file's path.
#include "EfficientNet.h"
#include "TorchScriptPolicy.h"

#include <map>
#include <string>
#include <vector>

namespace cassava {

using NamedTensors = std::map<std::string, torch::Tensor>;

// Parameters and buffers, flat, with torchvision's dotted names.
NamedTensors namedTensorsOf(const torch::nn::Module& module);

struct StateDictFile {
    NamedTensors tensors;
    std::string format;              // "TorchScript archive" or "torch.save state_dict"
    std::vector<std::string> notes;  // what was adjusted on the way ("removed the 'module.' prefix")
};

// Reads either archive kind. A checkpoint that wraps the state_dict ({"state_dict": ...},
// {"model": ...}) and DataParallel's "module." prefix are accepted and noted. A TorchScript archive
// under TorchScriptPolicy::Refuse is an error that says why and what to do instead.
StateDictFile readStateDictFile(const std::string& path, TorchScriptPolicy torchScript = TorchScriptPolicy::Refuse);

// Reads a torch.save / torch::pickle_save zip into an IValue (see TorchSaveReader.h). The message of a failure names the
// file and says what kind of file it looks like instead.
torch::IValue readPickleFile(const std::string& path, const std::string& bytes);

// How a classifier of another shape is treated.
enum class ClassifierPolicy {
    MustMatch,           // our checkpoints: the head is part of the model
    ReplaceIfDifferent,  // importing ImageNet weights for a 5-class task: keep the fresh head
};

struct ApplyReport {
    int tensorsLoaded = 0;
    bool classifierReplaced = false;
    int64_t sourceClasses = 0;  // rows of the file's classifier weight
    std::vector<std::string> notes;
};

// Copies `tensors` into `net` (keeping its memory format). Throws naming every missing,
// unexpected and mis-shaped tensor, with a guess of the variant the file holds.
ApplyReport applyStateDict(EfficientNetImpl& net, const NamedTensors& tensors, ClassifierPolicy policy,
                           const std::string& fileForMessages);

// "efficientnet_b3 (1000 classes)": the variant whose shapes the tensors have, or "".
std::string guessVariant(const NamedTensors& tensors);

// The message of a c10::Error without its C++ stack trace.
std::string torchMessage(const std::exception& error);

}  // namespace cassava
