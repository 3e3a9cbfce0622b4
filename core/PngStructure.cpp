#include "PngStructure.h"

#include "TiffDirectory.h"

#include <cstdint>
#include <cstring>

namespace cassava {
namespace {

constexpr char Signature[] = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};
constexpr size_t ChunkOverhead = 12;  // length, type, CRC
constexpr uint32_t MaxChunkLength = 0x7FFFFFFF;  // PNG spec: lengths fit in 31 bits

uint32_t be32(const uint8_t* p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

bool readHeader(const uint8_t* data, uint32_t length, PngStructure& s)
{
    if (length != 13)
        return false;
    const uint32_t width = be32(data);
    const uint32_t height = be32(data + 4);
    if (width > MaxChunkLength || height > MaxChunkLength)
        return false;
    s.width = static_cast<int>(width);
    s.height = static_cast<int>(height);
    s.bitDepth = data[8];
    s.colorType = data[9];
    return true;
}

}  // namespace

int PngStructure::channels() const
{
    switch (colorType) {
    case 0: return hasTransparency ? 2 : 1;
    case 2: return hasTransparency ? 4 : 3;
    case 3: return hasTransparency ? 4 : 3;
    case 4: return 2;
    case 6: return 4;
    default: return 0;
    }
}

bool looksLikePng(std::string_view bytes)
{
    return bytes.size() >= sizeof Signature &&
           std::memcmp(bytes.data(), Signature, sizeof Signature) == 0;
}

PngStructure readPngStructure(std::string_view bytes)
{
    PngStructure s;
    if (!looksLikePng(bytes)) {
        s.problem = "no PNG signature";
        return s;
    }
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t size = bytes.size();
    bool first = true;
    for (size_t pos = sizeof Signature; size - pos >= ChunkOverhead;) {
        const uint32_t length = be32(data + pos);
        if (length > MaxChunkLength) {
            s.problem = "chunk length " + std::to_string(length) + " at byte " + std::to_string(pos);
            break;
        }
        if (size - pos - ChunkOverhead < length)
            break;  // cut inside the chunk
        const char* type = reinterpret_cast<const char*>(data + pos + 4);
        const uint8_t* payload = data + pos + 8;
        if (first) {
            if (std::memcmp(type, "IHDR", 4) != 0 || !readHeader(payload, length, s)) {
                s.problem = "the first chunk is not a valid IHDR";
                break;
            }
            first = false;
        } else if (std::memcmp(type, "IEND", 4) == 0) {
            s.complete = true;
            break;
        } else if (std::memcmp(type, "tRNS", 4) == 0) {
            s.hasTransparency = true;
        } else if (std::memcmp(type, "eXIf", 4) == 0) {
            s.orientation = TiffDirectory(std::string_view(reinterpret_cast<const char*>(payload), length))
                                .orientation();
        }
        pos += ChunkOverhead + length;
    }
    return s;
}

}  // namespace cassava
