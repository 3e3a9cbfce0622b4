#include "LeafSymptoms.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cassava {

using paint::Colour;
using paint::hsv;
using paint::mix;
using paint::smoothstep;

namespace {

float uniformf(Random& rng, double lo, double hi) { return static_cast<float>(rng.uniform(lo, hi)); }


}  // namespace

LeafLook randomLeafLook(Random& rng)
{
    LeafLook look;
    look.tissue = hsv(uniformf(rng, 88, 118), uniformf(rng, 0.55, 0.85), uniformf(rng, 0.36, 0.72));
    look.vein = mix(look.tissue, hsv(uniformf(rng, 65, 85), 0.25f, 0.92f), uniformf(rng, 0.45, 0.7));
    if (rng.chance(0.55))
        look.stem = hsv(uniformf(rng, -20, 10), uniformf(rng, 0.45, 0.7), uniformf(rng, 0.45, 0.7));
    else
        look.stem = hsv(uniformf(rng, 65, 95), uniformf(rng, 0.4, 0.6), uniformf(rng, 0.5, 0.7));
    look.fold = uniformf(rng, 0.03, 0.16);
    look.texture = uniformf(rng, 0.05, 0.12);
    look.gloss = rng.chance(0.5) ? uniformf(rng, 0.05, 0.25) : 0.0f;
    look.curl = uniformf(rng, 0.05, 0.22);
    return look;
}

SymptomPlan planSymptoms(int label, float severity, LeafLook& look, Random& rng)
{
    SymptomPlan plan;
    plan.label = label;
    plan.severity = severity;
    switch (label) {
    case 0:  // CBB
        plan.intensity = uniformf(rng, 0.8, 1.0);
        plan.lesion = hsv(uniformf(rng, 18, 32), uniformf(rng, 0.6, 0.85), uniformf(rng, 0.2, 0.36));
        plan.halo = hsv(uniformf(rng, 46, 58), uniformf(rng, 0.6, 0.85), uniformf(rng, 0.7, 0.9));
        plan.necrosis = hsv(uniformf(rng, 24, 38), uniformf(rng, 0.5, 0.72), uniformf(rng, 0.32, 0.55));
        // A wilting leaf loses its gloss and turns dull olive.
        look.tissue = mix(look.tissue, hsv(58, 0.6f, 0.5f), severity * uniformf(rng, 0.2, 0.45));
        look.gloss *= 0.3f;
        look.curl += 0.2f * severity;
        break;
    case 1:  // CBSD
        plan.intensity = uniformf(rng, 0.75, 0.95);
        plan.coverage = 0.45f + 0.35f * severity;
        plan.chlorosis = hsv(uniformf(rng, 47, 58), uniformf(rng, 0.7, 0.92), uniformf(rng, 0.78, 0.95));
        break;
    case 2:  // CGM
        plan.intensity = uniformf(rng, 0.55, 0.8);
        plan.coverage = 0.3f + 0.35f * severity;
        plan.chlorosis = hsv(uniformf(rng, 72, 92), uniformf(rng, 0.25, 0.45), uniformf(rng, 0.78, 0.9));
        plan.lesion = hsv(uniformf(rng, 55, 72), uniformf(rng, 0.15, 0.35), uniformf(rng, 0.86, 0.97));
        look.tissue = mix(look.tissue, plan.chlorosis, 0.15f + 0.2f * severity);
        break;
    case 3:  // CMD
        plan.intensity = uniformf(rng, 0.7, 0.95);
        plan.coverage = 0.35f + 0.3f * severity;
        plan.chlorosis = hsv(uniformf(rng, 54, 70), uniformf(rng, 0.45, 0.75), uniformf(rng, 0.75, 0.93));
        break;
    default:
        break;
    }
    return plan;
}

LobeSymptoms::LobeSymptoms(const SymptomPlan& plan, const Lobe& lobe, cv::Rect roi, Random& rng)
    : plan_(plan), roi_(roi)
{
    const float hw = lobe.halfWidth;
    veinSpacing_ = hw * uniformf(rng, 1.0, 1.4);
    veinSlope_ = uniformf(rng, 0.7, 1.1);
    const cv::Size size = roi.size();
    // Noise values are near-normal around 0.5, so a coverage c is reached with a threshold a
    // little above 1 - c.
    threshold_ = 0.5f + 0.55f * (0.5f - plan.coverage);
    switch (plan.label) {
    case 0:
        detail_ = paint::NoiseField(rng, size, hw * 0.6f);
        // Lesions merge into large water-soaked, then dry, patches on badly hit lobes.
        if (rng.chance(0.4 + 0.5 * plan.severity)) {
            region_ = paint::NoiseField(rng, size, hw * 1.3f);
            threshold_ = 0.5f + 0.55f * (0.5f - plan.severity * uniformf(rng, 0.2, 0.5));
            affected_ = paint::Ramp(threshold_ - 0.03f, threshold_ + 0.03f);
        }
        marginBand_ = rng.chance(0.75 + 0.2 * plan.severity) ? plan.severity * uniformf(rng, 0.25, 0.6) : 0.0f;
        tipStart_ = rng.chance(0.2 + 0.4 * plan.severity) ? uniformf(rng, 0.55, 0.88) : 2.0f;
        drawLesions(lobe, rng);
        break;
    case 1:
        region_ = paint::NoiseField(rng, size, hw * 1.6f);
        detail_ = paint::NoiseField(rng, size, hw * 0.18f);
        bandWidth_ = uniformf(rng, 0.26, 0.4);
        affected_ = paint::Ramp(threshold_ - 0.07f, threshold_ + 0.07f);
        veinSalt_ = static_cast<uint32_t>(rng.next());
        break;
    case 2:
        region_ = paint::NoiseField(rng, size, hw * 0.8f);
        affected_ = paint::Ramp(threshold_ - 0.12f, threshold_ + 0.12f);
        drawSpecks(lobe, rng);
        break;
    case 3:
        region_ = paint::NoiseField(rng, size, hw * 0.75f);
        detail_ = paint::NoiseField(rng, size, hw * 0.3f);
        affected_ = paint::Ramp(threshold_ - 0.04f, threshold_ + 0.04f);
        break;
    default:
        break;
    }
}

