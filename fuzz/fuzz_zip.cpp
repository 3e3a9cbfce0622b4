// The zip walk that checks a weights file's or checkpoint's CRC-32s before LibTorch reads it
// (models/ZipChecksums.cpp, which needs no LibTorch).
#include "FuzzSupport.h"

#include "ZipChecksums.h"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string bytes(fuzzsupport::view(data, size));
    (void)cassava::pytorchArchiveProblem(bytes);  // never throws: a reason or nothing
    try {
        cassava::verifyZipChecksums(bytes);
    } catch (const std::runtime_error&) {
        // "damaged or truncated zip (...)": the expected answer to most inputs
    }
    return 0;
}
