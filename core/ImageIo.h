#pragma once
// Decoding user images safely: EXIF orientation honoured, any depth or colour model converted to
// 8-bit RGB, oversized images refused before they are decoded, truncated and non-image files
// reported as errors naming the file, never a crash.
//
// Conversions, so every caller sees the same pixels:
// - grayscale is replicated to R = G = B; CMYK JPEGs are read in the Adobe convention
//   (inverted: 255 = no ink), which Photoshop writes and OpenCV's decoder assumes;
// - 16-bit samples are scaled with rounding (v / 257), so 65535 -> 255 and 32896 -> 128;
// - an alpha channel (RGBA, gray+alpha, tRNS, WebP alpha) is composited over white, the way a
//   viewer shows a cut-out leaf; opaque pixels are unchanged. (PIL's convert("RGB") drops alpha
//   instead, which differs only where alpha < 255.)
// - EXIF orientation is read by our own header walk and applied once, by us: OpenCV is always
//   asked to ignore it, so decode returns the probed displayWidth() x displayHeight() (divided by
//   the reduction). JPEG (APP1), PNG (eXIf) and TIFF orientation are honoured; WebP's is not.
//
// All functions are thread-safe and never throw for bad input.
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cassava {

struct ImageInfo {
    std::string format;    // "jpeg", "png", "webp", "bmp", "tiff"
    int width = 0;         // as stored, before orientation
    int height = 0;
    int orientation = 1;   // EXIF orientation 1..8 (1 = as stored)
    int channels = 0;      // components as stored (1 gray, 3 colour, 4 CMYK/RGBA)
    int bitDepth = 8;
    bool truncated = false;  // structure ends early (JPEG EOI, PNG IEND missing; WebP/BMP data short)

    // Size as a person sees it, after orientation.
    int displayWidth() const { return orientation >= 5 ? height : width; }
    int displayHeight() const { return orientation >= 5 ? width : height; }
    int64_t pixels() const { return static_cast<int64_t>(width) * height; }
};

struct DecodeOptions {
    // 0: full size. Otherwise decode at the strongest reduction (1/2, 1/4, 1/8) whose shorter
    // side, ceil(side / n), is still at least this many pixels. JPEGs are reduced inside the
    // decoder (libjpeg scales in the DCT, so 1/4 decodes several times faster); other formats are
    // decoded in full and shrunk with area averaging.
    int minShortSide = 0;
    int64_t maxPixels = 60'000'000;  // refused above this, before decoding
};

struct DecodedImage {
    cv::Mat rgb;            // CV_8UC3, RGB order, oriented for display; empty on error
    ImageInfo info;         // what the header said
    int reduction = 1;      // 1, 2, 4 or 8: rgb is ceil(display size / reduction)
    std::string error;      // "train_images/1.jpg: not a JPEG or PNG (starts with 'hell')"

    bool ok() const { return error.empty() && !rgb.empty(); }
};

struct ProbeResult {
    ImageInfo info;      // filled as far as the header allowed, also when there is an error
    std::string error;   // set for unreadable, unknown, corrupt and truncated files
    bool ok() const { return error.empty(); }
};

namespace ImageIo {

// Reads the file and its header without decoding; for JPEG and PNG it walks the whole structure
// to spot truncation (a JPEG scan is searched for markers with memchr, ~10 us for a 100 KB photo).
// `displayName` is used in messages; pass the path relative to the dataset where there is one;
// the path itself is used when it is empty.
ProbeResult probe(const std::string& path, const std::string& displayName = {});
ProbeResult probeBytes(std::string_view bytes, const std::string& displayName);

// Reads the file once and decodes it from memory.
DecodedImage decode(const std::string& path, const DecodeOptions& options = {},
                    const std::string& displayName = {});
DecodedImage decodeBytes(std::string_view bytes, const DecodeOptions& options,
                         const std::string& displayName);

}  // namespace ImageIo
}  // namespace cassava
