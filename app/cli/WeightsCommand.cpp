// cassava weights fetch | list: torchvision's ImageNet EfficientNet weights in the XDG cache
// (core/PretrainedWeights.h), optionally imported into our checkpoint (models/WeightImport.h).
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "PretrainedWeights.h"
#include "TorchThreads.h"
#include "WeightImport.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

namespace cassava::cli {
namespace {

std::atomic<bool> gCancel{false};

extern "C" void onFetchInterrupt(int)
{
    // First Ctrl+C: stop the download and keep the .part for the next fetch to resume.
    gCancel = true;
    std::signal(SIGINT, SIG_DFL);
}

int weightsError(const std::string& message)
{
    std::fprintf(stderr, "cassava weights: %s\n", message.c_str());
    return Failed;
}

int badOption(const std::string& command, const std::string& message)
{
    std::fprintf(stderr, "cassava weights %s: %s (see 'cassava weights %s --help')\n", command.c_str(),
                 message.c_str(), command.c_str());
    return Usage;
}

std::string megabytes(int64_t bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buffer;
}

// A redrawn bar on a terminal; nothing in logs and pipes (they get the "downloading" line).
class DownloadBar {
public:
    explicit DownloadBar(std::string label) : label_(std::move(label)) {}
    ~DownloadBar() { clear(); }

    void operator()(int64_t done, int64_t total)
    {
        if (!tty_)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!started_) {
            started_ = true;
            start_ = now;
            startBytes_ = done;  // a resumed part is not counted in the speed
        }
        const double seconds = std::chrono::duration<double>(now - start_).count();
        const double speed = seconds > 0.05 ? static_cast<double>(done - startBytes_) / seconds : 0.0;
        const int width = 30;
        std::string bar(width, '.');
        std::string amount = megabytes(done);
        std::string eta;
        if (total > 0) {
            const double fraction = static_cast<double>(done) / static_cast<double>(total);
            bar.replace(0, static_cast<size_t>(fraction * width + 0.5), static_cast<size_t>(fraction * width + 0.5), '#');
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, " / %s %3.0f%%", megabytes(total).c_str(), 100.0 * fraction);
            amount += buffer;
            if (speed > 0) {
                std::snprintf(buffer, sizeof buffer, " ETA %.0fs", static_cast<double>(total - done) / speed);
                eta = buffer;
            }
        }
        char rate[32] = "";
        if (speed > 0)
            std::snprintf(rate, sizeof rate, "  %.1f MB/s", speed / 1e6);
        std::fprintf(stderr, "\r%s [%s] %s%s%s\x1b[K", label_.c_str(), bar.c_str(), amount.c_str(), rate, eta.c_str());
        std::fflush(stderr);
        shown_ = true;
    }
    void clear()
    {
        if (shown_) {
            std::fprintf(stderr, "\r\x1b[K");
            std::fflush(stderr);
            shown_ = false;
        }
    }

private:
    std::string label_;
    bool tty_ = ::isatty(STDERR_FILENO) != 0;
    bool started_ = false, shown_ = false;
    std::chrono::steady_clock::time_point start_;
    int64_t startBytes_ = 0;
};

