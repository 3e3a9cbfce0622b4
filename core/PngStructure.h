#pragma once
// The chunk structure of a PNG file, walked from the signature to IEND without decoding: the size,
// depth and colour type from IHDR, transparency (tRNS), the EXIF orientation from eXIf, and
// whether the file ends before its IEND chunk.
#include <string>
#include <string_view>

namespace cassava {

struct PngStructure {
    int width = 0;
    int height = 0;
    int bitDepth = 0;       // 1, 2, 4, 8 or 16 bits per sample
    int colorType = -1;     // 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
    bool hasTransparency = false;  // a tRNS chunk (palette or colour-key transparency)
    int orientation = 1;    // EXIF orientation from an eXIf chunk
    bool complete = false;  // the IEND chunk was reached
    std::string problem;    // malformed structure; empty when fine

    // Samples per pixel once expanded: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    int channels() const;
};

bool looksLikePng(std::string_view bytes);

// Checks every chunk length against the data; CRCs are left to the decoder.
PngStructure readPngStructure(std::string_view bytes);

}  // namespace cassava
