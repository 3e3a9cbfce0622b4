#pragma once
// The views a prediction looks at: K local crops of the photo (the recipe's 4 crops of an 800x600
// photo) times N test-time augmentation runs (flips, zoom, contrast). Run 0 of each crop is the
// plain view; runs 1-3 are the horizontal, vertical and double flip; later runs draw flips, zoom
// and contrast at random from the seed. Each view is one affine resampling, like training's
// augmentation, fused with contrast and normalization.
#include "Augment.h"

#include <opencv2/core/types.hpp>

#include <cstdint>
#include <vector>

namespace cassava {

struct TtaOptions {
    int runs = 1;                         // N
    int crops = 1;                        // K: 1 = the centred square of the short side
    double cropFraction = 512.0 / 600.0;  // K >= 2: crop side / the photo's short side
    bool flips = true;
    double zoomMin = -0.2, zoomMax = 0.0;  // runs >= 4: Keras RandomZoom factors (negative zooms in)
    double contrast = 0.2;                 // runs >= 4: factor in [1 - c, 1 + c]
    uint64_t seed = 0;

    int viewsPerImage() const { return runs * crops; }
    bool plain() const { return viewsPerImage() == 1; }
    // The short side a photo needs so that no view upscales it (what decoding may shrink to).
    int sourceShortSide(int size) const;
};

struct View {
    cv::Rect2d window;  // in source pixels, before zoom
    bool flipHorizontal = false;
    bool flipVertical = false;
    double zoom = 0.0;  // window side x (1 + zoom)
    float contrast = 1.0f;
};

// K square windows of side fraction x short side spread over the photo: a grid (2 = the two ends
// of the long side, 4 = the four corners, 6 = 3x2, 9 = 3x3, ...), 5 = four corners and the centre,
// 1 = the centred square of the whole short side.
std::vector<cv::Rect2d> cropWindows(int width, int height, int crops, double fraction);

// Every view of one photo, crop-major: views[crop * runs + run]. `item` varies the random runs
// from photo to photo (the photo's index); the same (seed, item) gives the same views.
std::vector<View> planViews(int width, int height, const TtaOptions& options, uint64_t item);

// The affine map of a view onto a size x size output (for cv::warpAffine with WARP_INVERSE_MAP).
AugmentDraw viewDraw(const View& view, int size);

// Renders a view as a normalized CHW float image of size^2 into `out`.
void renderViewInto(const cv::Mat& rgb, const View& view, int size, const Normalization& normalization,
                    float* out);
// Renders all views of a photo into consecutive images. A view that only mirrors an earlier one
// (TTA runs 1-3 of a crop) is that view's floats mirrored, not a second resampling: the same
// values, a fraction of the work.
void renderViewsInto(const cv::Mat& rgb, const std::vector<View>& views, int size, const Normalization& normalization,
                     float* out);
// The same view as an 8-bit RGB image (previews and tests).
cv::Mat renderViewPreview(const cv::Mat& rgb, const View& view, int size);

}  // namespace cassava
