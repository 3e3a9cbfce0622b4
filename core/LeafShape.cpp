#include "LeafShape.h"

#include <algorithm>
#include <cmath>

namespace cassava {
namespace {

constexpr float kPi = 3.14159265358979f;

cv::Rect2f boundsOf(const std::vector<cv::Point2f>& points)
{
    float x0 = points.front().x, x1 = x0, y0 = points.front().y, y1 = y0;
    for (const auto& p : points) {
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    }
    return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

void Lobe::prepare()
{
    dir_ = {std::cos(angle), std::sin(angle)};
    normal_ = {-dir_.y, dir_.x};
    inverseLength_ = 1.0f / std::max(1e-3f, length);
    // Lanceolate: t^p (1-t)^q, normalised so the widest point is at `widest` with value 1.
    const float tp = std::min(0.7f, std::max(0.2f, widest));
    const float q = taper;
    const float p = q * tp / (1.0f - tp);
    for (int i = 0; i <= kTable; ++i) {
        const float t = static_cast<float>(i) / kTable;
        const float profile = std::pow(t / tp, p) * std::pow(std::max(0.0f, 1.0f - t) / (1.0f - tp), q);
        for (int side = 0; side < 2; ++side) {
            float crinkled = 1.0f;
            if (crinkle != 0.0f) {
                const float envelope = std::sin(kPi * t);  // margins wave most mid-lobe
                const float wave = 0.7f * std::sin(2 * kPi * crinkleCycles * t + crinklePhase[side]) +
                                   0.3f * std::sin(2 * kPi * 2.3f * crinkleCycles * t + 1.7f * crinklePhase[side]);
                crinkled = std::max(0.15f, 1.0f + crinkle * wave * envelope);
            }
            width_[side][i] = halfWidth * sideScale[side] * profile * crinkled;
        }
        offset_[i] = length * (bend * t * t + (sway != 0.0f ? sway * std::sin(2 * kPi * t) * t : 0.0f));
    }
}

float Lobe::halfWidthAt(float t, int side) const { return tableLookup(width_[side != 0], t); }

float Lobe::offsetAt(float t) const { return tableLookup(offset_, t); }

cv::Point2f Lobe::at(float t, float s) const
{
    const float w = halfWidthAt(t, s < 0 ? 0 : 1);
    return base + dir_ * (t * length) + normal_ * (offsetAt(t) + s * w);
}

std::vector<cv::Point2f> Lobe::outline(int steps) const
{
    return patch(0.0f, 1.0f, -1.0f, 1.0f, steps);
}

std::vector<cv::Point2f> Lobe::patch(float t0, float t1, float s0, float s1, int steps) const
{
    std::vector<cv::Point2f> points;
    points.reserve(static_cast<size_t>(2 * steps + 2));
    for (int i = 0; i <= steps; ++i)
        points.push_back(at(t0 + (t1 - t0) * i / steps, s0));
    for (int i = steps; i >= 0; --i)
        points.push_back(at(t0 + (t1 - t0) * i / steps, s1));
    return points;
}

cv::Rect2f Lobe::bounds() const { return boundsOf(outline(16)); }

cv::Rect2f Leaf::bounds() const
{
    std::vector<cv::Point2f> corners{petiole, stemEnd};
    for (const auto& lobe : lobes) {
        const cv::Rect2f b = lobe.bounds();
        corners.push_back(b.tl());
        corners.push_back(b.br());
    }
    return boundsOf(corners);
}

LeafForm leafFormFor(int label, float severity, Random& rng)
{
    LeafForm form;
    const double lobeDraw = rng.uniform();
    form.lobes = lobeDraw < 0.25 ? 5 : lobeDraw < 0.5 ? 6 : 7;
    form.spread = static_cast<float>(rng.uniform(3.6, 5.0));
    form.widthRatio = static_cast<float>(rng.uniform(0.09, 0.135));
    form.lengthFalloff = static_cast<float>(rng.uniform(0.3, 0.55));
    switch (label) {
    case 0:  // CBB: wilting; lobes droop and some are stunted (narrowing is left to CMD)
        form.droop = severity * static_cast<float>(rng.uniform(0.12, 0.3));
        form.widthRatio *= static_cast<float>(rng.uniform(0.88, 1.0));
        form.bendJitter = 0.07f;
        form.angleJitter = 0.1f;
        form.shortenChance = 0.12f;
        break;
    case 3:  // CMD: narrowed, twisted, crinkled, misshapen lobes
        form.widthRatio *= static_cast<float>(rng.uniform(0.45, 0.7)) * (1.0f - 0.15f * severity);
        form.crinkle = static_cast<float>(rng.uniform(0.12, 0.3)) * (0.6f + 0.4f * severity);
        form.swayJitter = static_cast<float>(rng.uniform(0.05, 0.1));
        form.bendJitter = 0.09f;
        form.angleJitter = 0.14f;
        form.lengthJitter = 0.16f;
        form.asymmetry = 0.25f;
        form.shortenChance = 0.25f;
        break;
    default:
        break;
    }
    return form;
}

Leaf growLeaf(const LeafForm& form, cv::Point2f petiole, float axis, float size, Random& rng)
{
    Leaf leaf;
    leaf.petiole = petiole;
    leaf.axis = axis;
    leaf.size = size;
    const int n = std::max(1, form.lobes);
    std::vector<std::pair<float, Lobe>> ordered;  // (|u|, lobe): outer lobes are drawn first
    for (int i = 0; i < n; ++i) {
        const float u = n == 1 ? 0.0f : 2.0f * i / (n - 1) - 1.0f;
        Lobe lobe;
        lobe.angle = axis + u * form.spread / 2 + static_cast<float>(rng.normal(0, form.angleJitter));
        const cv::Point2f dir(std::cos(lobe.angle), std::sin(lobe.angle));
        const cv::Point2f normal(-dir.y, dir.x);
        float lengthFactor = 1.0f - form.lengthFalloff * std::pow(std::fabs(u), 1.6f);
        lengthFactor *= 1.0f + static_cast<float>(rng.normal(0, form.lengthJitter));
        if (rng.chance(form.shortenChance))
            lengthFactor *= static_cast<float>(rng.uniform(0.45, 0.75));
        // A drooping lobe that points up folds over and looks shorter.
        lengthFactor *= 1.0f - 1.5f * form.droop * std::max(0.0f, -dir.y);
        lobe.length = size * std::max(0.2f, lengthFactor);
        lobe.halfWidth = lobe.length * form.widthRatio * static_cast<float>(rng.uniform(0.88, 1.12));
        lobe.widest = static_cast<float>(rng.uniform(0.42, 0.55));
        lobe.taper = static_cast<float>(rng.uniform(0.9, 1.2));
        lobe.bend = static_cast<float>(rng.normal(0, form.bendJitter)) +
                    form.droop * normal.y * static_cast<float>(rng.uniform(0.6, 1.2));
        lobe.sway = static_cast<float>(rng.normal(0, form.swayJitter));
        for (auto& scale : lobe.sideScale)
            scale = std::min(1.5f, std::max(0.45f, 1.0f + static_cast<float>(rng.normal(0, form.asymmetry))));
        lobe.crinkle = form.crinkle * static_cast<float>(rng.uniform(0.5, 1.5));
        lobe.crinkleCycles = static_cast<float>(rng.uniform(2.5, 7.0));
        for (auto& phase : lobe.crinklePhase)
            phase = static_cast<float>(rng.uniform(0, 2 * kPi));
        lobe.base = petiole + dir * (size * 0.015f);
        lobe.prepare();
        ordered.emplace_back(std::fabs(u), lobe);
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [u, lobe] : ordered)
        leaf.lobes.push_back(lobe);

    const float stemAngle = axis + kPi + static_cast<float>(rng.normal(0, 0.25));
    const float stemLength = size * static_cast<float>(rng.uniform(0.5, 1.1));
    leaf.stemEnd = petiole + cv::Point2f(std::cos(stemAngle), std::sin(stemAngle)) * stemLength;
    const cv::Point2f middle = (petiole + leaf.stemEnd) * 0.5f;
    leaf.stemBend = middle + cv::Point2f(-std::sin(stemAngle), std::cos(stemAngle)) *
                                 (stemLength * static_cast<float>(rng.normal(0, 0.12)));
    leaf.stemWidth = size * static_cast<float>(rng.uniform(0.018, 0.03));
    return leaf;
}

}  // namespace cassava
