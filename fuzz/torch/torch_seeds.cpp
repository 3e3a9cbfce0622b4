// Seeds for the LibTorch readers' targets (fuzz_torch_save, fuzz_checkpoint), written with
// torch::pickle_save, the format of Python's torch.save. Usage: torch_seeds OUT_DIR
#include "../FuzzSupport.h"
#include "TorchFuzzSupport.h"

#include <cstdio>

using fuzzsupport::pickled;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: torch_seeds OUT_DIR\n");
        return 2;
    }
    const std::string out = argv[1];
    auto seed = [&](const char* target, const char* name, const std::string& bytes) {
        fuzzsupport::writeSeed(out, target, name, bytes);
    };
    c10::impl::GenericDict tensors(c10::StringType::get(), c10::TensorType::get());
    tensors.insert("features.0.0.weight", torch::arange(24, torch::kFloat).reshape({2, 3, 2, 2}));
    tensors.insert("features.0.1.num_batches_tracked", torch::tensor(int64_t{7}));
    tensors.insert("half", torch::ones({3}, torch::kHalf));
    tensors.insert("strided", torch::arange(12, torch::kFloat).reshape({3, 4}).t());
    seed("torch_save", "state_dict.pth", pickled(tensors));

    c10::impl::GenericDict wrapped(c10::StringType::get(), c10::AnyType::get());
    wrapped.insert("epoch", int64_t{3});
    wrapped.insert("state_dict", tensors);
    wrapped.insert("notes", c10::List<std::string>({"a", "b"}));
    wrapped.insert("pair", c10::ivalue::Tuple::create({torch::IValue(1.5), torch::IValue(true)}));
    seed("torch_save", "wrapped.pth", pickled(wrapped));

    const std::string metadata = cassava::CheckpointMetadata::forVariant("b0", 5).toJson().dump();
    seed("checkpoint", "file.ckpt", std::string(1, '\0') + fuzzsupport::checkpointWithMetadata(metadata));
    seed("checkpoint", "metadata.json", std::string(1, '\1') + metadata);
    std::printf("LibTorch seed corpora written under %s\n", out.c_str());
    return 0;
}
