#pragma once
// The geometry of a palmate cassava leaf for the synthetic demo: 5 to 7 long, narrow, lanceolate
// lobes radiating from the top of the petiole. A lobe is described in its own coordinates
// (t along the midrib from base 0 to tip 1, s across from the left margin -1 to the right margin
// +1), so symptoms that follow the leaf's anatomy (veins, margins, tips) are painted in those
// coordinates. Diseases change the shape: mosaic narrows, twists and crinkles the lobes; blight
// wilts them so they droop and curl.
#include "Random.h"

#include <opencv2/core/types.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace cassava {

class Lobe {
public:
    cv::Point2f base;        // where the lobe leaves the petiole
    float angle = 0;         // direction from base to tip, radians (image coordinates, y down)
    float length = 100;      // px
    float halfWidth = 10;    // at the widest point, px
    float widest = 0.4f;     // fraction of the length where the lobe is widest
    float taper = 1.1f;      // how sharply the tip narrows (the exponent of (1 - t))
    float bend = 0;          // sideways displacement of the tip, fraction of the length
    float sway = 0;          // S-shaped sideways displacement (a twisted lobe), fraction of length
    std::array<float, 2> sideScale{1.0f, 1.0f};  // left (s < 0) and right half-widths
    float crinkle = 0;       // amplitude of waves along the margin, fraction of the half-width
    float crinkleCycles = 4;
    std::array<float, 2> crinklePhase{0.0f, 0.0f};

    // Call after changing the fields above: tabulates the profile used by at() and localOf().
    void prepare();

    cv::Point2f direction() const { return dir_; }
    cv::Point2f normal() const { return normal_; }  // points to the right half (s > 0)

    // Half-width at t on one side (0: left, 1: right), px.
    float halfWidthAt(float t, int side) const;
    // Sideways displacement of the midrib at t, px along normal().
    float offsetAt(float t) const;
    cv::Point2f at(float t, float s) const;

    // Closed outline, antialiasing-ready: left margin base to tip, right margin tip to base.
    std::vector<cv::Point2f> outline(int steps = 40) const;
    // A region of the lobe, t in [t0, t1], s in [s0, s1].
    std::vector<cv::Point2f> patch(float t0, float t1, float s0, float s1, int steps = 12) const;
    cv::Rect2f bounds() const;

    // The lobe coordinates of an image point (approximate where the midrib bends strongly):
    // t along the midrib, `across` the signed distance from the midrib in px, s = across divided
    // by the half-width on that side.
    struct Local {
        float t, s, across, halfWidth;
    };
    Local localOf(cv::Point2f p) const
    {
        const cv::Point2f d = p - base;
        const float t = d.dot(dir_) * inverseLength_;
        const float across = d.dot(normal_) - tableLookup(offset_, t);
        const float w = tableLookup(width_[across < 0 ? 0 : 1], t);
        return {t, across / std::max(0.5f, w), across, w};
    }

private:
    static constexpr int kTable = 64;
    static float tableLookup(const std::array<float, kTable + 1>& table, float t)
    {
        const float x = std::min(1.0f, std::max(0.0f, t)) * kTable;
        const int i = std::min(kTable - 1, static_cast<int>(x));
        return table[i] + (table[i + 1] - table[i]) * (x - i);
    }

    cv::Point2f dir_{1, 0}, normal_{0, 1};
    float inverseLength_ = 0.01f;
    std::array<float, kTable + 1> offset_{};
    std::array<std::array<float, kTable + 1>, 2> width_{};
};

struct Leaf {
    cv::Point2f petiole;     // the point the lobes radiate from
    float axis = 0;          // direction of the middle lobe, radians
    float size = 100;        // length of the middle lobe, px
    std::vector<Lobe> lobes; // in drawing order
    cv::Point2f stemEnd;     // the petiole (leaf stalk) runs from stemEnd to petiole
    cv::Point2f stemBend;    // control point of the stalk's curve
    float stemWidth = 3;

    cv::Rect2f bounds() const;
};

// How a leaf grows: healthy plants and each disease shape it differently.
struct LeafForm {
    int lobes = 7;
    float spread = 4.4f;         // angle between the outermost lobes, radians
    float widthRatio = 0.09f;    // widest half-width / length
    float lengthFalloff = 0.45f; // outer lobes are this much shorter than the middle one
    float angleJitter = 0.06f;   // radians
    float lengthJitter = 0.06f;  // fraction
    float bendJitter = 0.04f;    // fraction of length
    float swayJitter = 0.02f;
    float droop = 0;             // lobes bend towards the ground (+y), fraction of length
    float crinkle = 0.015f;
    float asymmetry = 0.05f;     // random difference between the two halves of a lobe
    float shortenChance = 0;     // chance that a lobe is stunted
};

// A plausible form for a leaf of class `label` (0 CBB .. 4 Healthy); `severity` in [0, 1].
LeafForm leafFormFor(int label, float severity, Random& rng);

Leaf growLeaf(const LeafForm& form, cv::Point2f petiole, float axis, float size, Random& rng);

}  // namespace cassava
