#include "TiffDirectory.h"

#include <algorithm>

namespace cassava {
namespace {

constexpr size_t EntrySize = 12;
constexpr uint16_t TypeByte = 1;
constexpr uint16_t TypeShort = 3;
constexpr uint16_t TypeLong = 4;

}  // namespace

bool looksLikeTiff(std::string_view bytes)
{
    return bytes.size() >= 4 &&
           (bytes.substr(0, 4) == std::string_view("II*\0", 4) ||
            bytes.substr(0, 4) == std::string_view("MM\0*", 4));
}

TiffDirectory::TiffDirectory(std::string_view tiff) : bytes_(tiff)
{
    if (!looksLikeTiff(tiff) || tiff.size() < 8)
        return;
    littleEndian_ = tiff[0] == 'I';
    const size_t ifd = u32(4);
    if (ifd > bytes_.size() || bytes_.size() - ifd < 2)
        return;
    entries_ = ifd + 2;
    // A count that claims more entries than the block holds is clamped, not trusted.
    entryCount_ = std::min<size_t>(u16(ifd), (bytes_.size() - entries_) / EntrySize);
    valid_ = true;
}

uint16_t TiffDirectory::u16(size_t at) const
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + at;
    return littleEndian_ ? static_cast<uint16_t>(p[0] | p[1] << 8)
                         : static_cast<uint16_t>(p[0] << 8 | p[1]);
}

uint32_t TiffDirectory::u32(size_t at) const
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + at;
    return littleEndian_ ? (uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24)
                         : (uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]));
}

std::optional<uint32_t> TiffDirectory::value(uint16_t tag) const
{
    if (!valid_)
        return std::nullopt;
    for (size_t i = 0; i < entryCount_; ++i) {
        const size_t entry = entries_ + i * EntrySize;
        if (u16(entry) != tag)
            continue;
        const uint16_t type = u16(entry + 2);
        const uint64_t count = u32(entry + 4);
        const size_t size = type == TypeByte ? 1 : type == TypeShort ? 2 : type == TypeLong ? 4 : 0;
        if (size == 0 || count == 0)
            return std::nullopt;
        size_t at = entry + 8;  // values of four bytes or fewer sit in the entry itself
        if (size * count > 4) {
            at = u32(entry + 8);
            if (at > bytes_.size() || bytes_.size() - at < size)
                return std::nullopt;
        }
        if (size == 1)
            return static_cast<unsigned char>(bytes_[at]);
        return size == 2 ? u16(at) : u32(at);
    }
    return std::nullopt;
}

int TiffDirectory::orientation() const
{
    const auto v = value(tiffTag::Orientation);
    return v && *v >= 1 && *v <= 8 ? static_cast<int>(*v) : 1;
}

}  // namespace cassava
