#include "FieldScene.h"

#include "LeafPainter.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace cassava {

using paint::smoothstep;

namespace {

constexpr float kTwoPi = 6.2831853f;

float uniformf(Random& rng, double lo, double hi) { return static_cast<float>(rng.uniform(lo, hi)); }

// One in-focus leaf of the plant and the random streams it is drawn from.
struct Placement {
    cv::Point2f petiole;
    float axis = 0;
    float size = 0;
    float severity = 0;
    uint64_t shapeSeed = 0, paintSeed = 0, lookSeed = 0;
};

void castShadow(cv::Mat3f& canvas, const Leaf& leaf, cv::Point2f towards, float strength)
{
    constexpr int kFactor = 4;
    cv::Mat1f shade = LeafPainter::silhouette(leaf, canvas.size(), kFactor);
    const double sigma = std::max(0.8, leaf.size * 0.035 / kFactor);
    cv::GaussianBlur(shade, shade, cv::Size(), sigma);
    paint::darken(canvas, shade, towards * (leaf.size * 0.06f), strength);
}

}  // namespace

FieldScene renderFieldScene(int label, cv::Size size, uint64_t seed, uint64_t index)
{
    if (label < 0 || label > 4)
        throw std::invalid_argument("synthetic leaf: label " + std::to_string(label) + " is not 0..4");
    if (size.width < 8 || size.height < 8 || size.width > 4096 || size.height > 4096)
        throw std::invalid_argument("synthetic leaf: size " + std::to_string(size.width) + "x" +
                                    std::to_string(size.height) + " is outside 8x8..4096x4096");

    // Independent streams, drawn in a fixed order: the backdrop, framing and light do not depend
    // on the class, so pictures of two classes with the same (seed, index) differ in the leaf only.
    Random root = Random::forItem(seed, index);
    Random backdropRng(root.next()), layoutRng(root.next()), lightRng(root.next());

    const float minSide = static_cast<float>(std::min(size.width, size.height));
    const cv::Point2f lightDirection = [&] {
        const float a = uniformf(layoutRng, 0, kTwoPi);
        return cv::Point2f(std::cos(a), std::sin(a));
    }();
    const float shadowStrength = uniformf(layoutRng, 0.2, 0.5);

    std::vector<Placement> placements;
    const double extrasDraw = layoutRng.uniform();
    const int extras = extrasDraw < 0.15 ? 0 : extrasDraw < 0.5 ? 1 : extrasDraw < 0.8 ? 2 : 3;
    Placement main;
    main.size = minSide * uniformf(layoutRng, 0.6, 1.0);
    main.axis = uniformf(layoutRng, 0, kTwoPi);
    main.severity = uniformf(layoutRng, 0.55, 1.0);
    const cv::Point2f centre(size.width * uniformf(layoutRng, 0.3, 0.7), size.height * uniformf(layoutRng, 0.3, 0.7));
    main.petiole = centre - cv::Point2f(std::cos(main.axis), std::sin(main.axis)) * (main.size * 0.3f);
    for (int i = 0; i < extras; ++i) {
        Placement p;
        p.size = main.size * uniformf(layoutRng, 0.6, 1.05);
        p.axis = uniformf(layoutRng, 0, kTwoPi);
        p.severity = std::min(1.0f, main.severity * uniformf(layoutRng, 0.6, 1.15));
        p.petiole = {size.width * uniformf(layoutRng, -0.1, 1.1), size.height * uniformf(layoutRng, -0.1, 1.1)};
        placements.push_back(p);
    }
    placements.push_back(main);  // drawn last, on top
    for (auto& p : placements) {
        p.shapeSeed = layoutRng.next();
        p.paintSeed = layoutRng.next();
        p.lookSeed = layoutRng.next();
    }
    Random plantRng(layoutRng.next());

    cv::Mat3f canvas = renderBackdrop(size, backdropRng);
    FieldScene scene;
    scene.leaves = cv::Mat1b::zeros(size);
    LeafPainter painter(canvas, &scene.leaves);
    // The leaves of one plant share a look; each varies a little.
    const LeafLook plantLook = randomLeafLook(plantRng);
    for (const auto& p : placements) {
        Random shapeRng(p.shapeSeed), paintRng(p.paintSeed), leafLookRng(p.lookSeed);
        const LeafForm form = leafFormFor(label, p.severity, shapeRng);
        const Leaf leaf = growLeaf(form, p.petiole, p.axis, p.size, shapeRng);
        LeafLook look = plantLook;
        look.tissue *= uniformf(leafLookRng, 0.88, 1.12);
        castShadow(canvas, leaf, lightDirection, shadowStrength);
        painter.paint(leaf, look, label, p.severity, paintRng);
    }
    scene.rgb = applyDaylight(canvas, lightRng);
    return scene;
}

