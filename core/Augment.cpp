#include "Augment.h"

#include "Random.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cassava {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Writes (x * contrast about the channel mean) normalized, HWC uint8 -> CHW float.
void toNormalizedChw(const cv::Mat& rgb, float contrast, const Normalization& n, float* out)
{
    const int plane = rgb.rows * rgb.cols;
    std::array<double, 3> means{0, 0, 0};
    if (contrast != 1.0f) {
        const cv::Scalar m = cv::mean(rgb);
        means = {m[0], m[1], m[2]};
    }
    // One table per channel: contrast, clipping and normalization of all 256 values at once.
    float table[3][256];
    for (int c = 0; c < 3; ++c) {
        for (int v = 0; v < 256; ++v) {
            double x = v;
            if (contrast != 1.0f)
                x = std::clamp((x - means[c]) * contrast + means[c], 0.0, 255.0);
            table[c][v] = static_cast<float>((x / 255.0 - n.mean[static_cast<size_t>(c)]) /
                                             n.std[static_cast<size_t>(c)]);
        }
    }
    float* r = out;
    float* g = out + plane;
    float* b = out + 2 * plane;
    for (int y = 0; y < rgb.rows; ++y) {
        const uint8_t* p = rgb.ptr<uint8_t>(y);
        for (int x = 0; x < rgb.cols; ++x, p += 3) {
            *r++ = table[0][p[0]];
            *g++ = table[1][p[1]];
            *b++ = table[2][p[2]];
        }
    }
}

cv::Mat warp(const cv::Mat& rgb, const AugmentDraw& draw, int size)
{
    cv::Mat out;
    // Shrinking by more than 2x with bilinear sampling aliases; such sources are pre-shrunk by
    // area averaging first and the map is rescaled to match.
    const double scale = std::hypot(draw.outputToSource(0, 0), draw.outputToSource(1, 0));
    if (scale > 2.0) {
        const double shrink = std::floor(scale);
        cv::Mat smaller;
        cv::resize(rgb, smaller, cv::Size(), 1.0 / shrink, 1.0 / shrink, cv::INTER_AREA);
        const double sx = static_cast<double>(smaller.cols) / rgb.cols;
        const double sy = static_cast<double>(smaller.rows) / rgb.rows;
        cv::Matx23d m = draw.outputToSource;
        for (int j = 0; j < 3; ++j) {
            m(0, j) *= sx;
            m(1, j) *= sy;
        }
        cv::warpAffine(smaller, out, m, cv::Size(size, size), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                       cv::BORDER_REFLECT_101);
        return out;
    }
    cv::warpAffine(rgb, out, draw.outputToSource, cv::Size(size, size),
                   cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REFLECT_101);
    return out;
}

}  // namespace

AugmentOptions AugmentOptions::none(int size)
{
    AugmentOptions o;
    o.size = size;
    o.crop = Crop::Full;
    o.flipHorizontal = o.flipVertical = false;
    o.rotationTurns = 0;
    o.zoomMin = o.zoomMax = 0;
    o.contrast = 0;
    return o;
}

int AugmentOptions::sourceShortSide() const
{
    switch (crop) {
    case Crop::Random:
        return static_cast<int>(std::ceil(size / std::clamp(cropFraction, 0.05, 1.0)));
    case Crop::Resized:
        // A window of minArea still gets most of its pixels from the source at this side.
        return static_cast<int>(std::ceil(size * 1.15));
    case Crop::Full:
        break;
    }
    return size;
}

void NormalizationStats::add(const cv::Mat& rgb)
{
    for (int y = 0; y < rgb.rows; ++y) {
        const uint8_t* p = rgb.ptr<uint8_t>(y);
        // Integer sums per row keep the double additions few and exact.
        int64_t s[3] = {0, 0, 0}, q[3] = {0, 0, 0};
        for (int x = 0; x < rgb.cols; ++x, p += 3)
            for (int c = 0; c < 3; ++c) {
                s[c] += p[c];
                q[c] += p[c] * p[c];
            }
        for (int c = 0; c < 3; ++c) {
            sum_[static_cast<size_t>(c)] += static_cast<double>(s[c]);
            sumSquares_[static_cast<size_t>(c)] += static_cast<double>(q[c]);
        }
    }
    count_ += static_cast<int64_t>(rgb.rows) * rgb.cols;
}

void NormalizationStats::merge(const NormalizationStats& other)
{
    for (size_t c = 0; c < 3; ++c) {
        sum_[c] += other.sum_[c];
        sumSquares_[c] += other.sumSquares_[c];
    }
    count_ += other.count_;
}

Normalization NormalizationStats::result() const
{
    Normalization n;
    if (count_ == 0)
        return n;
    for (size_t c = 0; c < 3; ++c) {
        const double mean = sum_[c] / count_;
        const double variance = std::max(0.0, sumSquares_[c] / count_ - mean * mean);
        n.mean[c] = static_cast<float>(mean / 255.0);
        n.std[c] = static_cast<float>(std::max(std::sqrt(variance) / 255.0, 1e-3));
    }
    return n;
}

