// Our checkpoint reader (models/Checkpoint.cpp). The first byte picks what the rest is:
//   0: a whole file for readCheckpointMetadata (zip walk, CRC-32s, the pickle, the format keys)
//   1: the metadata JSON text, which this target wraps into a checkpoint with correct CRC-32s (a
//      mutated file rarely survives the checksums, and the JSON is what people edit by hand)
#include "../FuzzSupport.h"

#include "Checkpoint.h"
#include "TorchInclude.h"

#include <exception>

namespace {

std::string checkpointWithMetadata(const std::string& json)
{
    c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
    dict.insert("format", std::string(cassava::kCheckpointFormat));
    dict.insert("format_version", static_cast<int64_t>(cassava::kCheckpointFormatVersion));
    dict.insert("metadata", json);
    c10::impl::GenericDict state(c10::StringType::get(), c10::TensorType::get());
    state.insert("classifier.1.bias", torch::zeros({5}));
    dict.insert("state_dict", state);
    const std::vector<char> bytes = torch::pickle_save(dict);
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1 || data[0] > 1)
        return 0;
    const std::string rest(fuzzsupport::view(data + 1, size - 1));
    const std::string path = fuzzsupport::scratch() + "/model.ckpt";
    try {
        fuzzsupport::writeFile(path, data[0] == 0 ? rest : checkpointWithMetadata(rest));
        const cassava::CheckpointMetadata m = cassava::readCheckpointMetadata(path);
        (void)m.networkOptions();
    } catch (const std::exception&) {
        // "PATH: damaged ..." or "PATH: metadata: ...": the expected answer
    }
    return 0;
}
