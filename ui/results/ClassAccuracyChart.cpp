#include "ClassAccuracyChart.h"

#include "PlotColors.h"

#include "ClassColors.h"

#include <QEvent>
#include <QLocale>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace cassava::ui {

ClassAccuracyChart::ClassAccuracyChart(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setInteractions(QCP::Interactions());
    plot_->setAntialiasedElements(QCP::aeAll);
    rebuild();
}

QCPBars* ClassAccuracyChart::bars(int label) const
{
    return label >= 0 && label < barCount() ? bars_[static_cast<size_t>(label)] : nullptr;
}

void ClassAccuracyChart::setAccuracy(const std::vector<double>& accuracy, const QStringList& shortNames, double overall)
{
    accuracy_ = accuracy;
    names_ = shortNames;
    overall_ = overall;
    rebuild();
}

void ClassAccuracyChart::rebuild()
{
    const QPalette pal = palette();
    const auto [text, subtle, grid] = plotColors(pal);
    plot_->setBackground(pal.brush(QPalette::Base));
    plot_->axisRect()->setBackground(pal.brush(QPalette::Base));
    plot_->clearPlottables();
    plot_->clearItems();
    bars_.clear();

    QFont bold = font();
    bold.setBold(true);
    QCPAxis* x = plot_->xAxis;
    QCPAxis* y = plot_->yAxis;
    x->setTickLabelFont(bold);
    x->setTickLabelColor(text);
    x->setBasePen(QPen(subtle));
    x->setTickPen(Qt::NoPen);
    x->setSubTickPen(Qt::NoPen);
    x->grid()->setVisible(false);
    y->setTickLabelColor(subtle);
    y->setBasePen(Qt::NoPen);
    y->setTickPen(Qt::NoPen);
    y->setSubTickPen(Qt::NoPen);
    y->grid()->setPen(QPen(grid, 1));
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    for (int p = 0; p <= 100; p += 25)
        yTicks->addTick(p / 100.0, QStringLiteral("%1 %").arg(p));
    y->setTicker(yTicks);

    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    const int n = static_cast<int>(accuracy_.size());
    const QLocale locale;
    for (int c = 0; c < n; ++c) {
        const QColor color = classColor(c);
        auto* bar = new QCPBars(x, y);
        bar->setWidth(0.62);
        bar->setPen(QPen(color.darker(115), 1));
        bar->setBrush(color);
        bar->addData(c, accuracy_[static_cast<size_t>(c)]);
        bars_.push_back(bar);
        xTicks->addTick(c, c < names_.size() ? names_[c] : QString::number(c));
        auto* value = new QCPItemText(plot_);
        value->setClipToAxisRect(false);
        value->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        value->position->setType(QCPItemPosition::ptPlotCoords);
        value->position->setCoords(c, accuracy_[static_cast<size_t>(c)]);
        value->setPadding(QMargins(0, 0, 0, 3));
        value->setFont(bold);
        value->setColor(text);
        value->setText(locale.toString(100.0 * accuracy_[static_cast<size_t>(c)], 'f', 1) + QStringLiteral(" %"));
    }
    // The overall accuracy as a dashed line, named on the right axis where no bar is in its way.
    QCPAxis* right = plot_->yAxis2;
    right->setVisible(overall_ >= 0 && n > 0);
    right->setBasePen(Qt::NoPen);
    right->setTickPen(Qt::NoPen);
    right->setSubTickPen(Qt::NoPen);
    right->setTickLabelColor(subtle);
    right->grid()->setVisible(false);
    auto overallTick = QSharedPointer<QCPAxisTickerText>::create();
    if (overall_ >= 0 && n > 0) {
        auto* line = new QCPItemStraightLine(plot_);
        line->point1->setCoords(0, overall_);
        line->point2->setCoords(1, overall_);
        line->setPen(QPen(subtle, 1, Qt::DashLine));
        overallTick->addTick(overall_, tr("all %1 %").arg(locale.toString(100.0 * overall_, 'f', 1)));
    }
    right->setTicker(overallTick);
    right->setRange(0, 1.15);
    x->setTicker(xTicks);
    x->setRange(-0.6, std::max(n, 1) - 0.4);
    y->setRange(0, 1.15);  // room for the percentage above a full bar
    plot_->replot();
}

void ClassAccuracyChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuild();
}

}  // namespace cassava::ui