AugmentDraw drawAugmentation(int sourceWidth, int sourceHeight, const AugmentOptions& o, uint64_t seed)
{
    Random rng(seed);
    const double W = sourceWidth, H = sourceHeight;
    // The crop window in source pixels: centre and size.
    double cx = W / 2, cy = H / 2, w = std::min(W, H), h = w;
    switch (o.crop) {
    case AugmentOptions::Crop::Random:
        w = h = o.cropFraction * std::min(W, H);
        cx = rng.uniform(w / 2, W - w / 2);
        cy = rng.uniform(h / 2, H - h / 2);
        break;
    case AugmentOptions::Crop::Resized: {
        // torchvision's RandomResizedCrop: ten tries for a window that fits, else the centre.
        bool found = false;
        for (int attempt = 0; attempt < 10 && !found; ++attempt) {
            const double area = W * H * rng.uniform(o.minArea, o.maxArea);
            const double aspect = std::exp(rng.uniform(std::log(o.minAspect), std::log(o.maxAspect)));
            const double tw = std::sqrt(area * aspect), th = std::sqrt(area / aspect);
            if (tw <= W && th <= H) {
                w = tw;
                h = th;
                cx = rng.uniform(w / 2, W - w / 2);
                cy = rng.uniform(h / 2, H - h / 2);
                found = true;
            }
        }
        break;
    }
    case AugmentOptions::Crop::Full:
        break;
    }
    // Zoom: a negative factor zooms in (a smaller window), as in Keras.
    const double zoom = 1.0 + rng.uniform(o.zoomMin, o.zoomMax);
    w *= zoom;
    h *= zoom;
    const double angle = o.rotationTurns > 0 ? rng.uniform(-o.rotationTurns, o.rotationTurns) * 2 * kPi : 0.0;
    const double fx = o.flipHorizontal && rng.chance(0.5) ? -1.0 : 1.0;
    const double fy = o.flipVertical && rng.chance(0.5) ? -1.0 : 1.0;
    AugmentDraw draw;
    draw.contrast = o.contrast > 0 ? static_cast<float>(rng.uniform(1.0 - o.contrast, 1.0 + o.contrast)) : 1.0f;

    // Output pixel (u, v) -> unit square p = ((u + 0.5) / S - 0.5) -> flipped, scaled to the
    // window, rotated about its centre, moved to (cx, cy); pixel centres at +0.5.
    const double S = o.size;
    const double a = fx * w / S, d = fy * h / S;
    const double c = std::cos(angle), s = std::sin(angle);
    // source = R * diag(a, d) * (u + 0.5 - S/2, v + 0.5 - S/2) + (cx, cy) - 0.5
    const double m00 = c * a, m01 = -s * d, m10 = s * a, m11 = c * d;
    const double ou = 0.5 - S / 2, ov = 0.5 - S / 2;
    draw.outputToSource = cv::Matx23d(m00, m01, m00 * ou + m01 * ov + cx - 0.5,
                                      m10, m11, m10 * ou + m11 * ov + cy - 0.5);
    return draw;
}

cv::Mat renderDrawPreview(const cv::Mat& rgb, const AugmentDraw& draw, int size)
{
    cv::Mat out = warp(rgb, draw, size);
    if (draw.contrast != 1.0f) {
        const cv::Scalar m = cv::mean(out);
        out.convertTo(out, CV_32FC3);
        out = (out - m) * draw.contrast + m;
        out.convertTo(out, CV_8UC3);  // saturates to 0..255
    }
    return out;
}

void renderDrawInto(const cv::Mat& rgb, const AugmentDraw& draw, int size, const Normalization& normalization,
                    float* out)
{
    toNormalizedChw(warp(rgb, draw, size), draw.contrast, normalization, out);
}

cv::Mat augmentPreview(const cv::Mat& rgb, const AugmentOptions& options, uint64_t seed)
{
    return renderDrawPreview(rgb, drawAugmentation(rgb.cols, rgb.rows, options, seed), options.size);
}

void augmentInto(const cv::Mat& rgb, const AugmentOptions& options, uint64_t seed,
                 const Normalization& normalization, float* out)
{
    renderDrawInto(rgb, drawAugmentation(rgb.cols, rgb.rows, options, seed), options.size, normalization, out);
}

void centerCropInto(const cv::Mat& rgb, int size, const Normalization& normalization, float* out)
{
    const int side = std::min(rgb.cols, rgb.rows);
    const cv::Mat square = rgb(cv::Rect((rgb.cols - side) / 2, (rgb.rows - side) / 2, side, side));
    cv::Mat resized;
    cv::resize(square, resized, cv::Size(size, size), 0, 0, side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    toNormalizedChw(resized, 1.0f, normalization, out);
}

}  // namespace cassava
