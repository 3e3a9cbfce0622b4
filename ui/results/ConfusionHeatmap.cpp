#include "ConfusionHeatmap.h"

#include <QEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace cassava::ui {

namespace {

// Perceived brightness of a colour in [0, 1] (Rec. 601 weights): light cells get dark text.
double brightness(const QColor& c) { return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF(); }

QString percent(double share)
{
    return QLocale().toString(100.0 * share, 'f', 1) + QStringLiteral(" %");
}

}  // namespace

ConfusionHeatmap::ConfusionHeatmap(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setInteractions(QCP::Interactions());
    plot_->setMouseTracking(true);

    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);
    map_->setDataRange(QCPRange(0, 1));
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->setBarWidth(14);
    scale_->setRangeDrag(false);
    scale_->setRangeZoom(false);
    map_->setColorScale(scale_);
    map_->setDataRange(QCPRange(0, 1));
    auto* group = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    auto ticks = QSharedPointer<QCPAxisTickerText>::create();
    for (int p = 0; p <= 100; p += 25)
        ticks->addTick(p / 100.0, QStringLiteral("%1 %").arg(p));
    scale_->axis()->setTicker(ticks);
    scale_->axis()->setLabel(tr("Share of the given label's images"));

    plot_->yAxis->setRangeReversed(true);  // the first class on top, as a matrix reads
    plot_->yAxis2->setVisible(true);
    plot_->yAxis2->setRangeReversed(true);
    plot_->xAxis->setLabel(tr("Predicted class"));
    plot_->yAxis->setLabel(tr("Given label"));
    plot_->yAxis2->setLabel(tr("Images"));

    connect(plot_, &QCustomPlot::mousePress, this, &ConfusionHeatmap::mousePressed);
    connect(plot_, &QCustomPlot::mouseRelease, this, &ConfusionHeatmap::mouseReleased);
    connect(plot_, &QCustomPlot::mouseMove, this, &ConfusionHeatmap::mouseMoved);
    style();
    rebuild();
}

QSize ConfusionHeatmap::sizeHint() const { return {620, 520}; }
QSize ConfusionHeatmap::minimumSizeHint() const { return {360, 300}; }

bool ConfusionHeatmap::isDark() const { return palette().color(QPalette::Base).lightnessF() < 0.5; }

void ConfusionHeatmap::style()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    QColor subtle = text;
    subtle.setAlphaF(0.6f);
    plot_->setBackground(pal.brush(QPalette::Base));
    plot_->axisRect()->setBackground(pal.brush(QPalette::Base));
    QFont bold = font();
    bold.setBold(true);
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis, plot_->yAxis2, scale_->axis()}) {
        axis->setBasePen(Qt::NoPen);
        axis->setTickPen(Qt::NoPen);
        axis->setSubTickPen(Qt::NoPen);
        axis->grid()->setVisible(false);
        axis->setTickLabelColor(text);
        axis->setLabelColor(subtle);
        axis->setLabelFont(font());
        axis->setTickLabelFont(axis == scale_->axis() || axis == plot_->yAxis2 ? font() : bold);
        axis->setPadding(4);
    }
    plot_->yAxis2->setTickLabelColor(subtle);
    // The colour bar's frame: its rect's other axes draw it, black by default.
    QColor frame = text;
    frame.setAlphaF(0.3f);
    if (QCPAxisRect* bar = scale_->axis()->axisRect())
        for (QCPAxis* axis : bar->axes())
            if (axis != scale_->axis())
                axis->setBasePen(QPen(frame, 1));
    // A sequential blue: from the page's own background (an empty cell is nearly invisible) to a
    // saturated end that stays readable with light text in a light palette and dark in a dark one.
    QCPColorGradient gradient;
    gradient.clearColorStops();
    const QColor base = pal.color(QPalette::Base);
    if (isDark()) {
        gradient.setColorStopAt(0, base.lighter(135));
        gradient.setColorStopAt(0.5, QColor(0x2b, 0x6c, 0xb0));
        gradient.setColorStopAt(1, QColor(0x8c, 0xcb, 0xff));
    } else {
        gradient.setColorStopAt(0, QColor(0xf3, 0xf7, 0xfc));
        gradient.setColorStopAt(0.5, QColor(0x6b, 0xae, 0xd6));
        gradient.setColorStopAt(1, QColor(0x08, 0x45, 0x94));
    }
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    map_->setGradient(gradient);
}

