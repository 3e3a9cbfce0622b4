#include "LeafCheck.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace cassava {

namespace {
// Provisional: calibrated on the real photos and on pictures that are not leaves in BENCHMARKS.md.
constexpr double kMinPlantShare = 0.15;
}  // namespace

LeafCheck checkLeaf(const cv::Mat& rgb)
{
    LeafCheck result;
    if (rgb.empty() || rgb.type() != CV_8UC3)
        return result;
    cv::Mat small = rgb;
    const int longSide = std::max(rgb.cols, rgb.rows);
    if (longSide > 128) {
        const double scale = 128.0 / longSide;
        cv::resize(rgb, small, cv::Size(), scale, scale, cv::INTER_AREA);
    }
    cv::Mat hsv;
    cv::cvtColor(small, hsv, cv::COLOR_RGB2HSV);  // H in 0..179 (degrees / 2), S and V in 0..255
    int plant = 0;
    for (int y = 0; y < hsv.rows; ++y) {
        const cv::Vec3b* row = hsv.ptr<cv::Vec3b>(y);
        for (int x = 0; x < hsv.cols; ++x) {
            const int h = row[x][0], s = row[x][1], v = row[x][2];
            if (h >= 12 && h <= 50 && s >= 40 && v >= 30)  // 24-100 degrees: yellow-brown to green
                ++plant;
        }
    }
    result.plantShare = static_cast<double>(plant) / static_cast<double>(hsv.total());
    result.looksLikeLeaf = result.plantShare >= kMinPlantShare;
    return result;
}

}  // namespace cassava
