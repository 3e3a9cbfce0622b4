#include "StateDict.h"

#include "AtomicFile.h"
#include "TorchSaveReader.h"
#include "ZipChecksums.h"

#include <set>
#include <sstream>

namespace cassava {
namespace {

const char* const kZipMagic = "PK\x03\x04";

bool startsWith(const std::string& s, const std::string& prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "'\x80\x02}q'" style preview of a file's first bytes for "not a PyTorch file" messages.
std::string preview(const std::string& bytes)
{
    std::string out;
    for (size_t i = 0; i < std::min<size_t>(bytes.size(), 8); ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (c >= 32 && c < 127) {
            out += static_cast<char>(c);
        } else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return "'" + out + "'";
}

// The zip's entries, or a clear message when the bytes are no PyTorch archive.
std::vector<std::string> archiveRecords(const std::string& path, const std::string& bytes)
{
    if (bytes.empty())
        throw std::runtime_error(path + ": the file is empty");
    if (bytes.compare(0, 4, kZipMagic) != 0) {
        if (static_cast<unsigned char>(bytes[0]) == 0x80)
            throw std::runtime_error(path + ": saved in PyTorch's legacy (pre-1.6) format; re-save it "
                                            "with torch.save(model.state_dict(), path) from a current "
                                            "PyTorch");
        throw std::runtime_error(path + ": not a PyTorch archive (a zip file); it starts with " +
                                 preview(bytes));
    }
    try {
        verifyZipChecksums(bytes);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    try {
        return zipRecordNames(bytes);
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": damaged or truncated PyTorch archive (" + torchMessage(e) + ")");
    }
}

bool hasRecord(const std::vector<std::string>& records, const std::string& name)
{
    for (const auto& r : records)
        if (r == name)
            return true;
    return false;
}

// A dict whose values are all tensors, as named tensors; false otherwise.
bool tensorsFromDict(const torch::IValue& value, NamedTensors& out)
{
    if (!value.isGenericDict())
        return false;
    NamedTensors tensors;
    for (const auto& entry : value.toGenericDict()) {
        if (!entry.key().isString() || !entry.value().isTensor())
            return false;
        tensors[entry.key().toStringRef()] = entry.value().toTensor();
    }
    out = std::move(tensors);
    return !out.empty();
}

StateDictFile readTorchScript(const std::string& path, const std::string& bytes)
{
    StateDictFile file;
    file.format = "TorchScript archive";
    try {
        std::istringstream in(bytes);
        torch::jit::Module module = torch::jit::load(in, torch::kCPU);
        for (const auto& p : module.named_parameters(/*recurse=*/true))
            file.tensors[p.name] = p.value;
        for (const auto& b : module.named_buffers(/*recurse=*/true))
            file.tensors[b.name] = b.value;
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": cannot load the TorchScript archive (" + torchMessage(e) + ")");
    }
    if (file.tensors.empty())
        throw std::runtime_error(path + ": the TorchScript archive holds no parameters");
    return file;
}

StateDictFile readTorchSave(const std::string& path, const std::string& bytes)
{
    StateDictFile file;
    file.format = "torch.save state_dict";
    const torch::IValue value = readPickleFile(path, bytes);
    if (tensorsFromDict(value, file.tensors))
        return file;
    // Training scripts often save {"epoch": ..., "state_dict": ..., "optimizer": ...}.
    if (value.isGenericDict()) {
        for (const char* key : {"state_dict", "model_state_dict", "model"}) {
            for (const auto& entry : value.toGenericDict()) {
                if (entry.key().isString() && entry.key().toStringRef() == key &&
                    tensorsFromDict(entry.value(), file.tensors)) {
                    file.notes.push_back(std::string("took the weights from the file's '") + key + "' entry");
                    return file;
                }
            }
        }
    }
    throw std::runtime_error(path + ": holds a " + value.tagKind() +
                             ", not a state_dict (a dict of tensor names to tensors); save it with "
                             "torch.save(model.state_dict(), path)");
}

std::string listNames(const std::vector<std::string>& names)
{
    const size_t shown = std::min<size_t>(names.size(), 8);
    std::string list;
    for (size_t i = 0; i < shown; ++i)
        list += (i ? ", " : "") + names[i];
    if (names.size() > shown)
        list += ", ... (" + std::to_string(names.size() - shown) + " more)";
    return list;
}

std::string shapeOf(const torch::Tensor& t)
{
    std::string s = "[";
    for (int64_t i = 0; i < t.dim(); ++i)
        s += (i ? ", " : "") + std::to_string(t.size(i));
    return s + "]";
}

}  // namespace

std::string torchMessage(const std::exception& error)
{
    std::string message = error.what();
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&error))
        message = c10Error->what_without_backtrace();
    // One line: the first line of torch's message carries the reason.
    const auto newline = message.find('\n');
    if (newline != std::string::npos)
        message = message.substr(0, newline);
    while (!message.empty() && (message.back() == ' ' || message.back() == '.'))
        message.pop_back();
    if (message.size() > 300)
        message = message.substr(0, 300) + "...";
    return message;
}

