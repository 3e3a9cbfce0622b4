#pragma once
// Training augmentation and the validation transform, as the recipes use them, done in one
// resampling: crop window, zoom, rotation and flips compose into a single affine map, so each
// image is interpolated once; contrast and normalization are fused into the conversion to float.
//
// Recipe A (Keras): RandomCrop, RandomFlip("horizontal_and_vertical"), RandomRotation(0.25),
// RandomZoom((-0.2, 0)), RandomContrast(0.2); Keras' factors mean the same here.
#include <opencv2/core/mat.hpp>

#include <array>
#include <cstdint>

namespace cassava {

struct AugmentOptions {
    enum class Crop {
        Random,   // a square window of cropFraction x the short side (recipe A: 512 of 600 px)
        Resized,  // a window of random area and aspect, resized to size (torchvision's RandomResizedCrop)
        Full      // the whole image (short side fitted), only the other transforms
    };
    int size = 224;                      // square output side
    Crop crop = Crop::Resized;
    double cropFraction = 512.0 / 600.0;   // Random: window side / short side
    double minArea = 0.35, maxArea = 1.0;  // Resized: fraction of the image area
    double minAspect = 3.0 / 4.0, maxAspect = 4.0 / 3.0;
    bool flipHorizontal = true;
    bool flipVertical = true;
    double rotationTurns = 0.25;         // angle uniform in +-turns * 360 degrees
    double zoomMin = -0.2, zoomMax = 0.0;  // Keras RandomZoom: negative zooms in by that fraction
    double contrast = 0.2;               // factor uniform in [1 - c, 1 + c] about each channel's mean

    static AugmentOptions none(int size);  // every switch off: a plain resize of the full image

    // The short side images need for this augmentation not to be upscaled (what a cache keeps).
    int sourceShortSide() const;
};

// Per-channel statistics in [0, 1] units, applied as (x / 255 - mean) / std.
struct Normalization {
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  // ImageNet's until adapted to the data
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
};

// Streams per-channel mean and standard deviation over images (the recipe's Normalization.adapt).
class NormalizationStats {
public:
    void add(const cv::Mat& rgb);  // CV_8UC3
    void merge(const NormalizationStats& other);
    Normalization result() const;
    int64_t pixels() const { return count_; }

private:
    std::array<double, 3> sum_{}, sumSquares_{};
    int64_t count_ = 0;
};

// The geometric part of an augmentation, drawn once: maps output pixels to source pixels.
struct AugmentDraw {
    cv::Matx23d outputToSource;  // for cv::warpAffine with WARP_INVERSE_MAP
    float contrast = 1.0f;
};

AugmentDraw drawAugmentation(int sourceWidth, int sourceHeight, const AugmentOptions& options,
                             uint64_t seed);

// Applies a drawn map (and its contrast) to `rgb` (CV_8UC3): a normalized CHW float image of
// size^2 into `out`, or the 8-bit image.
void renderDrawInto(const cv::Mat& rgb, const AugmentDraw& draw, int size, const Normalization& normalization,
                    float* out);
cv::Mat renderDrawPreview(const cv::Mat& rgb, const AugmentDraw& draw, int size);

// Augments `rgb` (CV_8UC3) and writes a normalized CHW float image of options.size^2 into `out`.
void augmentInto(const cv::Mat& rgb, const AugmentOptions& options, uint64_t seed,
                 const Normalization& normalization, float* out);

// The deterministic validation transform: the centred square of the short side, resized.
void centerCropInto(const cv::Mat& rgb, int size, const Normalization& normalization, float* out);

// The 8-bit image before normalization (for previews in the GUI and for tests).
cv::Mat augmentPreview(const cv::Mat& rgb, const AugmentOptions& options, uint64_t seed);

}  // namespace cassava
