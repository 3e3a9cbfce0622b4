#pragma once
// The one way to include LibTorch. Qt defines `slots` as a macro and LibTorch has
// IValue::slots(), so the macro is parked while torch's headers are read.
#pragma push_macro("slots")
#undef slots
#include <torch/torch.h>
#include <torch/script.h>  // torch::jit::load, torch::jit::Module (weight import, export)
#pragma pop_macro("slots")
