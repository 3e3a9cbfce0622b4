#pragma once
// How a diagnosis is drawn, shared by the cards (a delegate) and the details pane (widgets), so
// both show the same bars in the same colours. Colours come from ClassColors and the palette:
// everything stays readable in dark mode.
#include <QColor>
#include <QPalette>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class QPainter;

namespace cassava::ui {

bool isDarkPalette(const QPalette& palette);
// A class colour as text on the palette's base (lightened on dark backgrounds).
QColor classTextColor(int label, const QPalette& palette);
QColor errorTextColor(const QPalette& palette);
QColor trackColor(const QPalette& palette);  // the empty part of a bar

// A horizontal bar filled to `value` (0..1) in `colour`, with rounded ends.
void paintBar(QPainter& p, const QRectF& rect, double value, const QColor& colour, const QPalette& palette);

// One row per class: short name, bar, percentage; the `highlighted` class in bold. `dimmed`
// draws them faded (an abstained diagnosis still shows what the network thought).
void paintProbabilityRows(QPainter& p, const QRect& rect, const std::vector<float>& probabilities,
                          const QStringList& shortNames, int highlighted, bool dimmed, const QPalette& palette);

// "87 %"
QString percentText(double value);

// The probability rows as a widget (details pane, plant summary).
class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);
    void setProbabilities(const std::vector<float>& probabilities, const QStringList& shortNames, int highlighted,
                          bool dimmed);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int rowHeight() const;
    std::vector<float> probabilities_;
    QStringList names_;
    int highlighted_ = -1;
    bool dimmed_ = false;
};

// A single thick bar with the confidence written beside it.
class ConfidenceBar : public QWidget {
    Q_OBJECT
public:
    explicit ConfidenceBar(QWidget* parent = nullptr);
    void setConfidence(double value, const QColor& colour, bool dimmed);
    double confidence() const { return value_; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    double value_ = 0;
    QColor colour_;
    bool dimmed_ = false;
};

}  // namespace cassava::ui
