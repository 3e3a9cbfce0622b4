#include "ImageIo.h"

#include "JpegStructure.h"
#include "PngStructure.h"
#include "TiffDirectory.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace cassava {
namespace {

// cv::imdecode indexes its buffer with int.
constexpr int64_t MaxFileBytes = INT_MAX;

const uint8_t* u8(std::string_view bytes) { return reinterpret_cast<const uint8_t*>(bytes.data()); }
uint32_t le16(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8; }
uint32_t le24(const uint8_t* p) { return le16(p) | uint32_t(p[2]) << 16; }
uint32_t le32(const uint8_t* p) { return le24(p) | uint32_t(p[3]) << 24; }

// The first bytes of an unknown file, quoted so a user recognises them ('hell', '\x00\x00\x01').
std::string quoteStart(std::string_view bytes)
{
    std::string out = "'";
    for (const char ch : bytes.substr(0, 4)) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\' || c == '\'') {
            out += '\\';
            out += ch;
        } else if (c >= 0x20 && c < 0x7F) {
            out += ch;
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        }
    }
    return out + "'";
}

// "108", "0.48": whole megapixels from 10 up, three significant digits below.
std::string megapixels(int64_t pixels)
{
    const double mp = static_cast<double>(pixels) / 1e6;
    char text[32];
    std::snprintf(text, sizeof text, mp >= 10 ? "%.0f" : "%.3g", mp);
    return text;
}

std::string sizeText(int width, int height)
{
    return std::to_string(width) + "x" + std::to_string(height);
}

ProbeResult failure(ImageInfo info, const std::string& name, const std::string& message)
{
    return ProbeResult{std::move(info), name + ": " + message};
}

// Reads the whole file with one buffer sized from fstat: the bytes are then probed and decoded
// from memory, never read twice.
bool readWholeFile(const std::string& path, std::string& bytes, std::string& reason)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        reason = std::strerror(errno);
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        reason = std::strerror(S_ISDIR(st.st_mode) ? EISDIR : errno);
        ::close(fd);
        return false;
    }
    if (st.st_size > MaxFileBytes) {
        reason = "file is larger than 2 GB";
        ::close(fd);
        return false;
    }
    // One spare byte lets a file that grew since fstat be noticed without a second buffer.
    bytes.resize(static_cast<size_t>(st.st_size) + 1);
    size_t filled = 0;
    for (;;) {
        if (filled == bytes.size()) {
            if (bytes.size() > static_cast<size_t>(MaxFileBytes)) {
                reason = "file is larger than 2 GB";
                ::close(fd);
                return false;
            }
            bytes.resize(bytes.size() * 2);
        }
        const ssize_t n = ::read(fd, bytes.data() + filled, bytes.size() - filled);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            reason = std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0)
            break;
        filled += static_cast<size_t>(n);
    }
    ::close(fd);
    if (filled > static_cast<size_t>(MaxFileBytes)) {
        reason = "file is larger than 2 GB";
        return false;
    }
    bytes.resize(filled);
    return true;
}

ProbeResult probeJpeg(std::string_view bytes, const std::string& name)
{
    const JpegStructure s = readJpegStructure(bytes);
    ImageInfo info;
    info.format = "jpeg";
    info.width = s.width;
    info.height = s.height;
    info.channels = s.components;
    info.bitDepth = s.precision;
    info.orientation = s.orientation;
    info.truncated = !s.complete && s.problem.empty();
    if (!s.problem.empty())
        return failure(info, name, "corrupt JPEG (" + s.problem + ")");
    if (info.truncated)
        return failure(info, name, "truncated JPEG (no end-of-image marker)");
    if (!s.hasFrame)
        return failure(info, name, "corrupt JPEG (no frame header)");
    if (s.width <= 0 || s.height <= 0)
        return failure(info, name, "corrupt JPEG (image size " + sizeText(s.width, s.height) + ")");
    return ProbeResult{info, {}};
}

