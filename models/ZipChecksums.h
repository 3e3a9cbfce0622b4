#pragma once
// PyTorch's archives are zip files with a CRC-32 per entry, but LibTorch's reader does not check
// them (its miniz is built with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS), so a damaged weight file
// would load as silently wrong weights. This walks the zip's central directory (zip64 included)
// and checks every stored entry. No LibTorch here.
#include <string>

namespace cassava {

// Throws std::runtime_error with a message (without the path): "damaged or truncated zip
// (...)" or "damaged: the checksum of entry 'archive/data/12' does not match".
void verifyZipChecksums(const std::string& bytes);

// Empty when LibTorch's PyTorchStreamReader will open the zip; otherwise why not ("no version
// record"). Its constructor throws on those after miniz has allocated its reader state, and then
// leaks it (LibTorch 1.13: no destructor runs; about 0.5 KB per refused file, found by ASan), so
// the readers ask here first.
std::string pytorchArchiveProblem(const std::string& bytes);

}  // namespace cassava
