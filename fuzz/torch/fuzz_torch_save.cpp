// The pickle interpreter that reads torch.save files (models/TorchSaveReader.cpp): opcodes, memo,
// tensors rebuilt from the zip's data/<key> records, storage bounds. LibTorch's zip reader comes
// first and does not check CRC-32s, so every mutation reaches the pickle.
#include "../FuzzSupport.h"

#include "TorchSaveReader.h"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        const torch::IValue value = cassava::readTorchSaveArchive(std::string(fuzzsupport::view(data, size)));
        (void)value.isGenericDict();
    } catch (const std::exception&) {
        // a message: the expected answer to a damaged file (c10::Error is a std::exception too)
    }
    return 0;
}
