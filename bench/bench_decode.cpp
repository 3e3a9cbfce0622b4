// How fast photos become network inputs: a full decode then a resize, against a decode reduced
// inside libjpeg (IMREAD_REDUCED_COLOR_n, scaled in the DCT) then the same resize.
//
//   bench_decode [folder] [count] [passes]
//   defaults: ../shared/data/cassava-sample/train_images, the first 200 photos (by name), 5 passes
//
// Files are read into memory first, so the table measures decoding (ImageIo::decodeBytes, which
// includes the header walk, BGR->RGB and orientation) plus the resize, not the disk. One thread
// (cv::setNumThreads(1)): a training loader runs one decode per worker. Time is this thread's CPU
// time (CLOCK_THREAD_CPUTIME_ID), which a busy shared machine disturbs far less than wall time;
// images/s is therefore per core. Best pass reported.
#include "ImageIo.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace cassava;
namespace fs = std::filesystem;

namespace {

struct Photo {
    std::string name;
    std::string bytes;
};

std::vector<Photo> loadPhotos(const fs::path& folder, size_t count)
{
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".JPG"))
            paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    paths.resize(std::min(paths.size(), count));
    std::vector<Photo> photos;
    for (const fs::path& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        photos.push_back({p.filename().string(), bytes.str()});
    }
    return photos;
}

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct Mode {
    std::string name;
    int outputSide;
    int baselineRow;  // row whose speed the ratio is taken against (itself for a baseline)
    std::function<cv::Mat(const Photo&, cv::Size& decoded)> run;
};

}  // namespace

int main(int argc, char** argv)
{
    const fs::path folder = argc > 1 ? fs::path(argv[1]) : fs::path(CASSAVA_SHARED_DATA) / "cassava-sample/train_images";
    const size_t count = argc > 2 ? static_cast<size_t>(std::atoi(argv[2])) : 200;
    const int passes = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    if (!fs::is_directory(folder)) {
        std::fprintf(stderr, "bench_decode: %s: not a folder (see ../shared/data/README.md)\n", folder.c_str());
        return 2;
    }
    const std::vector<Photo> photos = loadPhotos(folder, count);
    if (photos.empty()) {
        std::fprintf(stderr, "bench_decode: %s: no .jpg files\n", folder.c_str());
        return 2;
    }
    cv::setNumThreads(1);

    auto viaImageIo = [](int minShortSide, int side) {
        return [minShortSide, side](const Photo& photo, cv::Size& decoded) {
            DecodeOptions options;
            options.minShortSide = minShortSide;
            const DecodedImage image = ImageIo::decodeBytes(photo.bytes, options, photo.name);
            if (!image.ok()) {
                std::fprintf(stderr, "bench_decode: %s\n", image.error.c_str());
                std::exit(1);
            }
            decoded = image.rgb.size();
            cv::Mat out;
            cv::resize(image.rgb, out, cv::Size(side, side), 0, 0, cv::INTER_AREA);
            return out;
        };
    };
    // What a loader without ImageIo would do: no header walk, no checks, BGR left as it is.
    auto bareOpenCv = [](const Photo& photo, cv::Size& decoded) {
        const cv::Mat buffer(1, static_cast<int>(photo.bytes.size()), CV_8UC1, const_cast<char*>(photo.bytes.data()));
        const cv::Mat bgr = cv::imdecode(buffer, cv::IMREAD_COLOR);
        decoded = bgr.size();
        cv::Mat out;
        cv::resize(bgr, out, cv::Size(224, 224), 0, 0, cv::INTER_AREA);
        return out;
    };
    const std::vector<Mode> modes = {
        {"cv::imdecode full (no checks, BGR) + resize", 224, 1, bareOpenCv},
        {"full decode + resize", 224, 1, viaImageIo(0, 224)},
        {"reduced decode (minShortSide 224) + resize", 224, 1, viaImageIo(224, 224)},
        {"full decode + resize", 128, 3, viaImageIo(0, 128)},
        {"reduced decode (minShortSide 128) + resize", 128, 3, viaImageIo(128, 128)},
    };

    std::vector<double> perSecond(modes.size(), 0.0);
    std::vector<cv::Size> decodedSize(modes.size());
    double checksum = 0;
    // Modes take turns within each pass, so a burst of load from other processes on a shared
    // machine hits them alike rather than one mode's whole run.
    for (int pass = 0; pass < passes; ++pass) {
        for (size_t m = 0; m < modes.size(); ++m) {
            const double start = threadCpuSeconds();
            for (const Photo& photo : photos)
                checksum += modes[m].run(photo, decodedSize[m]).at<cv::Vec3b>(0, 0)[0];
            const double seconds = threadCpuSeconds() - start;
            perSecond[m] = std::max(perSecond[m], static_cast<double>(photos.size()) / seconds);
        }
    }

    std::printf("bench_decode: %zu photos from %s, best of %d passes, 1 thread, CPU time, OpenCV %s\n\n", photos.size(),
                folder.c_str(), passes, CV_VERSION);
    std::printf("| %-44s | %-7s | %-9s | %8s | %9s |\n", "mode", "output", "decoded", "images/s",
                "vs full");
    std::printf("|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(9, '-').c_str(),
                std::string(11, '-').c_str(), std::string(10, '-').c_str(), std::string(11, '-').c_str());
    for (size_t m = 0; m < modes.size(); ++m) {
        const std::string output = std::to_string(modes[m].outputSide) + "^2";
        const std::string decoded = std::to_string(decodedSize[m].width) + "x" + std::to_string(decodedSize[m].height);
        std::printf("| %-44s | %-7s | %-9s | %8.1f | %8.2fx |\n", modes[m].name.c_str(), output.c_str(),
                    decoded.c_str(), perSecond[m], perSecond[m] / perSecond[static_cast<size_t>(modes[m].baselineRow)]);
    }
    std::printf("\n(ratio: against \"full decode + resize\" to the same output size; checksum %.0f)\n", checksum);
    return 0;
}