ProbeResult probePng(std::string_view bytes, const std::string& name)
{
    const PngStructure s = readPngStructure(bytes);
    ImageInfo info;
    info.format = "png";
    info.width = s.width;
    info.height = s.height;
    info.channels = s.channels();
    info.bitDepth = s.bitDepth;
    info.orientation = s.orientation;
    info.truncated = !s.complete && s.problem.empty();
    if (!s.problem.empty())
        return failure(info, name, "corrupt PNG (" + s.problem + ")");
    if (info.truncated)
        return failure(info, name, "truncated PNG (no IEND chunk)");
    if (s.width <= 0 || s.height <= 0)
        return failure(info, name, "corrupt PNG (image size " + sizeText(s.width, s.height) + ")");
    return ProbeResult{info, {}};
}

bool looksLikeWebp(std::string_view bytes)
{
    return bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP";
}

// RIFF container, then one of three first chunks (Google's "WebP Container Specification").
ProbeResult probeWebp(std::string_view bytes, const std::string& name)
{
    ImageInfo info;
    info.format = "webp";
    info.channels = 3;
    const uint8_t* d = u8(bytes);
    const uint64_t riffEnd = 8 + uint64_t(le32(d + 4));
    const std::string_view chunk = bytes.size() >= 16 ? bytes.substr(12, 4) : std::string_view();
    const uint8_t* p = d + 20;  // the first chunk's payload
    if (chunk == "VP8 " && bytes.size() >= 30 && p[3] == 0x9D && p[4] == 0x01 && p[5] == 0x2A) {
        info.width = static_cast<int>(le16(p + 6) & 0x3FFF);
        info.height = static_cast<int>(le16(p + 8) & 0x3FFF);
    } else if (chunk == "VP8L" && bytes.size() >= 25 && p[0] == 0x2F) {
        const uint32_t bits = le32(p + 1);
        info.width = static_cast<int>((bits & 0x3FFF) + 1);
        info.height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
        info.channels = (bits >> 28) & 1 ? 4 : 3;
    } else if (chunk == "VP8X" && bytes.size() >= 30) {
        info.width = static_cast<int>(le24(p + 4) + 1);
        info.height = static_cast<int>(le24(p + 7) + 1);
        info.channels = p[0] & 0x10 ? 4 : 3;
    } else if (bytes.size() < 30) {
        info.truncated = true;
        return failure(info, name, "truncated WebP (" + std::to_string(bytes.size()) + " bytes)");
    } else {
        return failure(info, name, "corrupt WebP (unknown first chunk " + quoteStart(chunk) + ")");
    }
    if (bytes.size() < riffEnd) {
        info.truncated = true;
        return failure(info, name, "truncated WebP (the header promises " + std::to_string(riffEnd) +
                                       " bytes, the file has " + std::to_string(bytes.size()) + ")");
    }
    return ProbeResult{info, {}};
}