void ConfusionHeatmap::setMatrix(const ConfusionMatrix& matrix, const QStringList& shortNames, const QStringList& names)
{
    matrix_ = matrix;
    shortNames_ = shortNames;
    names_ = names;
    rebuild();
}

void ConfusionHeatmap::clear() { setMatrix(ConfusionMatrix(0), {}, {}); }

qint64 ConfusionHeatmap::cellCount(int given, int predicted) const
{
    const int n = classes();
    return given >= 0 && given < n && predicted >= 0 && predicted < n ? matrix_.at(given, predicted) : 0;
}

double ConfusionHeatmap::rowShare(int given, int predicted) const
{
    const int n = classes();
    if (given < 0 || given >= n)
        return 0;
    const qint64 row = matrix_.support(given);
    return row > 0 ? static_cast<double>(cellCount(given, predicted)) / static_cast<double>(row) : 0.0;
}

QString ConfusionHeatmap::cellText(int given, int predicted) const
{
    return QLocale().toString(cellCount(given, predicted)) + QLatin1Char('\n') + percent(rowShare(given, predicted));
}

QColor ConfusionHeatmap::cellColor(int given, int predicted) const
{
    return QColor::fromRgb(map_->gradient().color(rowShare(given, predicted), QCPRange(0, 1)));
}

QColor ConfusionHeatmap::cellTextColor(int given, int predicted) const
{
    return brightness(cellColor(given, predicted)) > 0.55 ? QColor(0x1a, 0x1a, 0x1a) : QColor(0xfa, 0xfa, 0xfa);
}

QCPItemText* ConfusionHeatmap::cellLabel(int given, int predicted) const
{
    const int n = classes();
    if (given < 0 || given >= n || predicted < 0 || predicted >= n)
        return nullptr;
    return labels_[static_cast<size_t>(given * n + predicted)];
}

void ConfusionHeatmap::rebuild()
{
    plot_->clearItems();
    labels_.clear();
    const int n = classes();
    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto rowTicks = QSharedPointer<QCPAxisTickerText>::create();
    const QLocale locale;
    for (int c = 0; c < n; ++c) {
        const QString name = c < shortNames_.size() ? shortNames_[c] : QString::number(c);
        xTicks->addTick(c, name);
        yTicks->addTick(c, name);
        rowTicks->addTick(c, locale.toString(matrix_.support(c)));
    }
    plot_->xAxis->setTicker(xTicks);
    plot_->yAxis->setTicker(yTicks);
    plot_->yAxis2->setTicker(rowTicks);
    const QCPRange range(-0.5, std::max(n, 1) - 0.5);
    plot_->xAxis->setRange(range);
    plot_->yAxis->setRange(range);
    plot_->yAxis2->setRange(range);

    map_->data()->setSize(std::max(n, 1), std::max(n, 1));
    map_->data()->setRange(QCPRange(0, std::max(n - 1, 0)), QCPRange(0, std::max(n - 1, 0)));
    map_->data()->fill(0);
    map_->setVisible(n > 0);
    QFont cellFont = font();
    cellFont.setBold(true);
    for (int g = 0; g < n; ++g)
        for (int p = 0; p < n; ++p) {
            map_->data()->setCell(p, g, rowShare(g, p));
            auto* label = new QCPItemText(plot_);
            label->position->setType(QCPItemPosition::ptPlotCoords);
            label->position->setCoords(p, g);
            label->setPositionAlignment(Qt::AlignCenter);
            label->setTextAlignment(Qt::AlignCenter);
            label->setFont(cellFont);
            label->setColor(cellTextColor(g, p));
            label->setText(cellText(g, p));
            labels_.push_back(label);
        }
    // Thin gaps in the page's colour between the cells.
    const QPen gap(palette().color(QPalette::Base), 2);
    for (int c = 1; c < n; ++c) {
        for (bool vertical : {true, false}) {
            auto* line = new QCPItemLine(plot_);
            line->setPen(gap);
            line->start->setCoords(vertical ? c - 0.5 : -0.5, vertical ? -0.5 : c - 0.5);
            line->end->setCoords(vertical ? c - 0.5 : n - 0.5, vertical ? n - 0.5 : c - 0.5);
        }
    }
    if (n == 0) {
        auto* nothing = new QCPItemText(plot_);
        nothing->position->setType(QCPItemPosition::ptAxisRectRatio);
        nothing->position->setCoords(0.5, 0.5);
        nothing->setText(tr("No confusion matrix"));
        nothing->setColor(palette().color(QPalette::PlaceholderText));
    }
    plot_->xAxis->setTickLabels(n > 0);
    plot_->yAxis->setTickLabels(n > 0);
    plot_->replot();
}

