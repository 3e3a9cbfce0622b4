// A user points the app at a folder of photos: whatever is in it (phone photos with EXIF
// orientation, grayscale scans, 16-bit PNGs, CMYK JPEGs from a print workflow, half-copied files,
// stray text files) must come out as 8-bit RGB the right way up, or as an error naming the file.
#include "ImageIo.h"
#include "TestSupport.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QDirIterator>
#include <QTemporaryDir>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <jpeglib.h>

using namespace cassava;

namespace {

std::string encode(const cv::Mat& bgr, const std::string& ext, const std::vector<int>& params = {})
{
    std::vector<uchar> buffer;
    if (!cv::imencode(ext, bgr, buffer, params))
        qFatal("cannot encode %s", ext.c_str());
    return std::string(buffer.begin(), buffer.end());
}

QString save(const QTemporaryDir& dir, const QString& name, const std::string& bytes)
{
    const QString path = dir.filePath(name);
    testsupport::writeText(path, QByteArray(bytes.data(), static_cast<int>(bytes.size())));
    return path;
}

// A scene with edges and gradients, so JPEG artefacts and scaling differences show.
cv::Mat scene(int width, int height)
{
    cv::Mat bgr(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 255 / width), uchar(y * 255 / height), 90);
    cv::circle(bgr, {width / 3, height / 2}, height / 4, cv::Scalar(30, 160, 40), cv::FILLED);
    cv::rectangle(bgr, cv::Rect(width / 2, height / 5, width / 4, height / 3), cv::Scalar(200, 220, 240),
                  cv::FILLED);
    return bgr;
}

// A JPEG APP1 segment holding an EXIF block whose IFD0 has one Orientation entry.
std::string exifSegment(int orientation, bool bigEndian)
{
    auto u16 = [&](int v) {
        return bigEndian ? std::string{char(v >> 8), char(v & 0xFF)} : std::string{char(v & 0xFF), char(v >> 8)};
    };
    auto u32 = [&](int v) { return bigEndian ? u16(0) + u16(v) : u16(v) + u16(0); };
    std::string tiff = bigEndian ? std::string("MM") : std::string("II");
    tiff += u16(42) + u32(8);                         // header, IFD0 at offset 8
    tiff += u16(1);                                   // one entry
    tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0);  // SHORT, count 1, inline
    tiff += u32(0);                                   // no next IFD
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const size_t length = payload.size() + 2;
    return std::string{'\xFF', '\xE1', char(length >> 8), char(length & 0xFF)} + payload;
}

std::string insertAfterSoi(const std::string& jpeg, const std::string& segment)
{
    return jpeg.substr(0, 2) + segment + jpeg.substr(2);
}

// A CMYK JPEG written by libjpeg with Adobe's APP14 marker; `stored` is what lands in the file,
// i.e. inverted ink (255 = no ink), as Photoshop writes it.
std::string cmykJpeg(int width, int height, std::array<uint8_t, 4> stored)
{
    jpeg_compress_struct cinfo;
    jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, 95, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<uint8_t> row(static_cast<size_t>(width) * 4);
    for (size_t i = 0; i < row.size(); ++i)
        row[i] = stored[i % 4];
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[] = {row.data()};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    std::string bytes(reinterpret_cast<char*>(buffer), size);
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    return bytes;
}

cv::Vec3d meanOf(const cv::Mat& rgb, const cv::Rect& area)
{
    const cv::Scalar m = cv::mean(rgb(area));
    return {m[0], m[1], m[2]};
}

double meanAbsDiff(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    const cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3.0;
}

enum Corner { TopLeft, TopRight, BottomLeft, BottomRight };

cv::Rect cornerPatch(const cv::Mat& image, Corner corner, int size, int inset)
{
    const int x = corner == TopLeft || corner == BottomLeft ? inset : image.cols - inset - size;
    const int y = corner == TopLeft || corner == TopRight ? inset : image.rows - inset - size;
    return {x, y, size, size};
}

// Offset of the first SOF0 marker's height field in an OpenCV-encoded (baseline) JPEG.
size_t sof0SizeOffset(const std::string& jpeg)
{
    const size_t sof = jpeg.find("\xFF\xC0", 2);
    if (sof == std::string::npos)
        qFatal("no SOF0 in the encoded JPEG");
    return sof + 5;  // marker (2), length (2), precision (1)
}

}  // namespace

