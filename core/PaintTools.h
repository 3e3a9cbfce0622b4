#pragma once
// The few painting primitives the synthetic demo is drawn with: a float RGB canvas, value noise
// drawn from cassava::Random (so a picture depends only on its seed), HSV colours, and masks
// composited with a colour. OpenCV's drawing functions antialias only 8-bit images, so shapes are
// rasterised into 8-bit masks and blended here.
#include "Random.h"

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <vector>

namespace cassava::paint {

using Colour = cv::Vec3f;  // RGB in [0, 1]

// Hue in degrees, saturation and value in [0, 1].
Colour hsv(float hueDegrees, float saturation, float value);
inline Colour mix(const Colour& a, const Colour& b, float t) { return a + (b - a) * t; }

inline float clamp01(float x) { return std::min(1.0f, std::max(0.0f, x)); }
inline float smoothstep(float edge0, float edge1, float x)
{
    const float t = clamp01((x - edge0) / (edge1 - edge0));
    return t * t * (3.0f - 2.0f * t);
}

// smoothstep with edges fixed up front, so a per-pixel call multiplies instead of dividing.
class Ramp {
public:
    Ramp(float edge0, float edge1) : edge0_(edge0), inverse_(1.0f / (edge1 - edge0)) {}
    float operator()(float x) const
    {
        const float t = clamp01((x - edge0_) * inverse_);
        return t * t * (3.0f - 2.0f * t);
    }

private:
    float edge0_, inverse_;
};

// Smooth noise in [0, 1] of the given size whose features are about `cellPx` pixels across:
// a coarse grid of uniform values, bicubically enlarged.
cv::Mat1f valueNoise(Random& rng, cv::Size size, float cellPx);

// The same noise, sampled only where it is needed (the pixels of a lobe, not its whole bounding
// box): a coarse grid of uniform values with smoothstep-weighted bilinear interpolation.
class NoiseField {
public:
    NoiseField() = default;
    NoiseField(Random& rng, cv::Size size, float cellPx);
    bool empty() const { return grid_.empty(); }
    float operator()(int x, int y) const
    {
        const float fx = x * inverseCell_, fy = y * inverseCell_;
        const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
        float tx = fx - ix, ty = fy - iy;
        tx = tx * tx * (3.0f - 2.0f * tx);
        ty = ty * ty * (3.0f - 2.0f * ty);
        const float* row0 = &grid_[static_cast<size_t>(iy) * stride_ + ix];
        const float* row1 = row0 + stride_;
        const float top = row0[0] + (row0[1] - row0[0]) * tx;
        const float bottom = row1[0] + (row1[1] - row1[0]) * tx;
        return top + (bottom - top) * ty;
    }

private:
    std::vector<float> grid_;
    size_t stride_ = 0;
    float inverseCell_ = 1.0f;
};

// Fixed-point polygon for cv::fillPoly with `kShift` fractional bits, so antialiased edges land
// on sub-pixel positions; `origin` is subtracted first (the top-left of a region of interest).
constexpr int kShift = 4;
std::vector<cv::Point> toFixed(const std::vector<cv::Point2f>& points, cv::Point2f origin = {});

// Antialiased filled polygon(s) into an 8-bit mask.
void fillPolygon(cv::Mat1b& mask, const std::vector<cv::Point2f>& polygon, cv::Point2f origin = {},
                 int value = 255);

// canvas = canvas * (1 - a) + colour * a, with a = mask / 255 * opacity; `mask` covers `roi`.
void blend(cv::Mat3f& canvas, const cv::Mat1b& mask, cv::Rect roi, const Colour& colour,
           float opacity = 1.0f);

// Multiplies the canvas by (1 - strength * shade) where `shade` (0..1, any size) is stretched
// over the whole canvas, shifted by `offset` pixels: a soft cast shadow.
void darken(cv::Mat3f& canvas, const cv::Mat1f& shade, cv::Point2f offset, float strength);

// The part of `rect` inside `bounds` (may be empty).
cv::Rect clipped(const cv::Rect2f& rect, cv::Size bounds, int margin = 2);

}  // namespace cassava::paint