int fetchCommand(int argc, char** argv)
{
    Args a("weights fetch",
           "Downloads torchvision's ImageNet weights for EfficientNet variants into the cache\n"
           "($XDG_CACHE_HOME/cassava-studio/weights, default ~/.cache/...), resuming a partial download,\n"
           "checks each file's SHA-256 against the prefix in its name, and prints the path. A cached\n"
           "file is not downloaded again. Proxies: https_proxy, http_proxy, all_proxy, no_proxy.\n"
           "'cassava train --weights imagenet' fetches the same way.");
    a.positional("VARIANT", "b0..b7, or 'all'", true, true)
        .option("mirror", "URL", "a server holding torchvision's file names, instead of " +
                                     std::string(kTorchvisionModelsUrl) + " (also $" + kWeightsMirrorVariable + ")")
        .option("name", "FILE_NAME", "another torchvision file for the variant, named NAME-HASH.pth "
                                     "(e.g. efficientnet_b1-c27df63c.pth, IMAGENET1K_V2)")
        .option("import", "MODEL.ckpt", "also write our checkpoint from the weights (one variant)")
        .option("classes", "N", "classes of that checkpoint", "5");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);

    std::vector<std::string> variants;
    for (const std::string& v : a.positionals()) {
        if (v == "all") {
            for (const auto& w : imageNetWeightsTable())
                variants.push_back(w.variant);
            continue;
        }
        try {
            imageNetWeights(v);
        } catch (const std::invalid_argument& e) {
            return badOption("fetch", e.what());
        }
        variants.push_back(v);
    }
    const int classes = a.getInt("classes", 5);
    if (!a.error().empty())
        return badOption("fetch", a.error());
    if (a.has("import") && variants.size() != 1)
        return badOption("fetch", "--import writes one checkpoint: name one variant");
    if (a.has("name") && variants.size() != 1)
        return badOption("fetch", "--name replaces one variant's file: name one variant");
    if (classes < 1)
        return badOption("fetch", "--classes: must be at least 1");
    if (a.has("name")) {
        try {
            setImageNetWeightsFileName(variants.front(), a.get("name"));
        } catch (const std::invalid_argument& e) {
            return badOption("fetch", e.what());
        }
    }

    gCancel = false;
    std::signal(SIGINT, onFetchInterrupt);
    std::string lastPath;
    for (const std::string& variant : variants) {
        const PretrainedWeights entry = imageNetWeights(variant);
        FetchOptions options;
        options.mirror = a.get("mirror");
        options.cancel = &gCancel;
        DownloadBar bar(entry.fileName);
        options.progress = [&bar](int64_t done, int64_t total) { bar(done, total); };
        if (cachedImageNetWeights(variant).empty())
            std::fprintf(stderr, "downloading %s\n", imageNetWeightsUrl(variant, options.mirror).c_str());
        try {
            lastPath = fetchImageNetWeights(variant, options);
        } catch (const DownloadCancelled& e) {
            bar.clear();
            std::signal(SIGINT, SIG_DFL);
            std::fprintf(stderr, "cassava weights: %s\n", e.what());
            return Cancelled;
        } catch (const std::exception& e) {
            bar.clear();
            std::signal(SIGINT, SIG_DFL);
            return weightsError(e.what());
        }
        bar.clear();
        std::printf("%s\n", lastPath.c_str());
        std::fflush(stdout);
    }
    std::signal(SIGINT, SIG_DFL);

    if (a.has("import")) {
        ImportRequest request;
        request.variant = variants.front();
        request.weightsPath = lastPath;
        request.checkpointPath = a.get("import");
        request.numClasses = classes;
        try {
            configureTorchThreads();
            const ImportReport report = importWeightsToCheckpoint(request);
            std::fprintf(stderr, "efficientnet_%s: %s\n", request.variant.c_str(), report.summary().c_str());
            std::printf("wrote %s\n", request.checkpointPath.c_str());
        } catch (const std::exception& e) {
            return weightsError(e.what());
        }
    }
    return Ok;
}

int listCommand(int argc, char** argv)
{
    Args a("weights list", "Lists torchvision's ImageNet weights for B0-B7: cached or not, size and path.");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);
    std::printf("cache: %s\n", weightsCacheDir().c_str());
    for (const auto& w : imageNetWeightsTable()) {
        const std::string cached = cachedImageNetWeights(w.variant);
        std::error_code ec;
        const std::string size = cached.empty() ? "~" + megabytes(w.parameters * 4)
                                                : megabytes(static_cast<int64_t>(std::filesystem::file_size(cached, ec)));
        std::printf("%-3s %-11s %9s  %s\n", w.variant.c_str(), cached.empty() ? "not cached" : "cached", size.c_str(),
                    cached.empty() ? imageNetWeightsUrl(w.variant).c_str() : cached.c_str());
    }
    return Ok;
}

}  // namespace

int weightsCommand(int argc, char** argv)
{
    if (argc >= 1 && !std::strcmp(argv[0], "fetch"))
        return fetchCommand(argc - 1, argv + 1);
    if (argc >= 1 && !std::strcmp(argv[0], "list"))
        return listCommand(argc - 1, argv + 1);
    const bool help = argc >= 1 && (!std::strcmp(argv[0], "--help") || !std::strcmp(argv[0], "-h"));
    std::fprintf(help ? stdout : stderr,
                 "Usage: cassava weights fetch VARIANT... [--mirror URL] [--import MODEL.ckpt]\n"
                 "       cassava weights list\n\n"
                 "torchvision's ImageNet EfficientNet weights (b0..b7), downloaded once into\n"
                 "%s and checked against the SHA-256 prefix in each file name.\n"
                 "Run 'cassava weights fetch --help' for the options.\n",
                 weightsCacheDir().c_str());
    if (help)
        return Ok;
    if (argc >= 1)
        std::fprintf(stderr, "\ncassava weights: unknown action '%s'\n", argv[0]);
    return Usage;
}

}  // namespace cassava::cli
