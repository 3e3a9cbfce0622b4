#pragma once
// The confusion matrix as a heatmap (QCustomPlot's QCPColorMap): given labels on the rows (y, the
// first class on top), predicted classes on the columns (x); each cell's colour is its share of
// the row (the given label's images), and the cell says its count and that share. A colour scale
// beside it; the right axis says how many images each row holds. A click on a cell emits
// cellClicked, so its images can be opened.
#include "Metrics.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemText;
class QMouseEvent;

namespace cassava::ui {

class ConfusionHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionHeatmap(QWidget* parent = nullptr);

    // names: full class names (tooltips); shortNames: the axis labels.
    void setMatrix(const ConfusionMatrix& matrix, const QStringList& shortNames, const QStringList& names);
    void clear();

    int classes() const { return matrix_.classes(); }
    const ConfusionMatrix& matrix() const { return matrix_; }
    // What the cell shows: its count, and its count over the row's total (0 for an empty row).
    qint64 cellCount(int given, int predicted) const;
    double rowShare(int given, int predicted) const;
    QString cellText(int given, int predicted) const;   // the text drawn in the cell
    QColor cellColor(int given, int predicted) const;   // its fill, from the colour scale
    QColor cellTextColor(int given, int predicted) const;
    QCPItemText* cellLabel(int given, int predicted) const;

    // The cell at a plot coordinate (x: predicted, y: given) or at a widget pixel of the plot;
    // false outside the matrix.
    bool cellAtCoords(double x, double y, int* given, int* predicted) const;
    bool cellAtPixel(const QPointF& pixel, int* given, int* predicted) const;
    QPointF cellCentre(int given, int predicted) const;  // in the plot's pixels

    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QCPColorScale* colorScale() const { return scale_; }

    // The heatmap as a file, at the given size in pixels (points for PDF); 0 keeps the widget's.
    bool savePng(const QString& path, int width = 0, int height = 0);
    bool savePdf(const QString& path, int width = 0, int height = 0);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void cellClicked(int given, int predicted);

protected:
    void changeEvent(QEvent* event) override;

private:
    void style();
    void rebuild();
    void mousePressed(QMouseEvent* event);
    void mouseReleased(QMouseEvent* event);
    void mouseMoved(QMouseEvent* event);
    bool isDark() const;

    QCustomPlot* plot_ = nullptr;
    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    ConfusionMatrix matrix_{0};
    QStringList shortNames_, names_;
    std::vector<QCPItemText*> labels_;  // given * classes + predicted
    QPointF pressedAt_{-1, -1};
};

}  // namespace cassava::ui
