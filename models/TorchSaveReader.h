#pragma once
// Reads the zip files written by Python's torch.save (and by torch::pickle_save) without Python.
//
// LibTorch's own torch::pickle_load cannot read a state_dict saved from Python: it turns the
// collections.OrderedDict that holds the state_dict into None (LibTorch 1.13, unpickler.cpp). So
// this is a small pickle interpreter for the subset torch.save writes: dicts, lists, tuples,
// numbers, strings, OrderedDict, tensors rebuilt from the zip's data/<key> records
// (torch._utils._rebuild_tensor_v2 / _rebuild_parameter). Any other Python class (a whole pickled
// nn.Module, say) is refused by name. Every read is bounds-checked: a damaged file is an error,
// never a crash.
#include "TorchInclude.h"

#include <string>
#include <vector>

namespace cassava {

// `bytes` is the whole file. Throws std::runtime_error with a message (without the path) on
// anything it cannot read.
torch::IValue readTorchSaveArchive(const std::string& bytes);

// The entries of a PyTorch zip in memory, without the archive's top folder ("data.pkl",
// "constants.pkl", "data/0", ...). Throws on a damaged zip.
std::vector<std::string> zipRecordNames(const std::string& bytes);

}  // namespace cassava
