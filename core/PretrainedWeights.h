#pragma once
// torchvision's published ImageNet weights for EfficientNet B0-B7, fetched once into the XDG cache
// ($XDG_CACHE_HOME/cassava-studio/weights, default ~/.cache/...) and verified against the SHA-256
// prefix torchvision puts in each file name (efficientnet_b0_rwightman-3dd342df.pth: the file's
// hash starts with 3dd342df), as torch.hub's load_state_dict_from_url does. A cached file was
// verified before it was renamed into place and is trusted from then on (as torch.hub does;
// damage is still caught by the zip checksums when it is imported). No torch here: importing is
// models/WeightImport's.
#include "Download.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cassava {

struct PretrainedWeights {
    std::string variant;    // "b0"
    std::string fileName;   // "efficientnet_b0_rwightman-3dd342df.pth"
    std::string hashPrefix; // "3dd342df": the start of the file's SHA-256, from its name
    int64_t parameters = 0; // torchvision's num_params: the file is about 4 bytes each
};

// The base every file name is appended to, unless a mirror replaces it.
inline constexpr char kTorchvisionModelsUrl[] = "https://download.pytorch.org/models";
// TrainConfig::weights (`cassava train --weights imagenet`): this table's file for the model.
inline constexpr char kImageNetWeights[] = "imagenet";
// Environment variable naming a mirror of that folder (tests, offline networks).
inline constexpr char kWeightsMirrorVariable[] = "CASSAVA_WEIGHTS_MIRROR";

// The table, b0..b7, as torchvision 0.14's efficientnet.py (IMAGENET1K_V1 for every variant).
const std::vector<PretrainedWeights>& imageNetWeightsTable();
// The entry for a variant, with a replacement set by setImageNetWeightsFileName applied; throws
// std::invalid_argument for a name that is not b0..b7.
PretrainedWeights imageNetWeights(const std::string& variant);
// For this process, another torchvision file for a variant (e.g. efficientnet_b1-c27df63c.pth,
// torchvision's IMAGENET1K_V2, or a test's file): its name must carry its hash prefix the same
// way (NAME-HEX.pth, at least 8 hex digits). Throws std::invalid_argument when it does not.
void setImageNetWeightsFileName(const std::string& variant, const std::string& fileName);

// "NAME-3dd342df.pth" -> "3dd342df"; empty when the name carries no hash.
std::string hashPrefixFromFileName(const std::string& fileName);

std::string weightsCacheDir();
// Where the variant's file is (or would be) cached.
std::string cachedWeightsPath(const std::string& variant);
// The cached file's path, or empty when it is not there.
std::string cachedImageNetWeights(const std::string& variant);

// mirror if given, else $CASSAVA_WEIGHTS_MIRROR, else download.pytorch.org; no trailing slash.
std::string weightsBaseUrl(const std::string& mirror = {});
std::string imageNetWeightsUrl(const std::string& variant, const std::string& mirror = {});

struct FetchOptions {
    std::function<void(int64_t done, int64_t total)> progress;  // total -1 when unknown
    const std::atomic<bool>* cancel = nullptr;
    std::string mirror;  // base URL replacing download.pytorch.org/models
};

// The verified cached file for a variant, downloading it (resuming a partial one) only when it is
// not cached. A download whose SHA-256 does not start with the name's prefix is deleted and
// refused. Throws DownloadCancelled, or std::runtime_error whose message names the URL and what
// to do instead (download it elsewhere and pass the file).
std::string fetchImageNetWeights(const std::string& variant, const FetchOptions& options = {});

}  // namespace cassava
