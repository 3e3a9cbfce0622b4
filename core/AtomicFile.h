#pragma once
// Every write of something a user would miss goes through here: write a temp file in the same
// folder, flush it to disk, then rename over the target. A failure leaves the old file intact.
#include <string>
#include <string_view>

namespace cassava {

// Throws std::runtime_error naming the path and the reason ("disk full", "permission denied").
void writeFileAtomically(const std::string& path, std::string_view bytes);

// Whether a file name is one of the temporary files writeFileAtomically writes beside its target
// ("best.ckpt.tmp-Xa81Qz"): one a killed process left behind is incomplete by design and never read.
bool isTemporaryOfAtomicWrite(const std::string& fileName);

// Reads a whole file; throws std::runtime_error naming the path on failure.
std::string readFile(const std::string& path);

}  // namespace cassava
