#include "LeafCheck.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>

namespace cassava {

// The highest round values at which 99 % of the 1,000 real photos and 99 % of the built-in demo's
// drawn leaves still pass (BENCHMARKS.md, "Abstaining": the rule, and the pictures that fool it).
// The real photos alone would allow a texture of 12, but the drawn leaves are smoother than photos.
const double kLeafMinPlantShare = 0.15;
const double kLeafMinTexture = 7.0;

LeafCheck checkLeaf(const cv::Mat& rgb)
{
    LeafCheck result;
    if (rgb.empty() || rgb.type() != CV_8UC3)
        return result;
    cv::Mat small = rgb;
    const int longSide = std::max(rgb.cols, rgb.rows);
    if (longSide > 128) {
        const double scale = 128.0 / longSide;
        cv::resize(rgb, small, cv::Size(std::max(1, cvRound(rgb.cols * scale)), std::max(1, cvRound(rgb.rows * scale))),
                   0, 0, cv::INTER_AREA);
    }
    cv::Mat hsv, grey;
    cv::cvtColor(small, hsv, cv::COLOR_RGB2HSV);  // H in 0..179 (degrees / 2), S and V in 0..255
    cv::cvtColor(small, grey, cv::COLOR_RGB2GRAY);
    int plant = 0;
    for (int y = 0; y < hsv.rows; ++y) {
        const cv::Vec3b* row = hsv.ptr<cv::Vec3b>(y);
        for (int x = 0; x < hsv.cols; ++x) {
            const int h = row[x][0], s = row[x][1], v = row[x][2];
            // 60-170 degrees: real photos' leaves are yellowish to bluish green (a camera's white
            // balance moves them); yellow below 60 is left out: paper, sand and skin in light reach it.
            if (h >= 30 && h <= 85 && s >= 30 && v >= 25)
                ++plant;
        }
    }
    result.plantShare = static_cast<double>(plant) / static_cast<double>(hsv.total());

    // Forward differences over the pixels that have both neighbours.
    double steps = 0;
    long pairs = 0;
    for (int y = 0; y + 1 < grey.rows; ++y) {
        const uchar* row = grey.ptr<uchar>(y);
        const uchar* below = grey.ptr<uchar>(y + 1);
        for (int x = 0; x + 1 < grey.cols; ++x) {
            steps += std::abs(row[x + 1] - row[x]) + std::abs(below[x] - row[x]);
            ++pairs;
        }
    }
    result.texture = pairs > 0 ? steps / static_cast<double>(pairs) : 0.0;
    result.looksLikeLeaf = result.plantShare >= kLeafMinPlantShare && result.texture >= kLeafMinTexture;
    return result;
}

}  // namespace cassava
