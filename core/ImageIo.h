#pragma once
// Decoding user images safely: EXIF orientation honoured, any depth or colour model converted to
// 8-bit RGB, oversized images refused before they are decoded, truncated and non-image files
// reported as errors naming the file, never a crash.
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
    bool truncated = false;  // structure ends before the image data does (JPEG EOI / PNG IEND missing)

    // Size as a person sees it, after orientation.
    int displayWidth() const { return orientation >= 5 ? height : width; }
    int displayHeight() const { return orientation >= 5 ? width : height; }
    int64_t pixels() const { return static_cast<int64_t>(width) * height; }
};

struct DecodeOptions {
    // 0: full size. Otherwise decode at the strongest reduction (1/2, 1/4, 1/8, done inside the
    // JPEG decoder where possible) whose shorter side still is at least this many pixels.
    int minShortSide = 0;
    int64_t maxPixels = 60'000'000;  // refused above this, before decoding
};

struct DecodedImage {
    cv::Mat rgb;            // CV_8UC3, RGB order, oriented for display; empty on error
    ImageInfo info;         // what the header said
    int reduction = 1;      // 1, 2, 4 or 8
    std::string error;      // "train_images/1.jpg: not a JPEG or PNG (starts with 'hell')"

    bool ok() const { return error.empty() && !rgb.empty(); }
};

struct ProbeResult {
    ImageInfo info;
    std::string error;
    bool ok() const { return error.empty(); }
};

namespace ImageIo {

// Reads only the header (and, for JPEG and PNG, walks the file's structure to spot truncation).
// `displayName` is used in messages; pass the path relative to the dataset where there is one.
ProbeResult probe(const std::string& path, const std::string& displayName = {});
ProbeResult probeBytes(std::string_view bytes, const std::string& displayName);

DecodedImage decode(const std::string& path, const DecodeOptions& options = {},
                    const std::string& displayName = {});
DecodedImage decodeBytes(std::string_view bytes, const DecodeOptions& options,
                         const std::string& displayName);

}  // namespace ImageIo
}  // namespace cassava