class TestImageIo : public QObject {
    Q_OBJECT

private slots:
    void grayscaleJpegAndPngComeOutAsRgb()
    {
        const cv::Mat gray(48, 64, CV_8UC1, cv::Scalar(100));
        for (const std::string ext : {".jpg", ".png"}) {
            const DecodedImage image = ImageIo::decodeBytes(encode(gray, ext), {}, "gray" + ext);
            QVERIFY2(image.ok(), image.error.c_str());
            QCOMPARE(image.info.channels, 1);
            QCOMPARE(image.rgb.type(), CV_8UC3);
            QCOMPARE(image.rgb.size(), cv::Size(64, 48));
            const cv::Vec3d m = meanOf(image.rgb, {0, 0, 64, 48});
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(m[c] - 100) < 2);
        }
    }

    void colourJpegComesOutInRgbOrder()
    {
        const cv::Mat redInBgr(40, 40, CV_8UC3, cv::Scalar(0, 0, 255));
        const DecodedImage image = ImageIo::decodeBytes(encode(redInBgr, ".jpg"), {}, "red.jpg");
        QVERIFY2(image.ok(), image.error.c_str());
        const cv::Vec3d m = meanOf(image.rgb, {0, 0, 40, 40});
        QVERIFY(m[0] > 240 && m[1] < 15 && m[2] < 15);
    }

    // Decision: alpha is composited over white (a viewer's view of a cut-out leaf), not dropped.
    void rgbaPngIsCompositedOverWhite()
    {
        cv::Mat bgra(10, 30, CV_8UC4);
        bgra(cv::Rect(0, 0, 10, 10)).setTo(cv::Scalar(0, 0, 255, 255));  // opaque red
        bgra(cv::Rect(10, 0, 10, 10)).setTo(cv::Scalar(0, 0, 0, 0));     // transparent black
        bgra(cv::Rect(20, 0, 10, 10)).setTo(cv::Scalar(0, 0, 0, 128));   // half-transparent black
        const DecodedImage image = ImageIo::decodeBytes(encode(bgra, ".png"), {}, "leaf.png");
        QVERIFY2(image.ok(), image.error.c_str());
        QCOMPARE(image.info.channels, 4);
        QCOMPARE(image.rgb.type(), CV_8UC3);
        QCOMPARE(image.rgb.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 0, 0));
        QCOMPARE(image.rgb.at<cv::Vec3b>(5, 15), cv::Vec3b(255, 255, 255));
        QCOMPARE(image.rgb.at<cv::Vec3b>(5, 25), cv::Vec3b(127, 127, 127));
    }

    // Scaling by 255/65535 with rounding; a plain shift (what IMREAD_COLOR does) gives 0 and 254
    // for the second and fourth values.
    void sixteenBitPngIsScaledTo8Bit()
    {
        const std::vector<int> values{0, 255, 32896, 65024, 65535};
        const std::vector<int> expected{0, 1, 128, 253, 255};
        cv::Mat colour(1, 5, CV_16UC3), gray(1, 5, CV_16UC1);
        for (int i = 0; i < 5; ++i) {
            colour.at<cv::Vec3w>(0, i) = cv::Vec3w(ushort(values[i]), 0, 65535);  // B, G, R
            gray.at<ushort>(0, i) = ushort(values[i]);
        }
        const DecodedImage c = ImageIo::decodeBytes(encode(colour, ".png"), {}, "deep.png");
        const DecodedImage g = ImageIo::decodeBytes(encode(gray, ".png"), {}, "deep-gray.png");
        QVERIFY2(c.ok(), c.error.c_str());
        QVERIFY2(g.ok(), g.error.c_str());
        QCOMPARE(c.info.bitDepth, 16);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(int(c.rgb.at<cv::Vec3b>(0, i)[0]), 255);
            QCOMPARE(int(c.rgb.at<cv::Vec3b>(0, i)[1]), 0);
            QCOMPARE(int(c.rgb.at<cv::Vec3b>(0, i)[2]), expected[i]);
            QCOMPARE(g.rgb.at<cv::Vec3b>(0, i), cv::Vec3b(uchar(expected[i]), uchar(expected[i]), uchar(expected[i])));
        }
    }

    // Adobe convention: the file stores inverted ink, so (255, 0, 0, 255) means no cyan, full
    // magenta, full yellow, no black: red.
    void cmykJpegDecodesToTheRightColour()
    {
        const DecodedImage red = ImageIo::decodeBytes(cmykJpeg(32, 24, {255, 0, 0, 255}), {}, "print-red.jpg");
        QVERIFY2(red.ok(), red.error.c_str());
        QCOMPARE(red.info.channels, 4);
        QCOMPARE(red.rgb.size(), cv::Size(32, 24));
        const cv::Vec3d r = meanOf(red.rgb, {0, 0, 32, 24});
        QVERIFY2(r[0] > 230 && r[1] < 25 && r[2] < 25, qPrintable(QString("red came out %1 %2 %3").arg(r[0]).arg(r[1]).arg(r[2])));

        const DecodedImage blue = ImageIo::decodeBytes(cmykJpeg(32, 24, {0, 0, 255, 255}), {}, "print-blue.jpg");
        QVERIFY2(blue.ok(), blue.error.c_str());
        const cv::Vec3d b = meanOf(blue.rgb, {0, 0, 32, 24});
        QVERIFY(b[0] < 25 && b[1] < 25 && b[2] > 230);

        // Reduced decoding goes through the same conversion.
        DecodeOptions reduced;
        reduced.minShortSide = 12;
        const DecodedImage small = ImageIo::decodeBytes(cmykJpeg(64, 48, {255, 0, 0, 255}), reduced, "r.jpg");
        QVERIFY2(small.ok(), small.error.c_str());
        QCOMPARE(small.reduction, 4);
        QVERIFY(meanOf(small.rgb, {0, 0, 16, 12})[0] > 230);
    }

    void exifOrientationIsAppliedOnce_data()
    {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<bool>("bigEndian");
        QTest::addColumn<int>("minShortSide");
        for (int o = 1; o <= 8; ++o)
            for (const int minShortSide : {0, 80})
                QTest::addRow("orientation %d, %s, %s", o, o % 2 ? "II" : "MM",
                              minShortSide ? "reduced 1/2" : "full size")
                    << o << (o % 2 == 0) << minShortSide;
    }

    // The stored picture has red in its top-left corner and blue in its top-right; where they end
    // up tells which transform was applied (applying it twice, as OpenCV would on top of us,
    // lands them elsewhere).
    void exifOrientationIsAppliedOnce()
    {
        QFETCH(int, orientation);
        QFETCH(bool, bigEndian);
        QFETCH(int, minShortSide);
        cv::Mat stored(160, 240, CV_8UC3, cv::Scalar(128, 128, 128));
        stored(cv::Rect(0, 0, 48, 48)).setTo(cv::Scalar(0, 0, 255));
        stored(cv::Rect(240 - 48, 0, 48, 48)).setTo(cv::Scalar(255, 0, 0));
        const std::string jpeg = insertAfterSoi(encode(stored, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95}),
                                                exifSegment(orientation, bigEndian));

        const ProbeResult probe = ImageIo::probeBytes(jpeg, "phone.jpg");
        QVERIFY2(probe.ok(), probe.error.c_str());
        QCOMPARE(probe.info.orientation, orientation);

        const DecodedImage image = ImageIo::decodeBytes(jpeg, {minShortSide}, "phone.jpg");
        QVERIFY2(image.ok(), image.error.c_str());
        const int n = minShortSide ? 2 : 1;
        QCOMPARE(image.reduction, n);
        const bool swapped = orientation >= 5;
        QCOMPARE(image.rgb.size(), swapped ? cv::Size(160 / n, 240 / n) : cv::Size(240 / n, 160 / n));
        QCOMPARE(image.rgb.size(), cv::Size(probe.info.displayWidth() / n, probe.info.displayHeight() / n));

        // Where stored top-left (red) and top-right (blue) land, for orientations 1..8.
        const Corner redAt[] = {TopLeft, TopRight, BottomRight, BottomLeft, TopLeft, TopRight, BottomRight, BottomLeft};
        const Corner blueAt[] = {TopRight, TopLeft, BottomLeft, BottomRight, BottomLeft, BottomRight, TopRight, TopLeft};
        const int patch = 24 / n, inset = 8 / n;
        const cv::Vec3d red = meanOf(image.rgb, cornerPatch(image.rgb, redAt[orientation - 1], patch, inset));
        const cv::Vec3d blue = meanOf(image.rgb, cornerPatch(image.rgb, blueAt[orientation - 1], patch, inset));
        QVERIFY2(red[0] > 200 && red[1] < 60 && red[2] < 60, "red marker not where expected");
        QVERIFY2(blue[2] > 200 && blue[0] < 60 && blue[1] < 60, "blue marker not where expected");
    }

    // Why we ask OpenCV to ignore orientation: 4.6's imdecode applies it too, also when reducing.
    void openCvWouldApplyOrientationOnItsOwn()
    {
        const std::string bytes = insertAfterSoi(encode(scene(64, 48), ".jpg"), exifSegment(6, false));
        const cv::Mat buffer(1, int(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
        QCOMPARE(cv::imdecode(buffer, cv::IMREAD_COLOR).size(), cv::Size(48, 64));
        QCOMPARE(cv::imdecode(buffer, cv::IMREAD_REDUCED_COLOR_2).size(), cv::Size(24, 32));
        QCOMPARE(cv::imdecode(buffer, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION).size(), cv::Size(64, 48));
        QCOMPARE(ImageIo::decodeBytes(bytes, {}, "six.jpg").rgb.size(), cv::Size(48, 64));
    }

    void malformedExifIsIgnoredWithoutOverreading()
    {
        const std::string jpeg = encode(scene(64, 48), ".jpg");
        const std::string good = exifSegment(6, false);
        std::vector<std::string> bad;
        std::string s = good;
        s[10 + 4] = '\x70';  // IFD0 offset far outside the block
        bad.push_back(s);
        s = good;
        s[10 + 8] = s[10 + 9] = '\xFF';  // 65535 entries claimed, one present
        s[10 + 10] = s[10 + 11] = '\x00';  // ... and the one present is not Orientation
        bad.push_back(s);
        s = good;
        s[10 + 18] = '\x09';  // orientation 9 does not exist
        bad.push_back(s);
        s = good;
        s[10 + 12] = '\x04';  // LONG with count 2, so the value lives at an offset: far outside
        s[10 + 14] = '\x02';
        s[10 + 21] = '\x7F';
        bad.push_back(s);
        bad.push_back(std::string("\xFF\xE1\x00\x08" "Exif\0\0", 10));        // no TIFF header at all
        bad.push_back(std::string("\xFF\xE1\x00\x0C" "Exif\0\0II*\0", 14));  // header without IFD offset
        for (const std::string& segment : bad) {
            const DecodedImage image = ImageIo::decodeBytes(insertAfterSoi(jpeg, segment), {}, "odd-exif.jpg");
            QVERIFY2(image.ok(), image.error.c_str());
            QCOMPARE(image.info.orientation, 1);
            QCOMPARE(image.rgb.size(), cv::Size(64, 48));
        }
    }

    void headerClaimingAHugeImageIsRefusedBeforeDecoding()
    {
        QTemporaryDir dir;
        std::string jpeg = encode(scene(64, 48), ".jpg");
        const size_t at = sof0SizeOffset(jpeg);
        jpeg.replace(at, 4, std::string("\x4E\x20\x4E\x20", 4));  // 20000 x 20000
        const QString path = save(dir, "huge.jpg", jpeg);
        const ProbeResult probe = ImageIo::probe(path.toStdString(), "train_images/huge.jpg");
        QVERIFY2(probe.ok(), probe.error.c_str());
        QCOMPARE(probe.info.width, 20000);
        const DecodedImage image = ImageIo::decode(path.toStdString(), {}, "train_images/huge.jpg");
        QCOMPARE(image.error, std::string("train_images/huge.jpg: 20000x20000 pixels (400 MP) is above the 60 MP limit"));
        QVERIFY(image.rgb.empty());

        std::string png = encode(scene(64, 48), ".png");
        png.replace(16, 8, std::string("\x00\x00\x2E\xE0\x00\x00\x23\x28", 8));  // IHDR: 12000 x 9000
        const DecodedImage big = ImageIo::decodeBytes(png, {}, "x.png");
        QCOMPARE(big.error, std::string("x.png: 12000x9000 pixels (108 MP) is above the 60 MP limit"));
    }

    void aLowPixelLimitRefusesARealImage()
    {
        const std::string jpeg = encode(scene(800, 600), ".jpg");
        DecodeOptions options;
        options.maxPixels = 100'000;
        const DecodedImage refused = ImageIo::decodeBytes(jpeg, options, "x.jpg");
        QCOMPARE(refused.error, std::string("x.jpg: 800x600 pixels (0.48 MP) is above the 0.1 MP limit"));
        options.maxPixels = 800 * 600;
        QVERIFY(ImageIo::decodeBytes(jpeg, options, "x.jpg").ok());
    }

    void truncatedFilesAreErrorsNamingTheFile()
    {
        QTemporaryDir dir;
        const std::string jpeg = encode(scene(320, 240), ".jpg");
        const QString cut = save(dir, "1.jpg", jpeg.substr(0, jpeg.size() / 2));
        const ProbeResult probe = ImageIo::probe(cut.toStdString(), "train_images/1.jpg");
        QVERIFY(probe.info.truncated);
        QCOMPARE(probe.info.width, 320);
        QCOMPARE(probe.error, std::string("train_images/1.jpg: truncated JPEG (no end-of-image marker)"));
        const DecodedImage image = ImageIo::decode(cut.toStdString(), {}, "train_images/1.jpg");
        QCOMPARE(image.error, probe.error);
        QVERIFY(!image.ok());

        const std::string png = encode(scene(320, 240), ".png");
        const QString cutPng = save(dir, "2.png", png.substr(0, png.size() / 2));
        const DecodedImage p = ImageIo::decode(cutPng.toStdString());
        QCOMPARE(p.error, cutPng.toStdString() + ": truncated PNG (no IEND chunk)");
        QVERIFY(p.info.truncated);
    }

    // Every prefix of a file is a possible half-finished copy: none may crash or pass as whole.
    void everyPrefixOfAJpegOrPngIsRejected()
    {
        for (const bool progressive : {false, true}) {
            const std::string jpeg = encode(scene(48, 32), ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0});
            QVERIFY(ImageIo::probeBytes(jpeg, "p.jpg").ok());
            for (size_t n = 0; n < jpeg.size(); ++n)
                QVERIFY2(!ImageIo::probeBytes(std::string_view(jpeg).substr(0, n), "p.jpg").ok(),
                         qPrintable(QString("prefix of %1 bytes accepted").arg(n)));
            for (size_t n = 0; n < jpeg.size(); n += 97)
                QVERIFY(!ImageIo::decodeBytes(std::string_view(jpeg).substr(0, n), {}, "p.jpg").ok());
        }
        const std::string png = encode(scene(48, 32), ".png");
        for (size_t n = 0; n < png.size(); ++n)
            QVERIFY(!ImageIo::probeBytes(std::string_view(png).substr(0, n), "p.png").ok());
    }

    void progressiveJpegAndPhoneTrailersAreFine()
    {
        const std::string progressive = encode(scene(320, 240), ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
        const DecodedImage image = ImageIo::decodeBytes(progressive + "MOTION_PHOTO trailer \xFF\xD8\xFF", {},
                                                        "pxl.jpg");
        QVERIFY2(image.ok(), image.error.c_str());
        QCOMPARE(image.rgb.size(), cv::Size(320, 240));
        // Cut inside a later scan: the first scans end with markers, but EOI never comes.
        const ProbeResult cut = ImageIo::probeBytes(progressive.substr(0, progressive.size() * 3 / 4), "pxl.jpg");
        QVERIFY(cut.info.truncated);
    }

    void filesThatAreNotImagesGiveErrors()
    {
        QTemporaryDir dir;
        const QString text = save(dir, "123.jpg", "hello, I am a text file\n");
        const QString empty = save(dir, "empty.jpg", "");
        const QString binary = save(dir, "odd.jpg", std::string("\x00\x01'\\x", 5));
        QCOMPARE(ImageIo::decode(text.toStdString(), {}, "train_images/123.jpg").error,
                 std::string("train_images/123.jpg: not a JPEG or PNG (starts with 'hell')"));
        QCOMPARE(ImageIo::probe(empty.toStdString(), "empty.jpg").error, std::string("empty.jpg: empty file"));
        QCOMPARE(ImageIo::decode(empty.toStdString(), {}, "empty.jpg").error, std::string("empty.jpg: empty file"));
        QCOMPARE(ImageIo::probe(binary.toStdString(), "odd.jpg").error,
                 std::string("odd.jpg: not a JPEG or PNG (starts with '\\x00\\x01\\'\\\\')"));
        QCOMPARE(ImageIo::decode(dir.filePath("x.jpg").toStdString(), {}, "x.jpg").error,
                 std::string("x.jpg: cannot read: No such file or directory"));
        QCOMPARE(ImageIo::probe(dir.path().toStdString(), "folder.jpg").error,
                 std::string("folder.jpg: cannot read: Is a directory"));
        // Text that happens to start like a BMP is still text.
        QVERIFY(ImageIo::probeBytes("BM is a nice pair of letters, said the file", "bm.txt").error.find("not a JPEG") !=
                std::string::npos);
    }

    // Inputs the image fuzz target once failed on (fuzz/regressions/image); the sanitizer build
    // turns their undefined behaviour into a failure.
    void fuzzRegressionsProbeAndDecodeToErrors()
    {
        const auto inputs = testsupport::fuzzRegressionInputs("image");
        for (const auto& [path, data] : inputs) {
            const std::string bytes = data.toStdString(), name = QFileInfo(path).fileName().toStdString();
            QVERIFY(!ImageIo::probeBytes(bytes, name).error.empty());
            QVERIFY(!ImageIo::decodeBytes(bytes, {}, name).ok());
        }
        QVERIFY(inputs.size() >= 1);
        // A BMP whose header claims 1.8e9 x 5.9e9 pixels of 32 bits: refused by size, the row
        // arithmetic (rows x bytes per row overflowed 64 bits) never wraps.
        std::string bmp = "BM" + std::string(8, '\0') + std::string("\x36\0\0\0\x28\0\0\0", 8);
        auto put32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) bmp += static_cast<char>((v >> (8 * i)) & 0xff); };
        put32(0x6C000000u);  // width
        put32(0x60000000u);  // height
        bmp += std::string("\x01\0\x20\0", 4);  // planes 1, 32 bits
        put32(0);            // BI_RGB
        bmp += std::string(20, '\0');
        const ProbeResult probed = ImageIo::probeBytes(bmp, "wide.bmp");
        QVERIFY2(probed.error.rfind("wide.bmp: ", 0) == 0, probed.error.c_str());
    }

    void reducedDecodingPicksTheStrongestReductionThatIsLargeEnough()
    {
        const cv::Mat bgr = scene(800, 600);
        const std::string jpeg = encode(bgr, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
        const DecodedImage full = ImageIo::decodeBytes(jpeg, {}, "leaf.jpg");
        QVERIFY2(full.ok(), full.error.c_str());
        QCOMPARE(full.reduction, 1);

        const DecodedImage quarter = ImageIo::decodeBytes(jpeg, {150}, "leaf.jpg");
        QVERIFY2(quarter.ok(), quarter.error.c_str());
        QCOMPARE(quarter.reduction, 4);
        QCOMPARE(quarter.rgb.size(), cv::Size(200, 150));
        cv::Mat resized;
        cv::resize(full.rgb, resized, cv::Size(200, 150), 0, 0, cv::INTER_AREA);
        const double diff = meanAbsDiff(quarter.rgb, resized);
        QVERIFY2(diff < 3.0, qPrintable(QString("mean abs diff %1").arg(diff)));

        const int expected[][3] = {{75, 8, 100}, {76, 4, 200}, {151, 2, 400}, {300, 2, 400}, {301, 1, 800}, {601, 1, 800}};
        for (const auto& e : expected) {
            const DecodedImage image = ImageIo::decodeBytes(jpeg, {e[0]}, "leaf.jpg");
            QCOMPARE(image.reduction, e[1]);
            QCOMPARE(image.rgb.cols, e[2]);
        }
        // Other formats are shrunk after decoding, to the same size.
        const DecodedImage png = ImageIo::decodeBytes(encode(bgr, ".png"), {150}, "leaf.png");
        QCOMPARE(png.reduction, 4);
        QCOMPARE(png.rgb.size(), cv::Size(200, 150));
        QVERIFY(meanAbsDiff(png.rgb, resized) < 3.0);
    }

    void bmpWebpAndTiffDecode()
    {
        const cv::Mat bgr = scene(120, 90);
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        struct Case {
            std::string ext, format;
            std::vector<int> params;
        };
        const Case cases[] = {{".bmp", "bmp", {}},
                              {".webp", "webp", {cv::IMWRITE_WEBP_QUALITY, 101}},  // lossless
                              {".webp", "webp", {cv::IMWRITE_WEBP_QUALITY, 90}},
                              {".tiff", "tiff", {}}};
        for (const Case& c : cases) {
            const std::string bytes = encode(bgr, c.ext, c.params);
            const ProbeResult probe = ImageIo::probeBytes(bytes, "x" + c.ext);
            QVERIFY2(probe.ok(), probe.error.c_str());
            QCOMPARE(probe.info.format, c.format);
            QCOMPARE(probe.info.width, 120);
            QCOMPARE(probe.info.height, 90);
            const DecodedImage image = ImageIo::decodeBytes(bytes, {}, "x" + c.ext);
            QVERIFY2(image.ok(), image.error.c_str());
            QVERIFY2(meanAbsDiff(image.rgb, rgb) < 4.0, c.ext.c_str());
        }
        cv::Mat bgra;
        cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
        bgra(cv::Rect(0, 0, 10, 10)).setTo(cv::Scalar(0, 0, 0, 0));
        const DecodedImage alpha = ImageIo::decodeBytes(encode(bgra, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101}), {}, "a.webp");
        QVERIFY2(alpha.ok(), alpha.error.c_str());
        QCOMPARE(alpha.info.channels, 4);
        QCOMPARE(alpha.rgb.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 255, 255));

        const std::string bmp = encode(bgr, ".bmp");
        const ProbeResult cut = ImageIo::probeBytes(std::string_view(bmp).substr(0, bmp.size() - 100), "c.bmp");
        QVERIFY(cut.info.truncated);
        QVERIFY(!cut.ok());
    }

    void decodeFromAFileNamesItAndMatchesDecodingTheBytes()
    {
        QTemporaryDir dir;
        const std::string jpeg = encode(scene(64, 48), ".jpg");
        const QString path = save(dir, "leaf.jpg", jpeg);
        const DecodedImage fromFile = ImageIo::decode(path.toStdString(), {});
        const DecodedImage fromBytes = ImageIo::decodeBytes(jpeg, {}, "leaf.jpg");
        QVERIFY(fromFile.ok() && fromBytes.ok());
        QCOMPARE(meanAbsDiff(fromFile.rgb, fromBytes.rgb), 0.0);
        QCOMPARE(fromFile.info.format, std::string("jpeg"));
        QCOMPARE(fromFile.info.channels, 3);
        QCOMPARE(fromFile.info.bitDepth, 8);
    }

    void everyReferencePhotoProbesAsAWhole800x600Jpeg()
    {
        REQUIRE_SHARED_DATA("cassava-sample/train_images");
        QDirIterator it(testsupport::sharedDataDir() + "/cassava-sample/train_images", {"*.jpg"}, QDir::Files);
        int count = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            const ProbeResult probe = ImageIo::probe(path.toStdString(), "train_images/" + it.fileName().toStdString());
            QVERIFY2(probe.ok(), probe.error.c_str());
            QCOMPARE(probe.info.format, std::string("jpeg"));
            QCOMPARE(probe.info.width, 800);
            QCOMPARE(probe.info.height, 600);
            QCOMPARE(probe.info.orientation, 1);
            QVERIFY(!probe.info.truncated);
            ++count;
        }
        QVERIFY(count > 0);
        qInfo("probed %d reference photos", count);
    }
};

QTEST_GUILESS_MAIN(TestImageIo)
#include "test_core_image_io.moc"
