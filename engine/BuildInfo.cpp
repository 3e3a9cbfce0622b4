#include "BuildInfo.h"

// Only the version header: the whole of torch/torch.h costs ~20 s to compile.
#include <opencv2/core/version.hpp>
#include <torch/version.h>

namespace cassava {

std::string libtorchVersion() { return TORCH_VERSION; }

std::string opencvVersion() { return CV_VERSION; }

}  // namespace cassava
