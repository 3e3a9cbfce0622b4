#include "Checkpoint.h"

#include "AtomicFile.h"
#include "EfficientNet.h"
#include "JsonNumbers.h"
#include "LabelMap.h"
#include "StateDict.h"

#include <cmath>
#include <ctime>

namespace cassava {

const char* const kCheckpointFormat = "cassava-efficientnet-checkpoint";

namespace {

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

[[noreturn]] void badField(const std::string& field, const std::string& problem)
{
    throw std::runtime_error("metadata field '" + field + "': " + problem);
}

template <typename T>
T field(const nlohmann::json& json, const char* name, const T& fallback, bool required)
{
    const auto it = json.find(name);
    if (it == json.end() || it->is_null()) {
        if (required)
            badField(name, "missing");
        return fallback;
    }
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        T value{};
        if (!wholeNumber(*it, value))
            badField(name, "is not a whole number that fits (" + it->dump().substr(0, 40) + ")");
        return value;
    } else {
        try {
            return it->get<T>();
        } catch (const nlohmann::json::exception&) {
            badField(name, "has the wrong type (" + std::string(it->type_name()) + ")");
        }
    }
}

std::array<double, 3> triple(const nlohmann::json& json, const char* name, const std::array<double, 3>& fallback)
{
    const auto values = field<std::vector<double>>(json, name, {fallback.begin(), fallback.end()}, false);
    if (values.size() != 3)
        badField(name, "needs three numbers (R, G, B)");
    return {values[0], values[1], values[2]};
}

torch::IValue checkpointEntry(const c10::impl::GenericDict& dict, const char* key)
{
    for (const auto& entry : dict)
        if (entry.key().isString() && entry.key().toStringRef() == key)
            return entry.value();
    return {};
}

// The dict inside a checkpoint file, after checking that it is one of ours.
c10::impl::GenericDict openCheckpoint(const std::string& path, const torch::IValue& value)
{
    if (!value.isGenericDict())
        throw std::runtime_error(path + ": not a Cassava checkpoint (holds a " + value.tagKind() + ")");
    const auto dict = value.toGenericDict();
    const auto format = checkpointEntry(dict, "format");
    if (!format.isString() || format.toStringRef() != kCheckpointFormat) {
        bool allTensors = dict.size() > 0;
        for (const auto& entry : dict)
            allTensors = allTensors && entry.value().isTensor();
        throw std::runtime_error(path + (allTensors ? ": a plain state_dict, not a Cassava checkpoint; "
                                                      "convert it with 'cassava import-weights'"
                                                    : ": not a Cassava checkpoint"));
    }
    const auto version = checkpointEntry(dict, "format_version");
    if (!version.isInt())
        throw std::runtime_error(path + ": damaged Cassava checkpoint (no format version)");
    if (version.toInt() > kCheckpointFormatVersion)
        throw std::runtime_error(path + ": written by a newer Cassava Studio (checkpoint format " +
                                 std::to_string(version.toInt()) + "; this version reads up to " +
                                 std::to_string(kCheckpointFormatVersion) + ")");
    return dict;
}

CheckpointMetadata metadataOf(const std::string& path, const c10::impl::GenericDict& dict)
{
    const auto text = checkpointEntry(dict, "metadata");
    if (!text.isString())
        throw std::runtime_error(path + ": damaged Cassava checkpoint (no metadata)");
    try {
        return CheckpointMetadata::fromJson(nlohmann::json::parse(text.toStringRef()));
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path + ": damaged Cassava checkpoint (metadata is not JSON: " +
                                 std::string(e.what()) + ")");
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": damaged Cassava checkpoint (" + e.what() + ")");
    }
}

}  // namespace

CheckpointMetadata CheckpointMetadata::forVariant(const std::string& variant, int numClasses)
{
    const Variant& v = variantNamed(variant);
    CheckpointMetadata m;
    m.variant = v.name;
    m.numClasses = numClasses;
    m.inputSize = v.resolution;
    m.dropout = v.dropout;
    if (numClasses == LabelMap::standard().size())
        m.classNames = LabelMap::standard().names();
    return m;
}

EfficientNetOptions CheckpointMetadata::networkOptions() const
{
    EfficientNetOptions options;
    options.variant = variant;
    options.numClasses = numClasses;
    options.dropConnect = dropConnect;
    options.dropout = dropout;
    return options;
}

nlohmann::json CheckpointMetadata::toJson() const
{
    return {
        {"variant", variant},
        {"num_classes", numClasses},
        {"input_size", inputSize},
        {"mean", mean},
        {"std", stdDev},
        {"class_names", classNames},
        {"drop_connect", dropConnect},
        {"dropout", dropout},
        {"source", source},
        {"created_at", createdAt},
        {"training", training},
        {"metrics", metrics},
    };
}