NamedTensors namedTensorsOf(const torch::nn::Module& module)
{
    NamedTensors tensors;
    for (const auto& p : module.named_parameters(/*recurse=*/true))
        tensors[p.key()] = p.value();
    for (const auto& b : module.named_buffers(/*recurse=*/true))
        tensors[b.key()] = b.value();
    return tensors;
}

torch::IValue readPickleFile(const std::string& path, const std::string& bytes)
{
    const auto records = archiveRecords(path, bytes);
    if (!hasRecord(records, "data.pkl")) {
        if (hasRecord(records, "constants.pkl"))
            throw std::runtime_error(path + ": a TorchScript archive, not a torch.save file");
        throw std::runtime_error(path + ": a zip file, but not one written by torch.save");
    }
    try {
        return readTorchSaveArchive(bytes);
    } catch (const std::exception& e) {
        std::string reason = torchMessage(e);
        if (reason.find("pickles a Python object") != std::string::npos)
            reason += "; if a whole module was saved, save model.state_dict() instead";
        throw std::runtime_error(path + ": cannot read the torch.save data (" + reason + ")");
    }
}

StateDictFile readStateDictFile(const std::string& path, TorchScriptPolicy torchScript)
{
    const std::string bytes = readFile(path);
    const auto records = archiveRecords(path, bytes);
    const bool isTorchScript = hasRecord(records, "constants.pkl");
    if (isTorchScript && torchScript == TorchScriptPolicy::Refuse)
        throw std::runtime_error(path + ": a TorchScript archive, which carries code that loading it would run; "
                                        "import it only from a source you trust (cassava import-weights "
                                        "--trust-torchscript), or save its state_dict() with torch.save and import that");
    StateDictFile file = isTorchScript ? readTorchScript(path, bytes) : readTorchSave(path, bytes);
    // nn.DataParallel and DistributedDataParallel prefix every name with "module.".
    bool allPrefixed = true;
    for (const auto& entry : file.tensors)
        allPrefixed = allPrefixed && startsWith(entry.first, "module.");
    if (allPrefixed) {
        NamedTensors stripped;
        for (auto& entry : file.tensors)
            stripped[entry.first.substr(7)] = entry.second;
        file.tensors = std::move(stripped);
        file.notes.push_back("removed the 'module.' prefix of (Distributed)DataParallel");
    }
    return file;
}

