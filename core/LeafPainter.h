#pragma once
// Paints a synthetic cassava leaf (LeafShape) with its tissue, veins and the symptoms of its class
// (LeafSymptoms) onto a float RGB canvas, one lobe at a time over the lobe's region of interest.
#include "LeafShape.h"
#include "LeafSymptoms.h"

#include <opencv2/core/mat.hpp>

namespace cassava {

class LeafPainter {
public:
    // `coverage`, when given, is a CV_8U mask of the canvas' size that receives the leaf's
    // silhouette (the maximum of what is already there and the leaf's opacity).
    explicit LeafPainter(cv::Mat3f& canvas, cv::Mat1b* coverage = nullptr);

    void paint(const Leaf& leaf, LeafLook look, int label, float severity, Random& rng);

    // The leaf's silhouette at 1/`factor` of the canvas size, in [0, 1]: for soft cast shadows.
    static cv::Mat1f silhouette(const Leaf& leaf, cv::Size canvasSize, int factor);

private:
    void paintStem(const Leaf& leaf, const LeafLook& look);
    void paintLobe(const Lobe& lobe, const LeafLook& look, const SymptomPlan& plan, Random& rng);

    cv::Mat3f& canvas_;
    cv::Mat1b* coverage_;
};

}  // namespace cassava
