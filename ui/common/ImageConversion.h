#pragma once
// Pixels from core (cv::Mat, 8-bit RGB, as ImageIo decodes them) into Qt's image type.
#include <opencv2/core/mat.hpp>

#include <QImage>

namespace cassava::ui {

// A deep copy in QImage::Format_RGB888; a null image for an empty or non-CV_8UC3 matrix.
QImage imageFromRgb(const cv::Mat& rgb);

}  // namespace cassava::ui