// BITMAPCOREHEADER (12 bytes) or BITMAPINFOHEADER and its successors (40..124 bytes). Returns
// nothing when the "BM" is not followed by a plausible header, so text starting "BM" is not a BMP.
std::optional<ProbeResult> probeBmp(std::string_view bytes, const std::string& name)
{
    if (bytes.size() < 26 || bytes.substr(0, 2) != "BM")
        return std::nullopt;
    const uint8_t* d = u8(bytes);
    const uint32_t pixelOffset = le32(d + 10);
    const uint32_t headerSize = le32(d + 14);
    int64_t width = 0, height = 0;
    uint32_t bitsPerPixel = 0, compression = 0;
    if (headerSize == 12) {
        width = le16(d + 18);
        height = le16(d + 20);
        bitsPerPixel = le16(d + 24);
    } else if (headerSize >= 40 && headerSize <= 124 && bytes.size() >= 34) {
        width = static_cast<int32_t>(le32(d + 18));
        height = static_cast<int32_t>(le32(d + 22));  // negative: rows stored top-down
        if (le16(d + 26) != 1)
            return std::nullopt;
        bitsPerPixel = le16(d + 28);
        compression = le32(d + 30);
    } else {
        return std::nullopt;
    }
    height = height < 0 ? -height : height;
    ImageInfo info;
    info.format = "bmp";
    info.width = static_cast<int>(std::min<int64_t>(width, INT_MAX));
    info.height = static_cast<int>(std::min<int64_t>(height, INT_MAX));
    info.channels = bitsPerPixel == 32 ? 4 : 3;
    if (width <= 0 || height <= 0)
        return failure(info, name, "corrupt BMP (image size " + sizeText(info.width, info.height) + ")");
    const bool uncompressed = compression == 0 || compression == 3;  // BI_RGB, BI_BITFIELDS
    if (uncompressed && bitsPerPixel >= 1 && bitsPerPixel <= 32) {
        // Width and height are below 2^31, a row below 2^34 bytes: rows x height can pass 2^63,
        // so the comparison divides instead of multiplying.
        const int64_t rowBytes = (int64_t(bitsPerPixel) * width + 31) / 32 * 4;
        const int64_t available = int64_t(bytes.size()) - int64_t(pixelOffset);
        if (available < 0 || available / rowBytes < height) {
            const double needed = double(pixelOffset) + double(rowBytes) * double(height);
            info.truncated = true;
            char neededText[32];
            std::snprintf(neededText, sizeof neededText, "%.0f", needed);
            return failure(info, name, std::string("truncated BMP (the pixel rows need ") + neededText +
                                           " bytes, the file has " + std::to_string(bytes.size()) + ")");
        }
    }
    return ProbeResult{info, {}};
}

ProbeResult probeTiff(std::string_view bytes, const std::string& name)
{
    const TiffDirectory ifd0(bytes);
    ImageInfo info;
    info.format = "tiff";
    const auto width = ifd0.value(tiffTag::ImageWidth);
    const auto height = ifd0.value(tiffTag::ImageLength);
    info.width = width ? static_cast<int>(std::min<uint32_t>(*width, INT_MAX)) : 0;
    info.height = height ? static_cast<int>(std::min<uint32_t>(*height, INT_MAX)) : 0;
    info.channels = static_cast<int>(ifd0.value(tiffTag::SamplesPerPixel).value_or(1));
    info.bitDepth = static_cast<int>(ifd0.value(tiffTag::BitsPerSample).value_or(1));
    info.orientation = ifd0.orientation();
    if (info.width <= 0 || info.height <= 0)
        return failure(info, name, "corrupt TIFF (no image size in the first directory)");
    return ProbeResult{info, {}};
}

// The strongest of 1/8, 1/4, 1/2 whose shorter side (rounded up, as libjpeg does) still reaches
// minShortSide.
int chooseReduction(const ImageInfo& info, int minShortSide)
{
    if (minShortSide <= 0)
        return 1;
    const int shortSide = std::min(info.width, info.height);
    for (const int n : {8, 4, 2})
        if ((shortSide + n - 1) / n >= minShortSide)
            return n;
    return 1;
}

int decodeFlags(const std::string& format, int reduction)
{
    if (format == "jpeg") {
        // OpenCV 4.6 applies EXIF orientation in imdecode, also with the reduced flags; we apply
        // it ourselves from the probed header, so it must not.
        const int scaled = reduction == 8   ? cv::IMREAD_REDUCED_COLOR_8
                           : reduction == 4 ? cv::IMREAD_REDUCED_COLOR_4
                           : reduction == 2 ? cv::IMREAD_REDUCED_COLOR_2
                                            : cv::IMREAD_COLOR;
        return scaled | cv::IMREAD_IGNORE_ORIENTATION;
    }
    // 32-bit BMPs often leave alpha at 0 to mean "unused": read them as colour.
    if (format == "bmp")
        return cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
    // PNG, WebP and TIFF: keep 16-bit samples (IMREAD_COLOR truncates them with a shift) and
    // alpha, both handled in toRgb8(). IMREAD_UNCHANGED never applies orientation.
    return cv::IMREAD_UNCHANGED;
}

