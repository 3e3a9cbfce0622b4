#pragma once
// One colour per class, shared by every view that shows classes (chart bars, thumbnails' badges,
// confusion matrices) so a class looks the same everywhere.
#include <QColor>

namespace cassava::ui {

// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies; Healthy is the
// green one. Labels past the palette get evenly spread hues.
QColor classColor(int label);

}  // namespace cassava::ui