CheckpointMetadata CheckpointMetadata::fromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        throw std::runtime_error("metadata is not a JSON object");
    CheckpointMetadata m;
    m.variant = field<std::string>(json, "variant", "", true);
    if (!isVariantName(m.variant))
        badField("variant", "'" + m.variant + "' is not one of " + variantNamesList());
    m.numClasses = field<int>(json, "num_classes", 0, true);
    if (m.numClasses < 1)
        badField("num_classes", "must be at least 1");
    m.inputSize = field<int>(json, "input_size", variantNamed(m.variant).resolution, false);
    if (m.inputSize < 32 || m.inputSize > 4096)
        badField("input_size", "must be between 32 and 4096 pixels");
    m.mean = triple(json, "mean", m.mean);
    m.stdDev = triple(json, "std", m.stdDev);
    for (double s : m.stdDev)
        if (!(s > 0.0))
            badField("std", "must be positive");
    m.classNames = field<std::vector<std::string>>(json, "class_names", {}, false);
    if (!m.classNames.empty() && static_cast<int>(m.classNames.size()) != m.numClasses)
        badField("class_names", std::to_string(m.classNames.size()) + " names for " +
                                    std::to_string(m.numClasses) + " classes");
    m.dropConnect = field<double>(json, "drop_connect", 0.2, false);
    m.dropout = field<double>(json, "dropout", variantNamed(m.variant).dropout, false);
    if (!(m.dropConnect >= 0.0 && m.dropConnect < 1.0) || !(m.dropout >= 0.0 && m.dropout < 1.0))
        badField("dropout", "rates must be in [0, 1)");
    m.source = field<std::string>(json, "source", "", false);
    m.createdAt = field<std::string>(json, "created_at", "", false);
    if (const auto it = json.find("training"); it != json.end() && !it->is_null())
        m.training = *it;
    if (const auto it = json.find("metrics"); it != json.end() && !it->is_null())
        m.metrics = *it;
    return m;
}

void writeCheckpoint(const std::string& path, const EfficientNet& net, CheckpointMetadata metadata)
{
    if (metadata.variant != net->options().variant || metadata.numClasses != net->numClasses())
        throw std::invalid_argument("checkpoint metadata (efficientnet_" + metadata.variant + ", " +
                                    std::to_string(metadata.numClasses) + " classes) does not describe "
                                    "the network (efficientnet_" + net->options().variant + ", " +
                                    std::to_string(net->numClasses()) + " classes)");
    // Validate the way a reader will, so that nothing unreadable is ever written.
    metadata = CheckpointMetadata::fromJson(metadata.toJson());
    if (metadata.createdAt.empty())
        metadata.createdAt = utcNow();

    c10::Dict<std::string, torch::Tensor> stateDict;
    for (const auto& entry : namedTensorsOf(*net))
        stateDict.insert(entry.first, entry.second.detach().to(torch::kCPU).contiguous());

    c10::impl::GenericDict file(c10::StringType::get(), c10::AnyType::get());
    file.insert("format", std::string(kCheckpointFormat));
    file.insert("format_version", static_cast<int64_t>(kCheckpointFormatVersion));
    file.insert("metadata", metadata.toJson().dump());
    file.insert("state_dict", stateDict);

    const std::vector<char> bytes = torch::pickle_save(file);
    writeFileAtomically(path, std::string_view(bytes.data(), bytes.size()));
}

CheckpointMetadata readCheckpointMetadata(const std::string& path)
{
    const std::string bytes = readFile(path);
    return metadataOf(path, openCheckpoint(path, readPickleFile(path, bytes)));
}

EfficientNet loadCheckpoint(const std::string& path, CheckpointMetadata* metadataOut,
                            const CheckpointLoadOptions& options)
{
    const std::string bytes = readFile(path);
    const auto dict = openCheckpoint(path, readPickleFile(path, bytes));
    CheckpointMetadata metadata = metadataOf(path, dict);
    if (!options.expectedVariant.empty() && options.expectedVariant != metadata.variant)
        throw std::runtime_error(path + ": holds an EfficientNet-" + metadata.variant + ", not the " +
                                 options.expectedVariant + " that was asked for");

    NamedTensors tensors;
    const auto stateDict = checkpointEntry(dict, "state_dict");
    if (!stateDict.isGenericDict())
        throw std::runtime_error(path + ": damaged Cassava checkpoint (no state_dict)");
    for (const auto& entry : stateDict.toGenericDict()) {
        if (!entry.key().isString() || !entry.value().isTensor())
            throw std::runtime_error(path + ": damaged Cassava checkpoint (state_dict holds a " +
                                     entry.value().tagKind() + ")");
        tensors[entry.key().toStringRef()] = entry.value().toTensor();
    }

    EfficientNetOptions networkOptions = metadata.networkOptions();
    networkOptions.channelsLast = options.channelsLast;
    EfficientNet net(networkOptions);
    applyStateDict(*net, tensors, ClassifierPolicy::MustMatch, path);
    net->eval();
    if (metadataOut)
        *metadataOut = std::move(metadata);
    return net;
}

}  // namespace cassava
