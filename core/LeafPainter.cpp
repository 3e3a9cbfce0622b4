#include "LeafPainter.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace cassava {

using paint::Colour;
using paint::mix;
using paint::smoothstep;

namespace {

std::vector<cv::Point2f> stemCurve(const Leaf& leaf, float scale = 1.0f)
{
    // Quadratic Bezier from the stalk's far end to the petiole.
    std::vector<cv::Point2f> points;
    constexpr int kSteps = 16;
    for (int i = 0; i <= kSteps; ++i) {
        const float u = static_cast<float>(i) / kSteps;
        const cv::Point2f p = leaf.stemEnd * ((1 - u) * (1 - u)) + leaf.stemBend * (2 * u * (1 - u)) +
                              leaf.petiole * (u * u);
        points.push_back(p * scale);
    }
    return points;
}

void drawCurve(cv::Mat1b& mask, const std::vector<cv::Point2f>& curve, cv::Point2f origin, float width)
{
    const std::vector<std::vector<cv::Point>> lines{paint::toFixed(curve, origin)};
    cv::polylines(mask, lines, false, cv::Scalar(255), std::max(1, cvRound(width)), cv::LINE_AA,
                  paint::kShift);
}

}  // namespace

LeafPainter::LeafPainter(cv::Mat3f& canvas, cv::Mat1b* coverage) : canvas_(canvas), coverage_(coverage) {}

void LeafPainter::paint(const Leaf& leaf, LeafLook look, int label, float severity, Random& rng)
{
    const SymptomPlan plan = planSymptoms(label, severity, look, rng);
    paintStem(leaf, look);
    for (const auto& lobe : leaf.lobes)
        paintLobe(lobe, look, plan, rng);
}

void LeafPainter::paintStem(const Leaf& leaf, const LeafLook& look)
{
    const auto curve = stemCurve(leaf);
    cv::Rect2f box = cv::boundingRect(curve);
    const float pad = leaf.stemWidth + 2;
    box = cv::Rect2f(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad);
    const cv::Rect roi = paint::clipped(box, canvas_.size());
    if (roi.empty())
        return;
    cv::Mat1b mask = cv::Mat1b::zeros(roi.size());
    const cv::Point2f origin(static_cast<float>(roi.x), static_cast<float>(roi.y));
    drawCurve(mask, curve, origin, leaf.stemWidth);
    paint::blend(canvas_, mask, roi, look.stem * 0.8f);
    // A lighter line along the stalk gives it roundness.
    cv::Mat1b highlight = cv::Mat1b::zeros(roi.size());
    drawCurve(highlight, curve, origin - cv::Point2f(leaf.stemWidth * 0.15f, leaf.stemWidth * 0.15f),
              leaf.stemWidth * 0.4f);
    paint::blend(canvas_, highlight, roi, mix(look.stem, Colour(1, 1, 1), 0.25f), 0.6f);
    if (coverage_) {
        cv::Mat sub = (*coverage_)(roi);
        cv::max(sub, mask, sub);
    }
}

