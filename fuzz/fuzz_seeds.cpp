// Writes each fuzz target's seed corpus (no photo is committed): CSVs as the app writes and meets
// them, small JPEG/PNG files encoded here (one with an EXIF orientation), a TIFF header, journal
// lines, and a stored zip with correct CRC-32s. Usage: fuzz_seeds OUT_DIR
#include "FuzzSupport.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <vector>

using namespace std::string_literals;

namespace {

std::string out;

void seed(const std::string& target, const std::string& name, const std::string& bytes)
{
    fuzzsupport::writeSeed(out, target, name, bytes);
}

uint32_t crc32(const std::string& bytes)
{
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

void put16(std::string& s, uint16_t v) { s += char(v & 0xff), s += char(v >> 8); }
void put32(std::string& s, uint32_t v) { put16(s, uint16_t(v & 0xffff)), put16(s, uint16_t(v >> 16)); }

// A zip of stored (uncompressed) entries, as torch.save writes them.
std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries)
{
    std::string zip, central;
    for (const auto& [name, data] : entries) {
        const uint32_t offset = static_cast<uint32_t>(zip.size()), crc = crc32(data);
        zip += "PK\x03\x04";
        put16(zip, 20), put16(zip, 0), put16(zip, 0), put16(zip, 0), put16(zip, 0);
        put32(zip, crc), put32(zip, uint32_t(data.size())), put32(zip, uint32_t(data.size()));
        put16(zip, uint16_t(name.size())), put16(zip, 0);
        zip += name + data;
        central += "PK\x01\x02";
        put16(central, 20), put16(central, 20), put16(central, 0), put16(central, 0), put16(central, 0), put16(central, 0);
        put32(central, crc), put32(central, uint32_t(data.size())), put32(central, uint32_t(data.size()));
        put16(central, uint16_t(name.size())), put16(central, 0), put16(central, 0), put16(central, 0), put16(central, 0);
        put32(central, 0), put32(central, offset);
        central += name;
    }
    const uint32_t at = static_cast<uint32_t>(zip.size());
    zip += central + "PK\x05\x06";
    put16(zip, 0), put16(zip, 0), put16(zip, uint16_t(entries.size())), put16(zip, uint16_t(entries.size()));
    put32(zip, uint32_t(central.size())), put32(zip, at), put16(zip, 0);
    return zip;
}

std::string encoded(const std::string& ext, int w, int h)
{
    cv::Mat image(h, w, CV_8UC3);
    cv::randu(image, 0, 255);
    std::vector<uchar> bytes;
    cv::imencode(ext, image, bytes);
    return std::string(bytes.begin(), bytes.end());
}

// A JPEG with an APP1 Exif block whose IFD0 says orientation 6 (rotate 90).
std::string jpegWithOrientation()
{
    std::string jpeg = encoded(".jpg", 24, 16);
    std::string tiff = "II*\0\x08\0\0\0"s;
    put16(tiff, 1);                                       // one entry
    put16(tiff, 0x0112), put16(tiff, 3), put32(tiff, 1);  // Orientation, SHORT, count 1
    put16(tiff, 6), put16(tiff, 0);
    put32(tiff, 0);
    std::string app1 = "Exif\0\0"s + tiff;
    std::string segment = "\xFF\xE1";
    segment += char((app1.size() + 2) >> 8), segment += char((app1.size() + 2) & 0xff);
    return jpeg.substr(0, 2) + segment + app1 + jpeg.substr(2);
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR\n");
        return 2;
    }
    out = argv[1];
    const std::string train = "image_id,label\n1.jpg,0\n2.jpg,3\n1000015157.jpg,4\n";
    seed("csv", "train.csv", train);
    seed("csv", "quoted.csv", "\xEF\xBB\xBFimage_id,label,note\r\n\"a,b.jpg\",1,\"said \"\"x\"\"\"\r\n2.jpg,2,\n");
    seed("csv", "torn.csv", "image_id,label\n\"open.jpg,1\n");
    const std::string map = R"json({"0": "Cassava Bacterial Blight (CBB)", "1": "Cassava Brown Streak Disease (CBSD)", "2": "Cassava Green Mottle (CGM)", "3": "Cassava Mosaic Disease (CMD)", "4": "Healthy"})json";
    seed("dataset", "with-map", train + "\xff" + map);
    seed("dataset", "no-map", "image_id,label\n1.jpg,0\n../x.jpg,1\n2.jpg,9\n1.jpg,2\na b.jpg,4\n");
    seed("image", "small.jpg", encoded(".jpg", 32, 24));
    seed("image", "small.png", encoded(".png", 20, 12));
    seed("image", "exif6.jpg", jpegWithOrientation());
    seed("image", "header.tif", "MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x03\0\0\0\0\0\0"s);
    seed("run_files", "oof", "\x00image_id,label,fold,p0,p1,p2,p3,p4\n1.jpg,0,0,0.9,0.025,0.025,0.025,0.025\n2.jpg,3,1,0.1,0.1,0.6,0.1,0.1\n"s);
    seed("run_files", "truth", "\x01image_id,true_label,given_label\n1.jpg,0,0\n2.jpg,3,1\n"s);
    seed("run_files", "folds", "\x02image_id,fold\n1.jpg,0\n2.jpg,1\n"s);
    seed("run_files", "suspects", "\x03image_id,given_label,suggested_label,confidence\n1.jpg,0,2,0.91\n"s);
    seed("run_files", "decisions", "\x04image_id,given,decision,label\n1.jpg,0,relabel,3\n2.jpg,1,exclude,-1\n3.jpg,2,keep,2\n"s);
    seed("journal", "decisions",
         "\x00{\"type\":\"decision\",\"time\":\"2026-12-01T10:00:00Z\",\"items\":[{\"image_id\":\"2.jpg\",\"given\":3,\"decision\":\"accept\",\"label\":4}]}\n"
         "{\"type\":\"undo\",\"time\":\"2026-12-01T10:00:01Z\"}\n{\"type\":\"redo\",\"time\":\"2026-12-01T10:00:02Z\"}\n"s);
    seed("journal", "torn", "\x00{\"type\":\"decision\",\"time\":\"2026-"s);
    seed("zip", "archive.pt", storedZip({{"archive/data.pkl", "\x80\x02}q\x00."s}, {"archive/data/0", std::string(64, '\x01')}, {"archive/version", "3\n"}}));
    std::printf("seed corpora written under %s\n", out.c_str());
    return 0;
}
