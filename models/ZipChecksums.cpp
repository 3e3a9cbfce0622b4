#include "ZipChecksums.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cassava {
namespace {

[[noreturn]] void damaged(const std::string& why)
{
    throw std::runtime_error("damaged or truncated zip (" + why + ")");
}

uint32_t crc32(const char* data, size_t size)
{
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i)
        crc = table[(crc ^ static_cast<unsigned char>(data[i])) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

// Little-endian reads with bounds checks.
class Bytes {
public:
    explicit Bytes(const std::string& bytes) : bytes_(bytes) {}

    // Throws unless `length` bytes at `offset` lie inside the file.
    void require(uint64_t offset, uint64_t length) const
    {
        if (offset > bytes_.size() || length > bytes_.size() - offset)
            damaged("a record lies past the end of the file");
    }
    uint64_t read(uint64_t offset, int width) const  // width <= 8
    {
        require(offset, static_cast<uint64_t>(width));
        uint64_t value = 0;
        for (int i = 0; i < width; ++i)
            value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[offset + i])) << (8 * i);
        return value;
    }
    uint32_t u16(uint64_t offset) const { return static_cast<uint32_t>(read(offset, 2)); }
    uint32_t u32(uint64_t offset) const { return static_cast<uint32_t>(read(offset, 4)); }
    uint64_t u64(uint64_t offset) const { return read(offset, 8); }
    size_t size() const { return bytes_.size(); }
    const char* at(uint64_t offset) const { return bytes_.data() + offset; }

private:
    const std::string& bytes_;
};

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;

struct Entry {
    std::string name;
    uint32_t method = 0, flags = 0;  // compression method; general purpose bit flags
    uint64_t start = 0, size = 0, compressedSize = 0;
    uint32_t crc = 0;
};

// Every entry of the central directory, each checked against its local header and the file's size.
std::vector<Entry> zipEntries(const Bytes& z)
{
    std::vector<Entry> list;
    if (z.size() < 22)
        damaged("too short for a zip");
    // The end-of-directory record is the last 22 bytes plus a comment of up to 64 KiB.
    uint64_t end = z.size() - 22;
    const uint64_t lowest = z.size() > 22 + 65535 ? z.size() - 22 - 65535 : 0;
    while (z.u32(end) != kEndOfDirectory) {
        if (end == lowest)
            damaged("no end of central directory");
        --end;
    }
    uint64_t entries = z.u16(end + 10);
    uint64_t directory = z.u32(end + 16);
    if (entries == 0xFFFF || directory == 0xFFFFFFFF) {
        if (end < 20 || z.u32(end - 20) != kZip64Locator)
            damaged("zip64 locator missing");
        const uint64_t end64 = z.u64(end - 20 + 8);
        if (z.u32(end64) != kZip64EndOfDirectory)
            damaged("zip64 end of directory missing");
        entries = z.u64(end64 + 32);
        directory = z.u64(end64 + 48);
    }

    uint64_t at = directory;
    for (uint64_t i = 0; i < entries; ++i) {
        if (z.u32(at) != kDirectoryEntry)
            damaged("central directory entry " + std::to_string(i) + " is malformed");
        const uint32_t method = z.u16(at + 10);
        const uint32_t expectedCrc = z.u32(at + 16);
        uint64_t compressedSize = z.u32(at + 20);
        uint64_t size = z.u32(at + 24);
        const uint32_t nameLength = z.u16(at + 28), extraLength = z.u16(at + 30), commentLength = z.u16(at + 32);
        uint64_t local = z.u32(at + 42);
        z.require(at + 46, nameLength);
        const std::string name(z.at(at + 46), nameLength);

        // zip64: the 32-bit fields that overflowed are in extra field 0x0001, in this order.
        for (uint64_t e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength;) {
            const uint32_t id = z.u16(e), length = z.u16(e + 2);
            if (id == 0x0001) {
                uint64_t field = e + 4;
                if (size == 0xFFFFFFFF) { size = z.u64(field); field += 8; }
                if (compressedSize == 0xFFFFFFFF) { compressedSize = z.u64(field); field += 8; }
                if (local == 0xFFFFFFFF) local = z.u64(field);
            }
            e += 4 + length;
        }

        if (z.u32(local) != kLocalHeader)
            damaged("entry '" + name + "' has no local header");
        const uint64_t start = local + 30 + z.u16(local + 26) + z.u16(local + 28);
        if (start > z.size() || compressedSize > z.size() - start)
            damaged("entry '" + name + "' is cut off");
        if (method == 0 && size != compressedSize)
            damaged("entry '" + name + "' has two sizes");
        list.push_back({name, method, z.u16(at + 8), start, size, compressedSize, expectedCrc});
        at += 46 + nameLength + extraLength + commentLength;
    }
    return list;
}

}  // namespace

void verifyZipChecksums(const std::string& data)
{
    const Bytes z(data);
    for (const Entry& e : zipEntries(z))
        if (e.method == 0 && crc32(z.at(e.start), static_cast<size_t>(e.size)) != e.crc)
            throw std::runtime_error("damaged: the checksum of entry '" + e.name + "' does not match");
}

std::string pytorchArchiveProblem(const std::string& data)
{
    const Bytes z(data);
    std::vector<Entry> entries;
    try {
        entries = zipEntries(z);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    if (entries.empty())
        return "the archive holds no files";
    const auto slash = entries.front().name.find('/');
    if (slash == std::string::npos)
        return "its first file is not in a folder, as a PyTorch archive's are";
    const std::string top = entries.front().name.substr(0, slash + 1);
    const Entry* version = nullptr;
    for (const char* name : {".data/version", "version"})
        for (const Entry& e : entries)
            if (!version && e.name == top + name)
                version = &e;
    if (!version)
        return "no version record";
    if (version->method != 0)
        return "a compressed version record (torch.save stores every record uncompressed)";
    // Encrypted (bits 0 and 6) or patch data (bit 5): miniz refuses to read the record.
    if (version->flags & 0x61)
        return "an encrypted or patched version record";
    const std::string text(z.at(version->start), static_cast<size_t>(std::min<uint64_t>(version->size, 32)));
    uint64_t number = 0;
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && number < 1000)
        number = number * 10 + static_cast<uint64_t>(text[digits++] - '0');
    if (digits == 0 || number < 1 || number > 10)
        return "format version '" + text.substr(0, 12) + "' is not one LibTorch 1.13 reads (1 to 10)";
    return {};
}

}  // namespace cassava
