// Seeds for the LibTorch readers' targets (fuzz_torch_save, fuzz_checkpoint), written with
// torch::pickle_save, the format of Python's torch.save. Usage: torch_seeds OUT_DIR
#include "../FuzzSupport.h"

#include "Checkpoint.h"
#include "TorchInclude.h"

#include <cstdio>
#include <filesystem>

namespace {

std::string out;

void seed(const std::string& target, const std::string& name, const std::string& bytes)
{
    std::filesystem::create_directories(out + "/" + target);
    fuzzsupport::writeFile(out + "/" + target + "/" + name, bytes);
}

std::string saved(const torch::IValue& value)
{
    const std::vector<char> bytes = torch::pickle_save(value);
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: torch_seeds OUT_DIR\n");
        return 2;
    }
    out = argv[1];
    c10::impl::GenericDict tensors(c10::StringType::get(), c10::TensorType::get());
    tensors.insert("features.0.0.weight", torch::arange(24, torch::kFloat).reshape({2, 3, 2, 2}));
    tensors.insert("features.0.1.num_batches_tracked", torch::tensor(int64_t{7}));
    tensors.insert("half", torch::ones({3}, torch::kHalf));
    tensors.insert("strided", torch::arange(12, torch::kFloat).reshape({3, 4}).t());
    seed("torch_save", "state_dict.pth", saved(tensors));

    c10::impl::GenericDict wrapped(c10::StringType::get(), c10::AnyType::get());
    wrapped.insert("epoch", int64_t{3});
    wrapped.insert("state_dict", tensors);
    wrapped.insert("notes", c10::List<std::string>({"a", "b"}));
    wrapped.insert("pair", c10::ivalue::Tuple::create({torch::IValue(1.5), torch::IValue(true)}));
    seed("torch_save", "wrapped.pth", saved(wrapped));

    const std::string metadata = cassava::CheckpointMetadata::forVariant("b0", 5).toJson().dump();
    c10::impl::GenericDict checkpoint(c10::StringType::get(), c10::AnyType::get());
    checkpoint.insert("format", std::string(cassava::kCheckpointFormat));
    checkpoint.insert("format_version", static_cast<int64_t>(cassava::kCheckpointFormatVersion));
    checkpoint.insert("metadata", metadata);
    c10::impl::GenericDict state(c10::StringType::get(), c10::TensorType::get());
    state.insert("classifier.1.bias", torch::zeros({5}));
    checkpoint.insert("state_dict", state);
    seed("checkpoint", "file.ckpt", std::string(1, '\0') + saved(checkpoint));
    seed("checkpoint", "metadata.json", std::string(1, '\1') + metadata);
    std::printf("LibTorch seed corpora written under %s\n", out.c_str());
    return 0;
}
