#include "Download.h"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <strings.h>
#include <system_error>
#include <unistd.h>
#include <vector>

// Proxies: libcurl reads them from the environment itself, as curl(1) does: https_proxy or
// HTTPS_PROXY for https URLs, http_proxy (lowercase only: HTTP_PROXY can be set by a web request's
// "Proxy:" header under CGI, so libcurl ignores it) for http URLs, all_proxy/ALL_PROXY for both,
// no_proxy/NO_PROXY for the exceptions. We set no CURLOPT_PROXY, which would override them.

namespace cassava {
namespace {

namespace fs = std::filesystem;

void initialiseCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("could not initialise libcurl");
    });
}

struct CurlHandle {
    CURL* curl = curl_easy_init();
    ~CurlHandle()
    {
        if (curl)
            curl_easy_cleanup(curl);
    }
};

// What one transfer attempt learned; the callbacks fill it on the calling thread.
struct Transfer {
    CURL* curl = nullptr;
    std::string partPath;
    int64_t offset = 0;        // bytes of .part asked to be skipped (Range)
    int64_t base = 0;          // bytes of .part kept: offset on 206, 0 on 200
    int64_t rangeStart = -1;   // from the final response's Content-Range
    bool decided = false;      // the final response's status was seen by the body
    bool discard = false;      // an error response's body: not written to .part
    bool wrongRange = false;   // 206 starting elsewhere than asked
    std::string writeError;
    std::FILE* file = nullptr;
    const DownloadOptions* options = nullptr;
    std::chrono::steady_clock::time_point lastProgress{};

    ~Transfer()
    {
        if (file)
            std::fclose(file);
    }
};

size_t onHeader(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    const std::string line(data, size * count);
    // Each response (a redirect's too) starts with its status line.
    if (line.compare(0, 5, "HTTP/") == 0)
        t->rangeStart = -1;
    static const char kRange[] = "content-range:";
    if (line.size() > sizeof kRange && strncasecmp(line.c_str(), kRange, sizeof kRange - 1) == 0) {
        long long start = -1;
        if (std::sscanf(line.c_str() + sizeof kRange - 1, " bytes %lld-", &start) == 1)
            t->rangeStart = start;
    }
    return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    if (!t->decided) {
        t->decided = true;
        long code = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
        const char* mode = nullptr;
        if (code == 206 && t->offset > 0) {
            if (t->rangeStart != t->offset) {
                t->wrongRange = true;
                return 0;  // aborts; the caller starts again from zero
            }
            t->base = t->offset;
            mode = "ab";
        } else if (code == 200) {
            t->base = 0;  // the server ignored the Range: the whole file, from the start
            mode = "wb";
        } else {
            t->discard = true;
        }
        if (mode) {
            t->file = std::fopen(t->partPath.c_str(), mode);
            if (!t->file) {
                t->writeError = std::strerror(errno);
                return 0;
            }
        }
    }
    if (t->discard)
        return size * count;
    if (std::fwrite(data, size, count, t->file) != count) {
        t->writeError = std::strerror(errno);
        return 0;
    }
    return size * count;
}

int onProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    const DownloadOptions& o = *t->options;
    if (o.cancel && o.cancel->load())
        return 1;
    if (o.progress && t->decided && !t->discard) {
        const auto clock = std::chrono::steady_clock::now();
        if (clock - t->lastProgress >= std::chrono::milliseconds(200)) {
            t->lastProgress = clock;
            o.progress(t->base + now, total > 0 ? t->base + total : -1);
        }
    }
    return 0;
}

int64_t fileSize(const std::string& path)
{
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? -1 : static_cast<int64_t>(size);
}

std::string httpReason(long code)
{
    switch (code) {
    case 401: case 403: return "access denied";
    case 404: return "not found";
    case 416: return "range not satisfiable";
    default: return code >= 500 ? "server error" : "unexpected answer";
    }
}

}  // namespace

std::string partialDownloadPath(const std::string& dest) { return dest + ".part"; }

