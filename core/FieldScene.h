#pragma once
// A synthetic field photograph for the demo dataset: a close-up of one cassava leaf of a given
// class (with a few more leaves of the same plant around it), over soil, grass, defocused foliage
// or sky, under varied daylight, as the Kaggle photographs were taken. Every random choice comes
// from cassava::Random seeded with (seed, index), so a picture depends only on its arguments.
#include "PaintTools.h"

#include <opencv2/core/mat.hpp>

#include <cstdint>

namespace cassava {

struct FieldScene {
    cv::Mat rgb;       // CV_8UC3, RGB order
    cv::Mat1b leaves;  // opacity of the in-focus leaves of the picture's class, 0..255
};

// `label` 0..4 (CBB, CBSD, CGM, CMD, Healthy). Throws std::invalid_argument on a bad label or a
// size outside 8x8..4096x4096. Pictures of different labels with the same (seed, index) share
// backdrop, framing and light.
FieldScene renderFieldScene(int label, cv::Size size, uint64_t seed, uint64_t index);

// The backdrop alone (float RGB in [0, 1]): soil, grass, defocused foliage, sometimes sky.
cv::Mat3f renderBackdrop(cv::Size size, Random& rng);

// Daylight over the finished scene: exposure, white balance, a gradient or dappled shade,
// vignetting, sensor grain; returns the 8-bit RGB picture.
cv::Mat applyDaylight(const cv::Mat3f& scene, Random& rng);

}  // namespace cassava
