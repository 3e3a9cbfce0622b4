#pragma once
// Does a photo look like a cassava leaf at all? A network trained on five leaf classes names one
// of them for any picture (a cat, a wall, a screenshot); this check lets a diagnosis abstain
// instead. It looks at two cheap cues of the photo reduced to at most 128 px, so it can run on a
// thumbnail:
// - plant colour: the share of pixels whose hue is a leaf's green (60-170 degrees, from yellowish
//   to bluish green, as phone cameras render cassava leaves), saturated and bright enough;
// - texture: the mean luminance step between neighbouring pixels. A photo of a plant is full of
//   edges (leaf margins, veins, lobes, shadows); a painted wall, a gradient, a screen is not.
// The thresholds keep 99 % of the real photos and of the demo's drawn leaves (BENCHMARKS.md,
// "Abstaining"). It is a colour and texture check, not a recognizer: grass, other plants' leaves
// and green patterned things pass.
#include <opencv2/core/mat.hpp>

namespace cassava {

struct LeafCheck {
    double plantShare = 0;       // share of pixels whose colour is a leaf's green, 0..1
    double texture = 0;          // mean |dx| + |dy| of the luminance (0..255 levels) at <= 128 px
    bool looksLikeLeaf = false;  // both at or above their thresholds
};

// `rgb`: CV_8UC3 in RGB order, any size (it is looked at reduced to at most 128 px). An empty or
// other image gives looksLikeLeaf false.
LeafCheck checkLeaf(const cv::Mat& rgb);

// The thresholds, for tests and the benchmark.
extern const double kLeafMinPlantShare;
extern const double kLeafMinTexture;

}  // namespace cassava
