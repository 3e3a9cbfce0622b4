#pragma once
// What each disease does to the tissue of a synthetic cassava leaf, painted per pixel in the lobe's
// own coordinates (see LeafShape.h). Described after the field guides' pictures:
//   CBB  (0) angular, dark brown, water-soaked lesions with a yellow halo; wilting, with brown
//            margins and dry tips (the drooping shape comes from LeafShape).
//   CBSD (1) feathery yellow chlorosis following the secondary veins, in blotches.
//   CGM  (2) a paler leaf with pale green mottle and many fine whitish-yellow specks.
//   CMD  (3) an irregular yellow / green mosaic (the narrowed, twisted lobes come from LeafShape).
//   Healthy (4) uniform green.
// Symptoms must stay visible when an 800x600 picture is shrunk to 128x128 for training, so the
// patterns are sized relative to the lobe, never to the pixel.
#include "LeafShape.h"
#include "PaintTools.h"

#include <opencv2/core/mat.hpp>

#include <cmath>
#include <cstdint>

namespace cassava {

// The healthy look of one leaf.
struct LeafLook {
    paint::Colour tissue;    // leaf blade
    paint::Colour vein;      // midrib and secondary veins
    paint::Colour stem;      // petiole (often red in cassava)
    float fold = 0.1f;       // one half of each lobe is this much darker (the lobe folds a little)
    float texture = 0.08f;   // amplitude of the natural unevenness of the blade
    float gloss = 0.1f;      // strength of the waxy highlights
    float curl = 0.12f;      // margins darker than the midrib: the blade curves away from the light
};

LeafLook randomLeafLook(Random& rng);

// The symptoms of one leaf: chosen once so every lobe of the leaf agrees.
struct SymptomPlan {
    int label = 4;
    float severity = 0;      // 0..1
    float intensity = 0;     // how strongly affected tissue departs from the healthy colour
    float coverage = 0;      // fraction of the blade affected by chlorosis, mosaic or mottle
    paint::Colour chlorosis;  // CBSD yellow, CMD pale yellow-green, CGM pale green
    paint::Colour lesion;     // CBB lesion brown; CGM speck colour
    paint::Colour halo;       // CBB yellow halo
    paint::Colour necrosis;   // CBB dry margins and tips
};

// Also adjusts `look` for diseases that change the whole leaf (a paler CGM leaf, a dull wilted one).
SymptomPlan planSymptoms(int label, float severity, LeafLook& look, Random& rng);

// The symptom maps of one lobe over its region of interest `roi` (image coordinates).
class LobeSymptoms {
public:
    LobeSymptoms(const SymptomPlan& plan, const Lobe& lobe, cv::Rect roi, Random& rng);

    // Whether underVeins / overVeins change anything for this class (skipped per pixel if not).
    bool changesTissue() const { return plan_.label >= 1 && plan_.label <= 3; }
    bool marksTissue() const { return plan_.label == 0 || plan_.label == 2; }

    // Secondary vein geometry of this lobe, also used to paint the veins themselves.
    float veinSpacing() const { return veinSpacing_; }
    float veinSlope() const { return veinSlope_; }

    // Tissue colour before veins are drawn (chlorosis, mosaic, mottle) and after (lesions,
    // necrosis, specks). (x, y) is relative to the roi; `vein` is the pixel's position across
    // the secondary veins in units of their spacing (the veins lie at whole numbers).
    paint::Colour underVeins(const paint::Colour& tissue, const Lobe::Local& local, int x, int y,
                             float vein) const;
    paint::Colour overVeins(const paint::Colour& colour, const Lobe::Local& local, int x, int y) const;

private:
    void drawLesions(const Lobe& lobe, Random& rng);
    void drawSpecks(const Lobe& lobe, Random& rng);

