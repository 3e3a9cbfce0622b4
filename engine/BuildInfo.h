#pragma once
// What this build was made with, for Help > About and `--version` lines. No LibTorch here.
#include <string>

namespace cassava {

std::string libtorchVersion();  // "1.13.0": the headers this build was compiled against
std::string opencvVersion();    // "4.6.0"

}  // namespace cassava
