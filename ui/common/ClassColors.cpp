#include "ClassColors.h"

#include <array>
#include <cmath>

namespace cassava::ui {

QColor classColor(int label)
{
    static const std::array<QColor, 5> palette = {
        QColor(0xD5, 0x5E, 0x00),  // 0 CBB: vermillion
        QColor(0xE6, 0x9F, 0x00),  // 1 CBSD: orange
        QColor(0xCC, 0x79, 0xA7),  // 2 CGM: reddish purple
        QColor(0x00, 0x72, 0xB2),  // 3 CMD: blue
        QColor(0x00, 0x9E, 0x73),  // 4 Healthy: bluish green
    };
    if (label >= 0 && label < static_cast<int>(palette.size()))
        return palette[static_cast<size_t>(label)];
    // Golden-ratio steps around the hue circle keep neighbouring labels apart.
    const double hue = std::fmod(0.61803398875 * std::max(label, 0), 1.0);
    return QColor::fromHsvF(static_cast<float>(hue), 0.55f, 0.8f);
}

}  // namespace cassava::ui