    const SymptomPlan& plan_;
    cv::Rect roi_;
    paint::NoiseField region_;  // where chlorosis / mosaic / mottle is
    paint::NoiseField detail_;  // finer noise: feathery edges, mosaic fragments
    cv::Mat1b spots_;    // CBB lesions or CGM specks
    cv::Mat1b halo_;     // CBB halos
    float threshold_ = 1.0f;
    paint::Ramp affected_{0.0f, 1.0f};  // region noise -> how affected (chlorosis, mosaic, blight)
    float veinSpacing_ = 10.0f;
    float veinSlope_ = 0.9f;
    float bandWidth_ = 0.25f;
    uint32_t veinSalt_ = 0;   // CBSD: which veins carry chlorosis
    float marginBand_ = 0;    // CBB: width of the dry margin, fraction of the half-width
    float tipStart_ = 2.0f;   // CBB: t where the dry tip starts (> 1: none)
};

// Per-pixel code, inline: it runs for every pixel of every lobe.

namespace detail {
// A fixed pseudo-random value in [0, 1) for an integer (a vein), from a 32-bit integer hash.
inline float hash01(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return static_cast<float>(x >> 8) * (1.0f / 16777216.0f);
}
}  // namespace detail

inline paint::Colour LobeSymptoms::underVeins(const paint::Colour& tissue, const Lobe::Local& local,
                                              int x, int y, float vein) const
{
    switch (plan_.label) {
    case 1: {  // CBSD: feathery yellow bands along some secondary veins, within blotches
        const float r = affected_(region_(x, y));
        if (r <= 0.0f)
            return tissue;
        const float nearest = std::floor(vein + 0.5f);
        const float distance = std::fabs(vein - nearest);
        const uint32_t veinId = static_cast<uint32_t>(static_cast<int>(nearest) * 2 + (local.across < 0 ? 1 : 0));
        const float carried = detail::hash01(veinId ^ veinSalt_) < 0.7f ? 1.0f : 0.25f;
        const float width = bandWidth_ * (0.35f + 1.3f * detail_(x, y));
        const float band = carried * (1.0f - paint::smoothstep(width * 0.4f, width, distance));
        return paint::mix(tissue, plan_.chlorosis, r * plan_.intensity * (0.3f + 0.7f * band));
    }
    case 2: {  // CGM: pale mottle
        const float m = affected_(region_(x, y));
        return paint::mix(tissue, plan_.chlorosis, m * plan_.intensity * 0.75f);
    }
    case 3: {  // CMD: mosaic; the green islands are darker than healthy tissue
        const float v = 0.62f * region_(x, y) + 0.38f * detail_(x, y);
        const float m = affected_(v);
        const paint::Colour green = tissue * (1.0f - 0.15f * plan_.intensity);
        return paint::mix(green, plan_.chlorosis, m * plan_.intensity);
    }
    default:
        return tissue;
    }
}

inline paint::Colour LobeSymptoms::overVeins(const paint::Colour& colour, const Lobe::Local& local,
                                             int x, int y) const
{
    switch (plan_.label) {
    case 0: {  // CBB
        paint::Colour c = colour;
        const float h = halo_(y, x) * (1.0f / 255.0f);
        if (h > 0.0f)
            c = paint::mix(c, plan_.halo, h * 0.85f * plan_.intensity);
        const float d = detail_(x, y);
        if (marginBand_ > 0.0f) {
            const float inner = 1.0f - marginBand_ * (0.6f + 0.8f * d);
            c = paint::mix(c, plan_.necrosis, paint::clamp01((std::fabs(local.s) - inner) * 10.0f) * plan_.intensity);
        }
        if (tipStart_ <= 1.0f) {
            const float t = local.t + 0.12f * (d - 0.5f);
            c = paint::mix(c, plan_.necrosis, paint::clamp01((t - tipStart_) * 16.0f) * plan_.intensity);
        }
        float l = spots_(y, x) * (1.0f / 255.0f);
        if (!region_.empty())
            l = std::max(l, affected_(region_(x, y)));
        if (l > 0.0f) {
            // Water-soaked: darker in the middle, with a mottled surface.
            const paint::Colour lesion = plan_.lesion * (0.75f + 0.5f * d);
            c = paint::mix(c, lesion, l * plan_.intensity);
        }
        return c;
    }
    case 2: {  // CGM specks
        const float l = spots_(y, x) * (1.0f / 255.0f);
        return l > 0.0f ? paint::mix(colour, plan_.lesion, l * plan_.intensity) : colour;
    }
    default:
        return colour;
    }
}

}  // namespace cassava
