// Our checkpoint reader (models/Checkpoint.cpp). The first byte picks what the rest is:
//   0: a whole file for readCheckpointMetadata (zip walk, CRC-32s, the pickle, the format keys)
//   1: the metadata JSON text, which this target wraps into a checkpoint with correct CRC-32s (a
//      mutated file rarely survives the checksums, and the JSON is what people edit by hand)
#include "../FuzzSupport.h"
#include "TorchFuzzSupport.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1 || data[0] > 1)
        return 0;
    const std::string rest(fuzzsupport::view(data + 1, size - 1));
    const std::string path = fuzzsupport::scratch() + "/model.ckpt";
    try {
        fuzzsupport::writeFile(path, data[0] == 0 ? rest : fuzzsupport::checkpointWithMetadata(rest));
        const cassava::CheckpointMetadata m = cassava::readCheckpointMetadata(path);
        (void)m.networkOptions();
    } catch (const std::exception&) {
        // "PATH: damaged ..." or "PATH: metadata: ...": the expected answer
    }
    return 0;
}
