#pragma once
// Shared by the LibTorch fuzz targets and their seeds: bytes as torch.save writes them, and a
// checkpoint in our format around given metadata JSON (models/Checkpoint.h) with correct CRC-32s.
#include "Checkpoint.h"
#include "TorchInclude.h"

#include <string>
#include <vector>

namespace fuzzsupport {

inline std::string pickled(const torch::IValue& value)
{
    const std::vector<char> bytes = torch::pickle_save(value);
    return std::string(bytes.begin(), bytes.end());
}

// {"format", "format_version", "metadata": json, "state_dict": {one small tensor}}: what
// readCheckpointMetadata reads (it does not build the network).
inline std::string checkpointWithMetadata(const std::string& json)
{
    c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
    dict.insert("format", std::string(cassava::kCheckpointFormat));
    dict.insert("format_version", static_cast<int64_t>(cassava::kCheckpointFormatVersion));
    dict.insert("metadata", json);
    c10::impl::GenericDict state(c10::StringType::get(), c10::TensorType::get());
    state.insert("classifier.1.bias", torch::zeros({5}));
    dict.insert("state_dict", state);
    return pickled(dict);
}

}  // namespace fuzzsupport
