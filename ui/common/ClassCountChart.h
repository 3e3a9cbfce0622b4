#pragma once
// Images per class as a bar chart: one bar per class in the class's colour, the short class
// name under it, the count above it; hovering a bar names the class in full.
#include "LabelMap.h"

#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;
class QMouseEvent;

namespace cassava::ui {

class ClassCountChart : public QWidget {
    Q_OBJECT
public:
    explicit ClassCountChart(QWidget* parent = nullptr);

    // counts[i] is the number of images of class i; labels names them.
    void setCounts(const LabelMap& labels, const std::vector<int>& counts);
    void clear();

    int barCount() const { return static_cast<int>(bars_.size()); }
    QCPBars* bars(int label) const;  // one QCPBars per class, its single data point at key label
    QCustomPlot* plot() const { return plot_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    void showToolTip(QMouseEvent* event);

    QCustomPlot* plot_ = nullptr;
    std::vector<QCPBars*> bars_;
    LabelMap labels_;
    std::vector<int> counts_;
};

}  // namespace cassava::ui
