#include "JpegStructure.h"

#include "TiffDirectory.h"

#include <cstdint>
#include <cstring>

namespace cassava {
namespace {

// Marker codes (ITU T.81, table B.1).
constexpr uint8_t SOI = 0xD8;
constexpr uint8_t EOI = 0xD9;
constexpr uint8_t SOS = 0xDA;
constexpr uint8_t APP1 = 0xE1;
constexpr uint8_t TEM = 0x01;

bool isRestart(uint8_t m) { return m >= 0xD0 && m <= 0xD7; }

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
bool isStartOfFrame(uint8_t m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

bool isProgressive(uint8_t m) { return m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE; }

int be16(const uint8_t* p) { return p[0] << 8 | p[1]; }

// Offset of the 0xFF that starts the marker ending an entropy-coded segment, or `size` when the
// data runs out first. Inside a scan, 0xFF is followed by a stuffed 0x00 or a restart marker.
size_t endOfEntropyCodedData(const uint8_t* data, size_t size, size_t pos)
{
    while (pos < size) {
        const auto* ff = static_cast<const uint8_t*>(std::memchr(data + pos, 0xFF, size - pos));
        if (!ff)
            return size;
        const size_t at = static_cast<size_t>(ff - data);
        if (at + 1 >= size)
            return size;
        const uint8_t next = data[at + 1];
        if (next != 0x00 && !isRestart(next))
            return at;  // a real marker, possibly preceded by 0xFF fill bytes
        pos = at + 2;
    }
    return size;
}

// False when the APP1 segment holds something else (XMP, say).
bool readExif(const uint8_t* payload, size_t length, JpegStructure& s)
{
    static constexpr char ExifId[] = {'E', 'x', 'i', 'f', 0, 0};
    if (length < sizeof ExifId || std::memcmp(payload, ExifId, sizeof ExifId) != 0)
        return false;
    const TiffDirectory ifd0(std::string_view(reinterpret_cast<const char*>(payload) + sizeof ExifId,
                                              length - sizeof ExifId));
    s.orientation = ifd0.orientation();
    return true;
}

bool readFrame(const uint8_t* payload, size_t length, uint8_t marker, JpegStructure& s)
{
    if (length < 6)
        return false;
    s.precision = payload[0];
    s.height = be16(payload + 1);
    s.width = be16(payload + 3);
    s.components = payload[5];
    s.progressive = isProgressive(marker);
    s.hasFrame = true;
    return true;
}

}  // namespace

bool looksLikeJpeg(std::string_view bytes)
{
    return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0xFF &&
           static_cast<uint8_t>(bytes[1]) == SOI;
}

JpegStructure readJpegStructure(std::string_view bytes)
{
    JpegStructure s;
    if (!looksLikeJpeg(bytes)) {
        s.problem = "no start-of-image marker";
        return s;
    }
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t size = bytes.size();
    bool sawExif = false;
    size_t pos = 2;
    while (pos < size) {
        // Decoders skip stray bytes between segments (libjpeg warns "extraneous bytes"), so do we.
        const auto* ff = static_cast<const uint8_t*>(std::memchr(data + pos, 0xFF, size - pos));
        if (!ff)
            break;
        pos = static_cast<size_t>(ff - data);
        while (pos < size && data[pos] == 0xFF)  // fill bytes
            ++pos;
        if (pos >= size)
            break;
        const uint8_t marker = data[pos++];
        if (marker == EOI) {
            s.complete = true;
            break;
        }
        if (marker == 0x00 || marker == TEM || isRestart(marker))
            continue;  // no length field
        if (marker == SOI) {
            s.problem = "second start-of-image marker at byte " + std::to_string(pos - 2);
            break;
        }
        if (size - pos < 2)
            break;  // cut inside the length field
        const size_t length = static_cast<size_t>(be16(data + pos));
        if (length < 2) {
            s.problem = "segment length " + std::to_string(length) + " at byte " + std::to_string(pos);
            break;
        }
        if (size - pos < length)
            break;  // cut inside the segment
        const uint8_t* payload = data + pos + 2;
        const size_t payloadLength = length - 2;
        pos += length;

        if (isStartOfFrame(marker) && !s.hasFrame) {
            if (!readFrame(payload, payloadLength, marker, s)) {
                s.problem = "frame header too short";
                break;
            }
        } else if (marker == APP1 && !sawExif) {
            sawExif = readExif(payload, payloadLength, s);
        } else if (marker == SOS) {
            if (!s.hasFrame) {
                s.problem = "scan before the frame header";
                break;
            }
            pos = endOfEntropyCodedData(data, size, pos);
        }
    }
    return s;
}

}  // namespace cassava
