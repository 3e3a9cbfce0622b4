// The backdrop of a synthetic field photograph (see FieldScene.h). It is painted at a quarter of
// the picture's size and enlarged: it is out of focus anyway, and that keeps it cheap.
#include "FieldScene.h"
#include "LeafShape.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace cassava {

using paint::Colour;
using paint::hsv;
using paint::mix;

namespace {

constexpr int kFactor = 4;
constexpr float kTwoPi = 6.2831853f;

float uniformf(Random& rng, double lo, double hi) { return static_cast<float>(rng.uniform(lo, hi)); }

void fillTextured(cv::Mat3f& canvas, const Colour& base, float contrast, Random& rng)
{
    const cv::Mat1f coarse = paint::valueNoise(rng, canvas.size(), canvas.cols / 5.0f);
    const cv::Mat1f fine = paint::valueNoise(rng, canvas.size(), canvas.cols / 18.0f);
    for (int y = 0; y < canvas.rows; ++y)
        for (int x = 0; x < canvas.cols; ++x) {
            const float n = 0.6f * coarse(y, x) + 0.4f * fine(y, x);
            canvas(y, x) = base * (1.0f + contrast * (n - 0.5f) * 2.0f);
        }
}

void paintSky(cv::Mat3f& canvas, Random& rng)
{
    const Colour zenith = rng.chance(0.6) ? hsv(uniformf(rng, 195, 215), uniformf(rng, 0.25, 0.5), uniformf(rng, 0.8, 0.95))
                                          : hsv(uniformf(rng, 190, 220), 0.06f, uniformf(rng, 0.85, 0.98));
    const Colour haze(0.93f, 0.95f, 0.96f);
    const float horizon = uniformf(rng, 0.2, 0.5) * canvas.rows;
    const cv::Mat1f edge = paint::valueNoise(rng, {canvas.cols, 1}, canvas.cols / 14.0f);
    for (int x = 0; x < canvas.cols; ++x) {
        const float h = horizon * (0.6f + 0.8f * edge(0, x));
        for (int y = 0; y < std::min(canvas.rows, static_cast<int>(h)); ++y)
            canvas(y, x) = mix(zenith, haze, static_cast<float>(y) / std::max(1.0f, h));
    }
}

cv::Scalar scalar(const Colour& c) { return cv::Scalar(c[0], c[1], c[2]); }

// Drawn without antialiasing: the backdrop is blurred afterwards.
void scatterDebris(cv::Mat3f& canvas, const Colour& soil, Random& rng)
{
    const int count = canvas.rows * canvas.cols / 250;
    for (int i = 0; i < count; ++i) {
        const cv::Point2f at(uniformf(rng, 0, canvas.cols), uniformf(rng, 0, canvas.rows));
        const double kind = rng.uniform();
        if (kind < 0.5) {  // a clod or pebble
            cv::circle(canvas, at, cvRound(uniformf(rng, 0.5, 2.0)), scalar(soil * uniformf(rng, 0.6, 1.4)),
                       cv::FILLED);
        } else if (kind < 0.8) {  // a dry leaf or twig
            const Colour colour = hsv(uniformf(rng, 25, 42), uniformf(rng, 0.35, 0.6), uniformf(rng, 0.35, 0.7));
            cv::ellipse(canvas, cv::RotatedRect(at, cv::Size2f(uniformf(rng, 2, 8), uniformf(rng, 0.8, 2.5)),
                                                uniformf(rng, 0, 180)),
                        scalar(colour), cv::FILLED);
        } else {  // a grass blade
            const Colour colour = hsv(uniformf(rng, 70, 110), uniformf(rng, 0.4, 0.8), uniformf(rng, 0.3, 0.7));
            const float a = uniformf(rng, 0, kTwoPi), len = uniformf(rng, 3, 12);
            cv::line(canvas, at, at + cv::Point2f(std::cos(a), std::sin(a)) * len, scalar(colour), 1);
        }
    }
}

void paintBackgroundLeaves(cv::Mat3f& canvas, int count, float topFraction, Random& rng)
{
    const float minSide = static_cast<float>(std::min(canvas.cols, canvas.rows));
    for (int i = 0; i < count; ++i) {
        LeafForm form = leafFormFor(4, 0.0f, rng);
        form.crinkle = 0;  // invisible once blurred; saves the margin waves' sines
        form.swayJitter = 0;
        const cv::Point2f petiole(uniformf(rng, -0.2, 1.2) * canvas.cols,
                                  uniformf(rng, topFraction, 1.2) * canvas.rows);
        const Leaf leaf = growLeaf(form, petiole, uniformf(rng, 0, kTwoPi),
                                   minSide * uniformf(rng, 0.15, 0.55), rng);
        // Shaded, saturated greens: a pale or yellowish backdrop leaf would mimic a symptom.
        const Colour colour = hsv(uniformf(rng, 85, 125), uniformf(rng, 0.5, 0.85), uniformf(rng, 0.12, 0.52));
        for (const auto& lobe : leaf.lobes) {
            const std::vector<std::vector<cv::Point>> polygon{paint::toFixed(lobe.outline(12))};
            cv::fillPoly(canvas, polygon, scalar(colour * uniformf(rng, 0.8, 1.12)), cv::LINE_8, paint::kShift);
        }
    }
}

}  // namespace

cv::Mat3f renderBackdrop(cv::Size size, Random& rng)
{
    const cv::Size small(std::max(8, size.width / kFactor), std::max(6, size.height / kFactor));
    cv::Mat3f canvas(small);
    const double kind = rng.uniform();
    // Kinds: bare soil 22 %, foliage 38 %, soil with some foliage 30 %, foliage under sky 10 %.
    const bool soil = kind < 0.22, mixed = kind >= 0.6 && kind < 0.9, sky = kind >= 0.9;
    const Colour earth = hsv(uniformf(rng, 8, 38), uniformf(rng, 0.3, 0.62), uniformf(rng, 0.25, 0.62));
    const Colour undergrowth = hsv(uniformf(rng, 85, 125), uniformf(rng, 0.5, 0.85), uniformf(rng, 0.08, 0.25));
    fillTextured(canvas, soil || mixed ? earth : undergrowth, uniformf(rng, 0.15, 0.35), rng);
    if (soil || mixed)
        scatterDebris(canvas, earth, rng);
    if (sky)
        paintSky(canvas, rng);
    const int leaves = soil    ? static_cast<int>(rng.uniformInt(0, 3))
                       : mixed ? static_cast<int>(rng.uniformInt(3, 12))
                               : static_cast<int>(rng.uniformInt(16, 34));
    paintBackgroundLeaves(canvas, leaves, sky ? 0.25f : -0.2f, rng);

    cv::GaussianBlur(canvas, canvas, cv::Size(), uniformf(rng, 0.5, 1.6));
    cv::Mat3f full;
    cv::resize(canvas, full, size, 0, 0, cv::INTER_LINEAR);

    // Grain of soil and foliage, finer than the enlarged backdrop can show.
    const float grain = uniformf(rng, 0.06, 0.16);
    const cv::Mat1f texture = paint::valueNoise(rng, size, 2.5f);
    for (int y = 0; y < size.height; ++y) {
        cv::Vec3f* row = full.ptr<cv::Vec3f>(y);
        const float* t = texture.ptr<float>(y);
        for (int x = 0; x < size.width; ++x)
            row[x] *= 1.0f + grain * (t[x] - 0.5f) * 2.0f;
    }
    return full;
}

}  // namespace cassava