void LobeSymptoms::drawLesions(const Lobe& lobe, Random& rng)
{
    spots_ = cv::Mat1b::zeros(roi_.size());
    halo_ = cv::Mat1b::zeros(roi_.size());
    const int count = std::max(1, static_cast<int>(plan_.severity * uniformf(rng, 1.5, 5.0) + uniformf(rng, 0.5, 2.0)));
    const cv::Point2f origin(static_cast<float>(roi_.x), static_cast<float>(roi_.y));
    for (int i = 0; i < count; ++i) {
        const float t = uniformf(rng, 0.12, 0.9);
        const float s = uniformf(rng, -0.8, 0.8);
        const cv::Point2f centre = lobe.at(t, s);
        const float radius = lobe.halfWidth * uniformf(rng, 0.4, 0.9) * (0.7f + 0.5f * plan_.severity);
        // Angular: lesions are bounded by the veins, so a few straight sides.
        const int corners = static_cast<int>(rng.uniformInt(4, 7));
        std::vector<float> angles;
        for (int k = 0; k < corners; ++k)
            angles.push_back(uniformf(rng, 0, 6.2831853));
        std::sort(angles.begin(), angles.end());
        std::vector<cv::Point2f> lesion, halo;
        const float haloGrowth = uniformf(rng, 1.2, 1.45);
        for (float a : angles) {
            const cv::Point2f ray(std::cos(a), std::sin(a));
            const float r = radius * uniformf(rng, 0.6, 1.15);
            lesion.push_back(centre + ray * r);
            halo.push_back(centre + ray * (r * haloGrowth));
        }
        paint::fillPolygon(halo_, halo, origin);
        paint::fillPolygon(spots_, lesion, origin);
    }
    if (count > 0) {
        const double sigma = std::max(0.6, lobe.halfWidth * 0.12);
        cv::GaussianBlur(halo_, halo_, cv::Size(), sigma);
    }
}

void LobeSymptoms::drawSpecks(const Lobe& lobe, Random& rng)
{
    spots_ = cv::Mat1b::zeros(roi_.size());
    const float hw = lobe.halfWidth;
    const float radius = std::max(1.1f, hw * uniformf(rng, 0.06, 0.11));
    const float area = 1.2f * lobe.length * hw;
    const float covered = (0.12f + 0.16f * plan_.severity) * area;
    const int candidates = std::min(6000, static_cast<int>(covered / (3.14159f * radius * radius)));
    const cv::Point2f origin(static_cast<float>(roi_.x), static_cast<float>(roi_.y));
    for (int i = 0; i < candidates; ++i) {
        const float t = uniformf(rng, 0.04, 0.97);
        const float s = uniformf(rng, -0.95, 0.95);
        const float r = radius * uniformf(rng, 0.6, 1.4);
        const int shade = static_cast<int>(rng.uniformInt(140, 255));
        const double keep = rng.uniform();
        const cv::Point2f p = lobe.at(t, s) - origin;
        const int x = cvRound(p.x), y = cvRound(p.y);
        if (x < 0 || y < 0 || x >= roi_.width || y >= roi_.height)
            continue;
        // Specks crowd in the pale mottled areas, a few are scattered elsewhere.
        if (keep > 0.25 + 0.75 * smoothstep(threshold_ - 0.2f, threshold_ + 0.05f, region_(x, y)))
            continue;
        cv::circle(spots_, cv::Point(cvRound(p.x * 16), cvRound(p.y * 16)), cvRound(r * 16), cv::Scalar(shade),
                   cv::FILLED, cv::LINE_AA, 4);
    }
    // Soft edges: tiny antialiased circles otherwise render as diamonds.
    cv::GaussianBlur(spots_, spots_, cv::Size(), std::max(0.5, radius * 0.35));
}

}  // namespace cassava
