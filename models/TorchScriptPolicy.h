#pragma once
// Whether a TorchScript archive may be read. A torch.save file is read by our own pickle reader
// (TorchSaveReader.h): data only, it runs nothing. A TorchScript archive is code: torch::jit::load
// compiles it and can run methods it defines (__setstate__), so it is read only when the user says
// its source is trusted (`cassava import-weights --trust-torchscript`). No LibTorch here.
namespace cassava {

enum class TorchScriptPolicy { Refuse, Trust };

}  // namespace cassava