void LeafPainter::paintLobe(const Lobe& lobe, const LeafLook& look, const SymptomPlan& plan, Random& rng)
{
    // Every lobe draws the same random numbers whether or not it is visible, so what is drawn
    // after it does not depend on the framing.
    Random lobeRng(rng.next());
    const std::vector<cv::Point2f> outline = lobe.outline(48);
    const cv::Rect roi = paint::clipped(cv::boundingRect(outline), canvas_.size());
    if (roi.empty())
        return;
    cv::Mat1b mask = cv::Mat1b::zeros(roi.size());
    const cv::Point2f origin(static_cast<float>(roi.x), static_cast<float>(roi.y));
    paint::fillPolygon(mask, outline, origin);

    const float hw = lobe.halfWidth;
    const LobeSymptoms symptoms(plan, lobe, roi, lobeRng);
    const paint::NoiseField texture(lobeRng, roi.size(), hw * 1.2f);
    const paint::NoiseField sheen = look.gloss > 0 ? paint::NoiseField(lobeRng, roi.size(), hw * 0.9f)
                                                   : paint::NoiseField();
    const float lobeShade = static_cast<float>(lobeRng.uniform(0.86, 1.1));
    const float tipward = static_cast<float>(lobeRng.uniform(-0.15, 0.15));
    const Colour glossColour(0.88f, 0.93f, 0.85f);

    const bool changesTissue = symptoms.changesTissue(), marksTissue = symptoms.marksTissue();
    const float spacing = symptoms.veinSpacing();
    const float slope = symptoms.veinSlope();
    const float veinSin = 1.0f / std::sqrt(1.0f + slope * slope);
    const float midribHalf = std::max(0.45f, hw * 0.085f);
    const float secondaryHalf = std::max(0.3f, hw * 0.025f);
    const paint::Ramp secondaryEdge(secondaryHalf * 0.5f, secondaryHalf + 0.8f), marginFade(0.85f, 1.0f),
        besideMidrib(0.5f * midribHalf, 1.5f * midribHalf), pastBase(0.02f, 0.08f), glint(0.6f, 0.9f);
    const float inverseSpacing = 1.0f / spacing;

    for (int y = 0; y < roi.height; ++y) {
        const uchar* m = mask.ptr<uchar>(y);
        cv::Vec3f* out = canvas_.ptr<cv::Vec3f>(roi.y + y) + roi.x;
        uchar* cover = coverage_ ? coverage_->ptr<uchar>(roi.y + y) + roi.x : nullptr;
        for (int x = 0; x < roi.width; ++x) {
            if (!m[x])
                continue;
            const Lobe::Local local = lobe.localOf(cv::Point2f(static_cast<float>(x + roi.x),
                                                               static_cast<float>(y + roi.y)));
            float shade = lobeShade *
                          (1.0f + 2.0f * look.texture * (texture(x, y) - 0.5f)) *
                          (1.0f + tipward * (local.t - 0.5f));
            if (local.across < 0)
                shade *= 1.0f - look.fold;
            shade *= 1.0f - look.curl * std::min(1.0f, local.s * local.s);
            const float absAcross = std::fabs(local.across);
            // Secondary veins arch towards the tip as they near the margin.
            const float arch = 1.0f + 0.35f * std::min(1.0f, std::fabs(local.s));
            const float v = (local.t * lobe.length - absAcross * slope * arch) * inverseSpacing;
            const float veinDistance = std::fabs(v - std::floor(v + 0.5f));

            Colour c = look.tissue * shade;
            if (changesTissue)
                c = symptoms.underVeins(c, local, x, y, v);

            float vein = 0.0f;
            const float veinPx = veinDistance * spacing * veinSin;
            if (veinPx < secondaryHalf + 0.8f)
                vein = (1.0f - secondaryEdge(veinPx)) * 0.4f * (1.0f - marginFade(std::fabs(local.s))) *
                       besideMidrib(absAcross) * pastBase(local.t);
            const float midribWidth = midribHalf * (1.0f - 0.75f * paint::clamp01(local.t));
            if (absAcross < midribWidth + 0.8f)
                vein = std::max(vein, 0.85f * (1.0f - smoothstep(midribWidth * 0.6f, midribWidth + 0.8f, absAcross)));
            if (vein > 0.0f)
                c = mix(c, look.vein * lobeShade, vein);

            if (marksTissue)
                c = symptoms.overVeins(c, local, x, y);
            if (!sheen.empty() && local.across > 0)
                c = mix(c, glossColour, look.gloss * glint(sheen(x, y)));

            const float a = m[x] * (1.0f / 255.0f);
            out[x] += (c - out[x]) * a;
            if (cover && cover[x] < m[x])
                cover[x] = m[x];
        }
    }
}

cv::Mat1f LeafPainter::silhouette(const Leaf& leaf, cv::Size canvasSize, int factor)
{
    const cv::Size small(std::max(1, canvasSize.width / factor), std::max(1, canvasSize.height / factor));
    const float scale = static_cast<float>(small.width) / canvasSize.width;
    cv::Mat1b mask = cv::Mat1b::zeros(small);
    for (const auto& lobe : leaf.lobes) {
        auto outline = lobe.outline(16);
        for (auto& p : outline)
            p *= scale;
        paint::fillPolygon(mask, outline);
    }
    drawCurve(mask, stemCurve(leaf, scale), {}, leaf.stemWidth * scale);
    cv::Mat1f out;
    mask.convertTo(out, CV_32F, 1.0 / 255);
    return out;
}

}  // namespace cassava