std::string guessVariant(const NamedTensors& tensors)
{
    const auto stem = tensors.find("features.0.0.weight");
    if (stem == tensors.end() || stem->second.dim() != 4)
        return {};
    std::set<std::string> blocks;
    for (const auto& entry : tensors) {
        const auto pos = entry.first.find(".block.");
        if (startsWith(entry.first, "features.") && pos != std::string::npos)
            blocks.insert(entry.first.substr(0, pos));
    }
    for (const auto& v : variants()) {
        const NetworkPlan plan = planNetwork(v, 0.0);
        if (plan.stemChannels == stem->second.size(0) && plan.blocks.size() == blocks.size()) {
            std::string guess = "efficientnet_" + v.name;
            const auto head = tensors.find(kClassifierWeight);
            if (head != tensors.end() && head->second.dim() == 2)
                guess += " (" + std::to_string(head->second.size(0)) + " classes)";
            return guess;
        }
    }
    return {};
}

ApplyReport applyStateDict(EfficientNetImpl& net, const NamedTensors& tensors, ClassifierPolicy policy,
                           const std::string& fileForMessages)
{
    ApplyReport report;
    const NamedTensors ours = namedTensorsOf(net);

    const auto head = tensors.find(kClassifierWeight);
    const auto headBias = tensors.find(kClassifierBias);
    const bool headFound = head != tensors.end() && headBias != tensors.end();
    if (headFound && head->second.dim() == 2)
        report.sourceClasses = head->second.size(0);
    // Another number of classes over the same features: the head is replaced, the rest kept.
    const bool replaceHead = policy == ClassifierPolicy::ReplaceIfDifferent && headFound &&
                             head->second.dim() == 2 && headBias->second.dim() == 1 &&
                             head->second.size(1) == net.plan().headChannels &&
                             headBias->second.size(0) == head->second.size(0) &&
                             head->second.size(0) != net.numClasses();

    std::vector<std::string> missing, unexpected, misshaped;
    bool batchCountsAbsent = false;
    for (const auto& entry : ours) {
        const auto theirs = tensors.find(entry.first);
        if (theirs == tensors.end()) {
            // torchvision tolerates state_dicts from before BatchNorm counted its batches.
            if (endsWith(entry.first, "num_batches_tracked"))
                batchCountsAbsent = true;
            else
                missing.push_back(entry.first);
        } else if (theirs->second.sizes() != entry.second.sizes() &&
                   !(replaceHead && (entry.first == kClassifierWeight || entry.first == kClassifierBias))) {
            misshaped.push_back(entry.first + " " + shapeOf(theirs->second) + " (expected " +
                                shapeOf(entry.second) + ")");
        }
    }
    for (const auto& entry : tensors)
        if (!ours.count(entry.first))
            unexpected.push_back(entry.first);

    if (!missing.empty() || !unexpected.empty() || !misshaped.empty()) {
        const std::string ourName = "efficientnet_" + net.options().variant;
        const std::string guess = guessVariant(tensors);
        std::string message = fileForMessages + ": ";
        if (!guess.empty() && guess.rfind(ourName + " ", 0) != 0)
            message += "holds " + guess + " weights, not " + ourName + ";";
        else
            message += "the weights do not fit " + ourName + " with " + std::to_string(net.numClasses()) +
                       " classes:";
        if (!missing.empty())
            message += " " + std::to_string(missing.size()) + " missing (" + listNames(missing) + ");";
        if (!unexpected.empty())
            message += " " + std::to_string(unexpected.size()) + " unexpected (" + listNames(unexpected) + ");";
        if (!misshaped.empty())
            message += " " + std::to_string(misshaped.size()) + " of another shape (" + listNames(misshaped) + ");";
        message.pop_back();
        throw std::runtime_error(message);
    }

    torch::NoGradGuard noGrad;
    for (const auto& entry : ours) {
        const auto theirs = tensors.find(entry.first);
        if (theirs == tensors.end())
            continue;
        if (replaceHead && (entry.first == kClassifierWeight || entry.first == kClassifierBias))
            continue;
        auto target = entry.second;  // shares storage with the network's tensor
        target.copy_(theirs->second);
        ++report.tensorsLoaded;
    }
    report.classifierReplaced = replaceHead;
    if (batchCountsAbsent)
        report.notes.push_back("the file has no BatchNorm num_batches_tracked counters; they start at 0");
    return report;
}

}  // namespace cassava
