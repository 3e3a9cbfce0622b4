// The image header walks (JPEG segments, PNG chunks, TIFF/EXIF directories) and the decoder front
// end (probe, then decode under a small pixel limit so that a huge declared size is refused, not
// allocated).
#include "FuzzSupport.h"

#include "ImageIo.h"
#include "JpegStructure.h"
#include "PngStructure.h"
#include "TiffDirectory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view bytes = fuzzsupport::view(data, size);
    if (cassava::looksLikeJpeg(bytes))
        (void)cassava::readJpegStructure(bytes);
    if (cassava::looksLikePng(bytes))
        (void)cassava::readPngStructure(bytes);
    if (cassava::looksLikeTiff(bytes)) {
        const cassava::TiffDirectory tiff(bytes);
        (void)tiff.orientation();
        (void)tiff.value(cassava::tiffTag::ImageWidth);
    }
    const cassava::ProbeResult probe = cassava::ImageIo::probeBytes(bytes, "train_images/fuzz.jpg");
    cassava::DecodeOptions options;
    options.maxPixels = 4'000'000;
    options.minShortSide = (size & 1) ? 64 : 0;
    const cassava::DecodedImage image = cassava::ImageIo::decodeBytes(bytes, options, "train_images/fuzz.jpg");
    if (image.ok() && (image.rgb.type() != CV_8UC3 || image.rgb.total() > 4'000'000u))
        __builtin_trap();
    (void)probe;
    return 0;
}
