#pragma once
// One file over HTTP(S) with libcurl, for the pretrained weights (PretrainedWeights.h): written to
// DEST.part, resumed from a partial DEST.part with a Range request, renamed to DEST only when
// complete. Proxies come from the environment as libcurl reads them (Download.cpp says which).
// No Qt: the CLI and the GUI share it.
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cassava {

struct DownloadOptions {
    // Called on the downloading thread, at most a few times per second and once at the end.
    // total is -1 while the server has not said the size. done counts bytes of the whole file,
    // including what a resumed .part already held.
    std::function<void(int64_t done, int64_t total)> progress;
    const std::atomic<bool>* cancel = nullptr;  // checked at least once a second
    long connectTimeoutSeconds = 30;
    // A transfer slower than this many bytes/s for lowSpeedSeconds is given up (and can resume).
    long lowSpeedBytesPerSecond = 1024;
    long lowSpeedSeconds = 60;
};

struct DownloadResult {
    int64_t bytes = 0;        // size of DEST
    int64_t resumedFrom = 0;  // bytes of DEST.part reused; 0 when downloaded from the start
};

// Thrown when options.cancel was set; DEST.part is kept so the next call resumes.
class DownloadCancelled : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The partial file a download of dest writes into.
std::string partialDownloadPath(const std::string& dest);

// Downloads url to dest (an existing dest is replaced only when the download is complete).
// Throws DownloadCancelled, or std::runtime_error naming the URL and the reason ("could not
// connect", "HTTP 404"); a partial DEST.part is kept for the next call to resume.
DownloadResult downloadFile(const std::string& url, const std::string& dest, const DownloadOptions& options = {});

// SHA-256 of a file as 64 lowercase hex digits (OpenSSL's EVP); throws naming the path.
std::string sha256OfFile(const std::string& path);
std::string sha256OfBytes(std::string_view bytes);

}  // namespace cassava
