#include "PaintTools.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace cassava::paint {

Colour hsv(float hueDegrees, float saturation, float value)
{
    float h = std::fmod(hueDegrees, 360.0f);
    if (h < 0)
        h += 360.0f;
    const float s = clamp01(saturation), v = clamp01(value);
    const float c = v * s;
    const float x = c * (1.0f - std::fabs(std::fmod(h / 60.0f, 2.0f) - 1.0f));
    const float m = v - c;
    float r = 0, g = 0, b = 0;
    switch (static_cast<int>(h / 60.0f)) {
    case 0: r = c; g = x; break;
    case 1: r = x; g = c; break;
    case 2: g = c; b = x; break;
    case 3: g = x; b = c; break;
    case 4: r = x; b = c; break;
    default: r = c; b = x; break;
    }
    return {r + m, g + m, b + m};
}

cv::Mat1f valueNoise(Random& rng, cv::Size size, float cellPx)
{
    const int gw = std::max(2, static_cast<int>(std::ceil(size.width / std::max(1.0f, cellPx))) + 2);
    const int gh = std::max(2, static_cast<int>(std::ceil(size.height / std::max(1.0f, cellPx))) + 2);
    cv::Mat1f grid(gh, gw);
    for (int y = 0; y < gh; ++y)
        for (int x = 0; x < gw; ++x)
            grid(y, x) = static_cast<float>(rng.uniform());
    cv::Mat1f out;
    cv::resize(grid, out, size, 0, 0, cv::INTER_CUBIC);
    return out;
}

NoiseField::NoiseField(Random& rng, cv::Size size, float cellPx)
{
    const float cell = std::max(1.0f, cellPx);
    inverseCell_ = 1.0f / cell;
    // Coordinates 0..size-1 reach grid cell (size-1)/cell; one more column and row interpolate.
    const int gw = static_cast<int>((size.width - 1) * inverseCell_) + 2;
    const int gh = static_cast<int>((size.height - 1) * inverseCell_) + 2;
    stride_ = static_cast<size_t>(gw);
    grid_.resize(static_cast<size_t>(gw) * static_cast<size_t>(gh));
    for (auto& v : grid_)
        v = static_cast<float>(rng.uniform());
}

std::vector<cv::Point> toFixed(const std::vector<cv::Point2f>& points, cv::Point2f origin)
{
    std::vector<cv::Point> fixed;
    fixed.reserve(points.size());
    constexpr float scale = 1 << kShift;
    for (const auto& p : points)
        fixed.emplace_back(cvRound((p.x - origin.x) * scale), cvRound((p.y - origin.y) * scale));
    return fixed;
}

void fillPolygon(cv::Mat1b& mask, const std::vector<cv::Point2f>& polygon, cv::Point2f origin,
                 int value)
{
    if (polygon.size() < 3)
        return;
    const std::vector<std::vector<cv::Point>> polys{toFixed(polygon, origin)};
    cv::fillPoly(mask, polys, cv::Scalar(value), cv::LINE_AA, kShift);
}

void blend(cv::Mat3f& canvas, const cv::Mat1b& mask, cv::Rect roi, const Colour& colour,
           float opacity)
{
    const float k = opacity / 255.0f;
    for (int y = 0; y < roi.height; ++y) {
        const uchar* m = mask.ptr<uchar>(y);
        cv::Vec3f* c = canvas.ptr<cv::Vec3f>(roi.y + y) + roi.x;
        for (int x = 0; x < roi.width; ++x) {
            if (!m[x])
                continue;
            const float a = m[x] * k;
            c[x] += (colour - c[x]) * a;
        }
    }
}

void darken(cv::Mat3f& canvas, const cv::Mat1f& shade, cv::Point2f offset, float strength)
{
    const double sx = static_cast<double>(canvas.cols) / shade.cols;
    const double sy = static_cast<double>(canvas.rows) / shade.rows;
    // Only the part of the canvas the shade reaches is enlarged and touched.
    const cv::Mat1b reached = shade > 0.002f;
    const cv::Rect small = cv::boundingRect(reached);
    if (small.empty())
        return;
    const cv::Rect target(cvRound(small.x * sx + offset.x), cvRound(small.y * sy + offset.y),
                          std::max(1, cvRound(small.width * sx)), std::max(1, cvRound(small.height * sy)));
    const cv::Rect roi = target & cv::Rect(0, 0, canvas.cols, canvas.rows);
    if (roi.empty())
        return;
    cv::Mat1f full;
    cv::resize(shade(small), full, target.size(), 0, 0, cv::INTER_LINEAR);
    for (int y = 0; y < roi.height; ++y) {
        const float* s = full.ptr<float>(roi.y - target.y + y) + (roi.x - target.x);
        cv::Vec3f* c = canvas.ptr<cv::Vec3f>(roi.y + y) + roi.x;
        for (int x = 0; x < roi.width; ++x)
            if (s[x] > 0.0f)
                c[x] *= 1.0f - strength * std::min(1.0f, s[x]);
    }
}

cv::Rect clipped(const cv::Rect2f& rect, cv::Size bounds, int margin)
{
    const cv::Rect grown(static_cast<int>(std::floor(rect.x)) - margin,
                         static_cast<int>(std::floor(rect.y)) - margin,
                         static_cast<int>(std::ceil(rect.width)) + 2 * margin + 1,
                         static_cast<int>(std::ceil(rect.height)) + 2 * margin + 1);
    return grown & cv::Rect(0, 0, bounds.width, bounds.height);
}

}  // namespace cassava::paint