// (v * a + 255 * (255 - a)) / 255, rounded: v over white.
inline uint8_t overWhite(unsigned v, unsigned a)
{
    return static_cast<uint8_t>((v * a + 255u * (255u - a) + 127u) / 255u);
}

// BGRA or gray+alpha, 8-bit, composited over white into RGB in one pass.
cv::Mat compositeOverWhite(const cv::Mat& withAlpha)
{
    cv::Mat rgb(withAlpha.rows, withAlpha.cols, CV_8UC3);
    const int channels = withAlpha.channels();
    for (int r = 0; r < withAlpha.rows; ++r) {
        const uint8_t* s = withAlpha.ptr<uint8_t>(r);
        uint8_t* d = rgb.ptr<uint8_t>(r);
        for (int c = 0; c < withAlpha.cols; ++c, s += channels, d += 3) {
            if (channels == 2) {
                d[0] = d[1] = d[2] = overWhite(s[0], s[1]);
            } else {
                d[0] = overWhite(s[2], s[3]);
                d[1] = overWhite(s[1], s[3]);
                d[2] = overWhite(s[0], s[3]);
            }
        }
    }
    return rgb;
}

// BGR -> RGB in place, a band of rows at a time through a small scratch buffer. Converting into a
// second full-size image costs more than the conversion itself: freeing both leaves more than
// glibc's trim threshold at the top of the heap, glibc returns it to the kernel, and the next
// decode page-faults it back in (about 670 faults, +1.5 ms per 800x600 photo, measured with
// getrusage in a decode loop).
void bgrToRgbInPlace(cv::Mat& bgr)
{
    constexpr int BandRows = 16;
    cv::Mat scratch;
    for (int r = 0; r < bgr.rows; r += BandRows) {
        cv::Mat band = bgr.rowRange(r, std::min(bgr.rows, r + BandRows));
        cv::cvtColor(band, scratch, cv::COLOR_BGR2RGB);
        scratch.copyTo(band);
    }
}

// Any depth and channel layout OpenCV hands back (BGR order) -> 8-bit RGB. `stored` may be
// converted in place.
cv::Mat toRgb8(cv::Mat& stored)
{
    cv::Mat eight;
    switch (stored.depth()) {
    case CV_8U: eight = stored; break;
    case CV_16U: stored.convertTo(eight, CV_8U, 1.0 / 257.0); break;  // 65535 -> 255, rounded
    case CV_32F:
    case CV_64F: stored.convertTo(eight, CV_8U, 255.0); break;        // float images are 0..1
    default: stored.convertTo(eight, CV_8U); break;
    }
    cv::Mat rgb;
    switch (eight.channels()) {
    case 1: cv::cvtColor(eight, rgb, cv::COLOR_GRAY2RGB); break;
    case 2:
    case 4: rgb = compositeOverWhite(eight); break;
    case 3:
        bgrToRgbInPlace(eight);
        rgb = eight;
        break;
    default: break;  // left empty: reported as undecodable
    }
    return rgb;
}

// EXIF orientation 1..8 -> the picture as a person sees it (same mapping as the EXIF 2.32 table
// and OpenCV's own ApplyExifOrientation).
cv::Mat orient(const cv::Mat& stored, int orientation)
{
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(stored, out, 1); break;
    case 3: cv::rotate(stored, out, cv::ROTATE_180); break;
    case 4: cv::flip(stored, out, 0); break;
    case 5: cv::transpose(stored, out); break;
    case 6: cv::rotate(stored, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7: {
        cv::Mat transposed;
        cv::transpose(stored, transposed);
        cv::flip(transposed, out, -1);
        break;
    }
    case 8: cv::rotate(stored, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: out = stored; break;
    }
    return out;
}

std::string formatName(const std::string& format)
{
    if (format == "jpeg")
        return "JPEG";
    if (format == "webp")
        return "WebP";
    std::string upper = format;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    return upper;
}

}  // namespace

