#pragma once
// The colours every chart draws its frame in, taken from the widget's palette so light and dark
// themes both read: text, a subtler text for tick labels and axes, and a faint grid.
#include <QColor>
#include <QPalette>

namespace cassava::ui {

struct PlotColors {
    QColor text;
    QColor subtle;
    QColor grid;
};

inline PlotColors plotColors(const QPalette& palette)
{
    PlotColors c;
    c.text = palette.color(QPalette::WindowText);
    c.subtle = c.text;
    c.subtle.setAlphaF(0.58f);
    c.grid = c.text;
    c.grid.setAlphaF(0.12f);
    return c;
}

}  // namespace cassava::ui