DownloadResult downloadFile(const std::string& url, const std::string& dest, const DownloadOptions& options)
{
    initialiseCurlOnce();
    const std::string part = partialDownloadPath(dest);
    {
        std::error_code ec;
        const fs::path parent = fs::path(dest).parent_path();
        if (!parent.empty())
            fs::create_directories(parent, ec);
        if (ec)
            throw std::runtime_error("cannot create the folder " + parent.string() + ": " + ec.message());
    }

    // At most two attempts: a second from zero when the server cannot continue the .part (416,
    // or a 206 that starts elsewhere).
    for (int attempt = 0; attempt < 2; ++attempt) {
        CurlHandle handle;
        if (!handle.curl)
            throw std::runtime_error("could not start a download of " + url + " (libcurl)");
        Transfer t;
        t.curl = handle.curl;
        t.partPath = part;
        t.options = &options;
        t.offset = std::max<int64_t>(0, fileSize(part));
        char errorBuffer[CURL_ERROR_SIZE] = {};
        const std::string range = std::to_string(t.offset) + "-";

        CURL* c = handle.curl;
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // called from worker threads
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
        curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        curl_easy_setopt(c, CURLOPT_USERAGENT, "cassava-studio");
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connectTimeoutSeconds);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytesPerSecond);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds);
        if (t.offset > 0)
            curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

        const CURLcode result = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (t.file) {
            // Flushed to disk before the rename below: a cached file is trusted from then on.
            const bool flushed = std::fflush(t.file) == 0 && ::fsync(::fileno(t.file)) == 0;
            const int closeError = std::fclose(t.file) == 0 ? 0 : errno;
            t.file = nullptr;
            if ((!flushed || closeError) && result == CURLE_OK)
                throw std::runtime_error("cannot write " + part + ": " + std::strerror(closeError ? closeError : errno));
        }

        if (result == CURLE_ABORTED_BY_CALLBACK)
            throw DownloadCancelled("download of " + url + " cancelled (" + part + " is kept to resume)");
        if (t.wrongRange || (code == 416 && t.offset > 0)) {
            std::error_code ec;
            fs::remove(part, ec);
            continue;
        }
        if (!t.writeError.empty())
            throw std::runtime_error("cannot write " + part + ": " + t.writeError);
        if (result != CURLE_OK) {
            std::string reason = errorBuffer[0] ? errorBuffer : curl_easy_strerror(result);
            const bool partial = fileSize(part) > 0;
            throw std::runtime_error("could not download " + url + ": " + reason +
                                     (partial ? " (the part already downloaded is kept; the next try resumes)" : ""));
        }
        if (code != 200 && code != 206)
            throw std::runtime_error("could not download " + url + ": HTTP " + std::to_string(code) + " (" +
                                     httpReason(code) + ")");
        curl_off_t expected = -1;
        curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
        const int64_t bytes = fileSize(part);
        if (expected >= 0 && bytes != t.base + static_cast<int64_t>(expected))
            throw std::runtime_error("could not download " + url + ": got " + std::to_string(bytes) +
                                     " bytes, the server announced " +
                                     std::to_string(t.base + static_cast<int64_t>(expected)));
        std::error_code ec;
        fs::rename(part, dest, ec);
        if (ec)
            throw std::runtime_error("cannot rename " + part + " to " + dest + ": " + ec.message());
        if (options.progress)
            options.progress(bytes, bytes);
        return DownloadResult{bytes, t.base};
    }
    throw std::runtime_error("could not download " + url + ": the server cannot continue the partial file " +
                             part + " and restarting failed");
}

namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

DigestContext sha256Context()
{
    DigestContext ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 is not available (OpenSSL)");
    return ctx;
}

std::string hexDigest(EVP_MD_CTX* ctx)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, digest, &length);
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

}  // namespace

std::string sha256OfFile(const std::string& path)
{
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!file)
        throw std::runtime_error(path + ": cannot open (" + std::strerror(errno) + ")");
    DigestContext ctx = sha256Context();
    std::vector<unsigned char> buffer(1 << 20);
    size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
        EVP_DigestUpdate(ctx.get(), buffer.data(), n);
    if (std::ferror(file.get()))
        throw std::runtime_error(path + ": read error (" + std::strerror(errno) + ")");
    return hexDigest(ctx.get());
}

std::string sha256OfBytes(std::string_view bytes)
{
    DigestContext ctx = sha256Context();
    EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
    return hexDigest(ctx.get());
}

}  // namespace cassava