namespace ImageIo {

ProbeResult probeBytes(std::string_view bytes, const std::string& displayName)
{
    if (bytes.empty())
        return failure({}, displayName, "empty file");
    if (looksLikeJpeg(bytes))
        return probeJpeg(bytes, displayName);
    if (looksLikePng(bytes))
        return probePng(bytes, displayName);
    if (looksLikeWebp(bytes))
        return probeWebp(bytes, displayName);
    if (auto bmp = probeBmp(bytes, displayName))
        return *bmp;
    if (looksLikeTiff(bytes))
        return probeTiff(bytes, displayName);
    return failure({}, displayName, "not a JPEG or PNG (starts with " + quoteStart(bytes) + ")");
}

ProbeResult probe(const std::string& path, const std::string& displayName)
{
    const std::string& name = displayName.empty() ? path : displayName;
    std::string bytes, reason;
    if (!readWholeFile(path, bytes, reason))
        return failure({}, name, "cannot read: " + reason);
    return probeBytes(bytes, name);
}

DecodedImage decodeBytes(std::string_view bytes, const DecodeOptions& options, const std::string& displayName)
{
    DecodedImage out;
    ProbeResult probed = probeBytes(bytes, displayName);
    out.info = std::move(probed.info);
    if (!probed.ok()) {
        out.error = std::move(probed.error);
        return out;
    }
    const ImageInfo& info = out.info;
    if (info.pixels() > options.maxPixels) {
        out.error = displayName + ": " + sizeText(info.width, info.height) + " pixels (" +
                    megapixels(info.pixels()) + " MP) is above the " + megapixels(options.maxPixels) +
                    " MP limit";
        return out;
    }
    if (info.format == "jpeg" && info.bitDepth != 8) {
        out.error = displayName + ": cannot decode " + std::to_string(info.bitDepth) +
                    "-bit JPEG (only 8-bit samples are supported)";
        return out;
    }
    out.reduction = chooseReduction(info, options.minShortSide);
    try {
        const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
        cv::Mat stored = cv::imdecode(buffer, decodeFlags(info.format, out.reduction));
        cv::Mat rgb = stored.empty() ? cv::Mat() : toRgb8(stored);
        if (!rgb.empty() && info.format != "jpeg" && out.reduction > 1) {
            // After compositing, so transparent pixels' colours do not bleed into their neighbours.
            const int n = out.reduction;
            cv::resize(rgb, rgb, cv::Size((rgb.cols + n - 1) / n, (rgb.rows + n - 1) / n), 0, 0, cv::INTER_AREA);
        }
        if (!rgb.empty())
            out.rgb = orient(rgb, info.orientation);
        if (out.rgb.empty())
            out.error = displayName + ": cannot decode the " + formatName(info.format) + " data";
    } catch (const cv::Exception& e) {
        out.rgb.release();
        out.error = displayName + ": cannot decode: " + e.err;
    } catch (const std::bad_alloc&) {
        out.rgb.release();
        out.error = displayName + ": out of memory while decoding " + sizeText(info.width, info.height) +
                    " pixels";
    }
    return out;
}

DecodedImage decode(const std::string& path, const DecodeOptions& options, const std::string& displayName)
{
    const std::string& name = displayName.empty() ? path : displayName;
    std::string bytes, reason;
    if (!readWholeFile(path, bytes, reason)) {
        DecodedImage out;
        out.error = name + ": cannot read: " + reason;
        return out;
    }
    return decodeBytes(bytes, options, name);
}

}  // namespace ImageIo
}  // namespace cassava
