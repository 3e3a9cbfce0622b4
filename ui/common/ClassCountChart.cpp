#include "ClassCountChart.h"

#include "PlotColors.h"

#include "ClassColors.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <numeric>

namespace cassava::ui {

ClassCountChart::ClassCountChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    const QPalette pal = palette();
    const auto [text, subtle, grid] = plotColors(pal);

    plot_->setBackground(pal.brush(QPalette::Base));
    plot_->setAntialiasedElements(QCP::aeAll);
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setInteractions(QCP::Interactions());
    plot_->axisRect()->setBackground(pal.brush(QPalette::Base));

    QCPAxis* x = plot_->xAxis;
    QCPAxis* y = plot_->yAxis;
    QFont tickFont = font();
    QFont labelFont = font();
    labelFont.setBold(true);
    x->setTickLabelFont(labelFont);
    x->setTickLabelColor(text);
    x->setBasePen(QPen(subtle));
    x->setTickPen(Qt::NoPen);
    x->setSubTickPen(Qt::NoPen);
    x->grid()->setVisible(false);
    x->setPadding(6);

    y->setTickLabelFont(tickFont);
    y->setTickLabelColor(subtle);
    y->setBasePen(Qt::NoPen);
    y->setTickPen(Qt::NoPen);
    y->setSubTickPen(Qt::NoPen);
    y->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
    y->grid()->setZeroLinePen(QPen(subtle));
    y->setNumberFormat("gb");
    y->setPadding(8);

    connect(plot_, &QCustomPlot::mouseMove, this, &ClassCountChart::showToolTip);
    clear();
}

void ClassCountChart::clear()
{
    setCounts(LabelMap{}, {});
}

void ClassCountChart::setCounts(const LabelMap& labels, const std::vector<int>& counts)
{
    labels_ = labels;
    counts_ = counts;
    plot_->clearPlottables();
    plot_->clearItems();
    bars_.clear();

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int classes = static_cast<int>(counts.size());
    const int maxCount = classes ? *std::max_element(counts.begin(), counts.end()) : 0;
    QFont countFont = font();
    countFont.setBold(true);

    for (int label = 0; label < classes; ++label) {
        const int count = counts[static_cast<size_t>(label)];
        const QColor color = classColor(label);
        auto* bar = new QCPBars(plot_->xAxis, plot_->yAxis);
        bar->setName(labels.contains(label) ? QString::fromStdString(labels.name(label))
                                            : QString::number(label));
        bar->setWidth(0.62);
        bar->setPen(QPen(color.darker(115), 1));
        bar->setBrush(color);
        bar->addData(label, count);
        bars_.push_back(bar);

        ticker->addTick(label, labels.contains(label) ? QString::fromStdString(labels.shortName(label))
                                                      : QString::number(label));

        auto* value = new QCPItemText(plot_);
        value->setClipToAxisRect(false);
        value->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        value->position->setType(QCPItemPosition::ptPlotCoords);
        value->position->setCoords(label, count);
        value->setPadding(QMargins(0, 0, 0, 3));
        value->setFont(countFont);
        value->setColor(palette().color(QPalette::WindowText));
        value->setText(QLocale().toString(count));
    }

    // With nothing to count, an empty axis from 0 to 1 would suggest fractions of images.
    plot_->yAxis->setTickLabels(maxCount > 0);
    plot_->yAxis->grid()->setVisible(maxCount > 0);
    if (classes > 0 && maxCount == 0) {
        auto* nothing = new QCPItemText(plot_);
        nothing->position->setType(QCPItemPosition::ptAxisRectRatio);
        nothing->position->setCoords(0.5, 0.45);
        nothing->setText(tr("No valid images to count"));
        nothing->setColor(palette().color(QPalette::PlaceholderText));
    }

    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setRange(-0.6, std::max(classes, 1) - 0.4);
    // Headroom so the count above the tallest bar is not clipped.
    plot_->yAxis->setRange(0, std::max(maxCount * 1.15, 1.0));
    if (maxCount > 0 && maxCount < 5) {
        auto integerTicks = QSharedPointer<QCPAxisTickerFixed>::create();
        integerTicks->setTickStep(1);
        plot_->yAxis->setTicker(integerTicks);
    } else {
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    plot_->replot();
}

QCPBars* ClassCountChart::bars(int label) const
{
    return label >= 0 && label < barCount() ? bars_[static_cast<size_t>(label)] : nullptr;
}

QSize ClassCountChart::sizeHint() const { return {520, 300}; }

QSize ClassCountChart::minimumSizeHint() const { return {280, 200}; }

void ClassCountChart::showToolTip(QMouseEvent* event)
{
    const QPointF pos = event->position();
    const int label = static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(pos.x())));
    auto* bar = qobject_cast<QCPBars*>(plot_->plottableAt(pos));
    if (!bar || label < 0 || label >= barCount()) {
        QToolTip::hideText();
        return;
    }
    const int count = counts_[static_cast<size_t>(label)];
    const int total = std::accumulate(counts_.begin(), counts_.end(), 0);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("<b>%1</b><br>%L2 images (%3 %)")
                           .arg(bar->name().toHtmlEscaped())
                           .arg(count)
                           .arg(total ? 100.0 * count / total : 0.0, 0, 'f', 1),
                       plot_);
}

}  // namespace cassava::ui
