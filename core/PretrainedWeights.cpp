#include "PretrainedWeights.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <pwd.h>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace cassava {
namespace {

namespace fs = std::filesystem;

std::mutex& overridesMutex()
{
    static std::mutex m;
    return m;
}

std::map<std::string, std::string>& fileNameOverrides()
{
    static std::map<std::string, std::string> names;
    return names;
}

std::string homeDir()
{
    if (const char* home = std::getenv("HOME"); home && *home)
        return home;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
        return pw->pw_dir;
    return ".";
}

std::string whatToDo(const std::string& variant, const std::string& url)
{
    return "download " + url + " elsewhere and pass the file with --weights FILE (cassava train) or to "
           "cassava import-weights --model " + variant + " --from FILE, or copy it to " + cachedWeightsPath(variant);
}

// The cache folder locked against a second process downloading into it (the CLI and the GUI at
// once would write the same .part). flock on the folder itself: no lock file to clean up.
class CacheLock {
public:
    explicit CacheLock(const std::string& dir)
    {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            throw std::runtime_error("cannot create the folder " + dir + ": " + ec.message());
        fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd_ < 0)
            throw std::runtime_error("cannot open the folder " + dir + ": " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd_);
            throw std::runtime_error("another process (cassava or Cassava Studio) is downloading weights into " +
                                     dir + "; try again when it has finished");
        }
    }
    ~CacheLock() { ::close(fd_); }
    CacheLock(const CacheLock&) = delete;
    CacheLock& operator=(const CacheLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace

const std::vector<PretrainedWeights>& imageNetWeightsTable()
{
    // torchvision 0.14 models/efficientnet.py, EfficientNet_BN_Weights.IMAGENET1K_V1: B0-B4 ported
    // from rwightman's timm, B5-B7 from lukemelas' EfficientNet-PyTorch (built with BatchNorm eps
    // 1e-3, momentum 0.01: models/Architecture.cpp has the same).
    static const std::vector<PretrainedWeights> table = {
        {"b0", "efficientnet_b0_rwightman-3dd342df.pth", "3dd342df", 5288548},
        {"b1", "efficientnet_b1_rwightman-533bc792.pth", "533bc792", 7794184},
        {"b2", "efficientnet_b2_rwightman-bcdf34b7.pth", "bcdf34b7", 9109994},
        {"b3", "efficientnet_b3_rwightman-cf984f9c.pth", "cf984f9c", 12233232},
        {"b4", "efficientnet_b4_rwightman-7eb33cd5.pth", "7eb33cd5", 19341616},
        {"b5", "efficientnet_b5_lukemelas-b6417697.pth", "b6417697", 30389784},
        {"b6", "efficientnet_b6_lukemelas-c76e70fd.pth", "c76e70fd", 43040704},
        {"b7", "efficientnet_b7_lukemelas-dcc49843.pth", "dcc49843", 66347960},
    };
    return table;
}

std::string hashPrefixFromFileName(const std::string& fileName)
{
    // torch.hub's rule: the hex digits between the last '-' and the first '.' after it.
    const size_t dash = fileName.rfind('-');
    if (dash == std::string::npos)
        return {};
    const size_t dot = fileName.find('.', dash);
    const std::string hex = fileName.substr(dash + 1, dot == std::string::npos ? std::string::npos : dot - dash - 1);
    if (hex.size() < 8)
        return {};
    for (const char ch : hex)
        if (!std::isxdigit(static_cast<unsigned char>(ch)) || std::isupper(static_cast<unsigned char>(ch)))
            return {};
    return hex;
}

PretrainedWeights imageNetWeights(const std::string& variant)
{
    for (const auto& w : imageNetWeightsTable())
        if (w.variant == variant) {
            PretrainedWeights entry = w;
            std::lock_guard<std::mutex> lock(overridesMutex());
            if (auto it = fileNameOverrides().find(variant); it != fileNameOverrides().end()) {
                entry.fileName = it->second;
                entry.hashPrefix = hashPrefixFromFileName(it->second);
            }
            return entry;
        }
    throw std::invalid_argument("'" + variant + "' is not an EfficientNet variant with ImageNet weights (b0..b7)");
}

void setImageNetWeightsFileName(const std::string& variant, const std::string& fileName)
{
    imageNetWeights(variant);  // validates the variant
    if (fileName.find('/') != std::string::npos || hashPrefixFromFileName(fileName).empty())
        throw std::invalid_argument("'" + fileName + "' is not a torchvision weights file name: it must be "
                                    "NAME-HASH.pth with at least 8 lowercase hex digits of its SHA-256, no folder");
    std::lock_guard<std::mutex> lock(overridesMutex());
    fileNameOverrides()[variant] = fileName;
}

std::string weightsCacheDir()
{
    // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and ignored.
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const std::string base = xdg && xdg[0] == '/' ? std::string(xdg) : homeDir() + "/.cache";
    return base + "/cassava-studio/weights";
}

std::string cachedWeightsPath(const std::string& variant)
{
    return weightsCacheDir() + "/" + imageNetWeights(variant).fileName;
}

std::string cachedImageNetWeights(const std::string& variant)
{
    const std::string path = cachedWeightsPath(variant);
    std::error_code ec;
    return fs::is_regular_file(path, ec) ? path : std::string();
}

std::string weightsBaseUrl(const std::string& mirror)
{
    std::string base = mirror;
    if (base.empty())
        if (const char* env = std::getenv(kWeightsMirrorVariable))
            base = env;
    if (base.empty())
        base = kTorchvisionModelsUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base;
}

std::string imageNetWeightsUrl(const std::string& variant, const std::string& mirror)
{
    return weightsBaseUrl(mirror) + "/" + imageNetWeights(variant).fileName;
}

std::string fetchImageNetWeights(const std::string& variant, const FetchOptions& options)
{
    const PretrainedWeights entry = imageNetWeights(variant);
    if (std::string cached = cachedImageNetWeights(variant); !cached.empty())
        return cached;

    const CacheLock lock(weightsCacheDir());
    if (std::string cached = cachedImageNetWeights(variant); !cached.empty())
        return cached;  // the process that held the lock just fetched it
    const std::string url = imageNetWeightsUrl(variant, options.mirror);
    const std::string path = cachedWeightsPath(variant);
    // Downloaded beside the cache entry and renamed into place only once verified, so the cache
    // never holds a file that failed the check.
    const std::string unverified = path + ".download";
    DownloadOptions download;
    download.progress = options.progress;
    download.cancel = options.cancel;
    try {
        downloadFile(url, unverified, download);
    } catch (const DownloadCancelled&) {
        throw;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string(e.what()) + ". If this machine is offline or the address is blocked, " + whatToDo(variant, url));
    }

    std::string hash;
    try {
        hash = sha256OfFile(unverified);
    } catch (...) {
        std::error_code ec;
        fs::remove(unverified, ec);
        throw;
    }
    if (hash.compare(0, entry.hashPrefix.size(), entry.hashPrefix) != 0) {
        std::error_code ec;
        fs::remove(unverified, ec);
        throw std::runtime_error(url + ": the downloaded file is damaged or not the published one (SHA-256 " +
                                 hash.substr(0, 16) + "..., expected it to start with " + entry.hashPrefix +
                                 "); it was deleted. Try again, or " + whatToDo(variant, url));
    }
    std::error_code ec;
    fs::rename(unverified, path, ec);
    if (ec)
        throw std::runtime_error("cannot rename " + unverified + " to " + path + ": " + ec.message());
    return path;
}

}  // namespace cassava
