#pragma once
// Does a photo look like a cassava leaf at all? A network trained on five leaf classes names one
// of them for any picture (a cat, a wall, a screenshot); this check lets a diagnosis abstain
// instead. It looks at pixel colours only, so it is cheap enough to run on a thumbnail.
#include <opencv2/core/mat.hpp>

namespace cassava {

struct LeafCheck {
    double plantShare = 0;       // share of pixels whose colour is a leaf's (green to yellow-brown)
    bool looksLikeLeaf = false;  // plantShare at or above the threshold
};

// `rgb`: CV_8UC3 in RGB order, any size (it is looked at reduced to at most 128 px).
LeafCheck checkLeaf(const cv::Mat& rgb);

}  // namespace cassava