cv::Mat applyDaylight(const cv::Mat3f& scene, Random& rng)
{
    const cv::Size size = scene.size();
    // A coarse light map: a gradient across the picture, dappled shade under the canopy, and the
    // darker corners of a phone camera.
    const cv::Size coarse(32, 24);
    cv::Mat1f light(coarse);
    const float gradientAngle = uniformf(rng, 0, kTwoPi);
    const float gradient = rng.chance(0.7) ? uniformf(rng, 0.05, 0.35) : 0.0f;
    const bool dappled = rng.chance(0.4);
    const float dapple = dappled ? uniformf(rng, 0.2, 0.45) : 0.0f;
    const float dappleThreshold = uniformf(rng, 0.4, 0.6);
    const cv::Mat1f canopy = paint::valueNoise(rng, coarse, uniformf(rng, 3.0, 7.0));
    const float vignette = uniformf(rng, 0.0, 0.3);
    const cv::Point2f g(std::cos(gradientAngle), std::sin(gradientAngle));
    for (int y = 0; y < coarse.height; ++y)
        for (int x = 0; x < coarse.width; ++x) {
            const float u = (x + 0.5f) / coarse.width * 2 - 1, v = (y + 0.5f) / coarse.height * 2 - 1;
            float l = 1.0f + gradient * (u * g.x + v * g.y);
            l *= 1.0f - dapple * (1.0f - smoothstep(dappleThreshold - 0.08f, dappleThreshold + 0.08f, canopy(y, x)));
            l *= 1.0f - vignette * 0.5f * (u * u + v * v);
            light(y, x) = l;
        }
    cv::Mat1f fullLight;
    cv::resize(light, fullLight, size, 0, 0, cv::INTER_LINEAR);

    const float exposure = uniformf(rng, 0.8, 1.25) / (1.0f - 0.3f * dapple);
    const float balance[3] = {uniformf(rng, 0.93, 1.08), 1.0f, uniformf(rng, 0.88, 1.05)};
    const float saturation = uniformf(rng, 0.85, 1.2);
    const float contrast = uniformf(rng, 0.9, 1.15);
    const float grain = uniformf(rng, 0.004, 0.016);

    // White balance, saturation (around the luma) and contrast (around mid-grey) are linear, so
    // they fold into one 3x3 matrix and an offset, applied after the light map and exposure.
    const float luma[3] = {0.299f, 0.587f, 0.114f};
    float m[3][3];
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            m[i][j] = 255.0f * contrast * ((i == j ? saturation : 0.0f) + (1.0f - saturation) * luma[j]) * balance[j];
    const float offset = 255.0f * 0.5f * (1.0f - contrast);
    // The sum of 4 uniform bytes has mean 510 and sd 147.2: a cheap, near-normal grain.
    const float grainScale = 255.0f * grain / 147.2f;

    cv::Mat out(size, CV_8UC3);
    std::vector<float> noise(static_cast<size_t>(size.width) + 1);
    cv::Mat3f row(1, size.width);
    for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; x += 2) {
            const uint64_t bits = rng.next();
            const int a = static_cast<int>((bits & 0xff) + ((bits >> 8) & 0xff) + ((bits >> 16) & 0xff) + ((bits >> 24) & 0xff));
            const int b = static_cast<int>(((bits >> 32) & 0xff) + ((bits >> 40) & 0xff) + ((bits >> 48) & 0xff) + (bits >> 56));
            noise[static_cast<size_t>(x)] = static_cast<float>(a - 510) * grainScale + offset;
            noise[static_cast<size_t>(x) + 1] = static_cast<float>(b - 510) * grainScale + offset;
        }
        const float* in = scene.ptr<float>(y);
        const float* l = fullLight.ptr<float>(y);
        float* o = row.ptr<float>(0);
        for (int x = 0; x < size.width; ++x) {
            const float k = l[x] * exposure;
            const float r = in[3 * x] * k, g = in[3 * x + 1] * k, b = in[3 * x + 2] * k;
            const float n = noise[static_cast<size_t>(x)];
            o[3 * x] = m[0][0] * r + m[0][1] * g + m[0][2] * b + n;
            o[3 * x + 1] = m[1][0] * r + m[1][1] * g + m[1][2] * b + n;
            o[3 * x + 2] = m[2][0] * r + m[2][1] * g + m[2][2] * b + n;
        }
        cv::Mat outRow = out.row(y);
        row.convertTo(outRow, CV_8U);  // rounds and saturates, vectorised
    }
    if (rng.chance(0.3))
        cv::GaussianBlur(out, out, cv::Size(), uniformf(rng, 0.5, 1.1));
    return out;
}

}  // namespace cassava
