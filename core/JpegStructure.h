#pragma once
// The marker structure of a JPEG file, walked from SOI to EOI without decoding: the frame size,
// components and precision from the first SOFn, the EXIF orientation from APP1, and whether the
// file ends before its end-of-image marker (a truncated download or copy).
#include <string>
#include <string_view>

namespace cassava {

struct JpegStructure {
    int width = 0;
    int height = 0;
    int components = 0;    // 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK
    int precision = 0;     // bits per sample: 8, or 12 in rare medical/scientific files
    int orientation = 1;   // EXIF orientation 1..8 from the first "Exif\0\0" APP1 segment
    bool progressive = false;
    bool hasFrame = false;  // an SOFn segment was found
    bool complete = false;  // the EOI marker was reached; bytes after it (phone trailers) are ignored
    std::string problem;    // malformed structure, e.g. "segment length 1 at byte 20"; empty when fine
};

// SOI marker: FF D8.
bool looksLikeJpeg(std::string_view bytes);

// Walks the length-prefixed segments, and after each SOS the entropy-coded data up to the next
// marker (progressive files have several scans). Never reads outside `bytes`.
JpegStructure readJpegStructure(std::string_view bytes);

}  // namespace cassava
