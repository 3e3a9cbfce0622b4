#pragma once
// The first image directory (IFD0) of a TIFF structure: the layout of TIFF files and of the EXIF
// block inside a JPEG APP1 segment or a PNG eXIf chunk. Every offset is checked against the
// block's size, so a malformed block reads as "tag absent", never as an over-read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cassava {

namespace tiffTag {
constexpr uint16_t ImageWidth = 0x0100;
constexpr uint16_t ImageLength = 0x0101;
constexpr uint16_t BitsPerSample = 0x0102;
constexpr uint16_t Orientation = 0x0112;
constexpr uint16_t SamplesPerPixel = 0x0115;
}  // namespace tiffTag

class TiffDirectory {
public:
    // `tiff` starts at the byte-order mark ("II" or "MM"); it must outlive this object.
    explicit TiffDirectory(std::string_view tiff);

    bool valid() const { return valid_; }

    // First value of an unsigned integer tag (BYTE, SHORT or LONG); empty when the tag is absent,
    // of another type, or points outside the block.
    std::optional<uint32_t> value(uint16_t tag) const;

    // EXIF orientation 1..8; 1 when absent or out of range.
    int orientation() const;

private:
    uint16_t u16(size_t at) const;
    uint32_t u32(size_t at) const;

    std::string_view bytes_;
    bool littleEndian_ = true;
    bool valid_ = false;
    size_t entries_ = 0;      // offset of the first 12-byte entry
    size_t entryCount_ = 0;   // entries that lie wholly inside the block
};

// "II*\0" or "MM\0*": a classic (not Big) TIFF header.
bool looksLikeTiff(std::string_view bytes);

}  // namespace cassava