bool ConfusionHeatmap::cellAtCoords(double x, double y, int* given, int* predicted) const
{
    const int n = classes();
    const int p = static_cast<int>(std::floor(x + 0.5)), g = static_cast<int>(std::floor(y + 0.5));
    if (n == 0 || p < 0 || p >= n || g < 0 || g >= n)
        return false;
    if (given)
        *given = g;
    if (predicted)
        *predicted = p;
    return true;
}

bool ConfusionHeatmap::cellAtPixel(const QPointF& pixel, int* given, int* predicted) const
{
    if (!plot_->axisRect()->rect().contains(pixel.toPoint()))
        return false;
    return cellAtCoords(plot_->xAxis->pixelToCoord(pixel.x()), plot_->yAxis->pixelToCoord(pixel.y()), given, predicted);
}

QPointF ConfusionHeatmap::cellCentre(int given, int predicted) const
{
    return {plot_->xAxis->coordToPixel(predicted), plot_->yAxis->coordToPixel(given)};
}

void ConfusionHeatmap::mousePressed(QMouseEvent* event) { pressedAt_ = event->position(); }

void ConfusionHeatmap::mouseReleased(QMouseEvent* event)
{
    int g = -1, p = -1;
    const QPointF at = event->position();
    if (event->button() == Qt::LeftButton && (at - pressedAt_).manhattanLength() < 8 && cellAtPixel(at, &g, &p))
        emit cellClicked(g, p);
    pressedAt_ = QPointF(-1, -1);
}

void ConfusionHeatmap::mouseMoved(QMouseEvent* event)
{
    int g = -1, p = -1;
    if (!cellAtPixel(event->position(), &g, &p)) {
        plot_->unsetCursor();
        QToolTip::hideText();
        return;
    }
    plot_->setCursor(Qt::PointingHandCursor);
    auto name = [this](int c) { return c < names_.size() ? names_[c] : QString::number(c); };
    const qint64 count = cellCount(g, p);
    const QString text = tr("Given %1, predicted %2:\n%3 of %4 images (%5). Click to see them.")
                             .arg(name(g), name(p), QLocale().toString(count), QLocale().toString(matrix_.support(g)),
                                  percent(rowShare(g, p)));
    QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

bool ConfusionHeatmap::savePng(const QString& path, int width, int height)
{
    plot_->replot();
    return plot_->savePng(path, width, height, 2.0);
}

bool ConfusionHeatmap::savePdf(const QString& path, int width, int height)
{
    plot_->replot();
    return plot_->savePdf(path, width, height, QCP::epNoCosmetic, QStringLiteral("Cassava Studio"),
                          tr("Confusion matrix"));
}

void ConfusionHeatmap::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        style();
        rebuild();
    }
}

}  // namespace cassava::ui
