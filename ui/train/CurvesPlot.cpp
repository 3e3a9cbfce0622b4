#include "CurvesPlot.h"

#include "PlotColors.h"

#include "RunHistory.h"

#include <QEvent>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cassava::ui {
namespace {

// Tableau's ten colours for folds (class colours mean classes elsewhere in the app).
QColor foldColor(int fold)
{
    static const QColor colours[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
                                     QColor(0xe1, 0x57, 0x59), QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2),
                                     QColor(0xed, 0xc9, 0x48), QColor(0x9c, 0x75, 0x5f), QColor(0xff, 0x9d, 0xa7),
                                     QColor(0xba, 0xb0, 0xac)};
    return colours[static_cast<size_t>(std::max(0, fold)) % std::size(colours)];
}

QColor seriesColor(CurvesPlot::Series series)
{
    switch (series) {
    case CurvesPlot::Series::TrainLoss: return QColor(0x4e, 0x79, 0xa7);
    case CurvesPlot::Series::StepLoss: return QColor(0x4e, 0x79, 0xa7);
    case CurvesPlot::Series::ValLoss: return QColor(0xf2, 0x8e, 0x2b);
    case CurvesPlot::Series::ValAccuracy: return QColor(0x59, 0xa1, 0x4f);
    case CurvesPlot::Series::LearningRate: return QColor(0x9c, 0x75, 0x5f);
    }
    return Qt::gray;
}

QString seriesName(CurvesPlot::Series series)
{
    switch (series) {
    case CurvesPlot::Series::TrainLoss: return CurvesPlot::tr("train loss");
    case CurvesPlot::Series::ValLoss: return CurvesPlot::tr("validation loss");
    case CurvesPlot::Series::StepLoss: return CurvesPlot::tr("step loss");
    case CurvesPlot::Series::ValAccuracy: return CurvesPlot::tr("validation accuracy");
    case CurvesPlot::Series::LearningRate: return CurvesPlot::tr("learning rate");
    }
    return {};
}

void setAxisLog(QCPAxis* axis, bool on)
{
    axis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
}

// The range of positive finite values (for a log axis) or of all finite ones.
bool valueRange(const std::vector<QCPGraph*>& graphs, bool positiveOnly, double* low, double* high)
{
    *low = std::numeric_limits<double>::max();
    *high = std::numeric_limits<double>::lowest();
    for (QCPGraph* g : graphs)
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            if (std::isfinite(it->value) && (!positiveOnly || it->value > 0)) {
                *low = std::min(*low, it->value);
                *high = std::max(*high, it->value);
            }
    return *low <= *high;
}

}  // namespace

CurvesPlot::CurvesPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)), throttle_(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->plotLayout()->clear();
    lossRect_ = new QCPAxisRect(plot_);
    accuracyRect_ = new QCPAxisRect(plot_);
    lrRect_ = new QCPAxisRect(plot_);
    // The legend has a row of its own above the plots, where it never covers a curve.
    plot_->legend = new QCPLegend;
    plot_->plotLayout()->addElement(0, 0, plot_->legend);
    plot_->plotLayout()->addElement(1, 0, lossRect_);
    plot_->plotLayout()->addElement(2, 0, accuracyRect_);
    plot_->plotLayout()->addElement(3, 0, lrRect_);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    plot_->plotLayout()->setRowStretchFactor(1, 3);
    plot_->plotLayout()->setRowStretchFactor(2, 2);
    plot_->plotLayout()->setRowStretchFactor(3, 1.2);
    plot_->plotLayout()->setRowSpacing(2);
    // The three left axes line up, whatever their tick labels' widths.
    auto* margins = new QCPMarginGroup(plot_);
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_, lrRect_})
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    lossRect_->axis(QCPAxis::atLeft)->setLabel(tr("Loss"));
    accuracyRect_->axis(QCPAxis::atLeft)->setLabel(tr("Val. accuracy"));
    lrRect_->axis(QCPAxis::atLeft)->setLabel(tr("LR"));
    lrRect_->axis(QCPAxis::atBottom)->setLabel(tr("Epoch"));
    lrRect_->axis(QCPAxis::atLeft)->setNumberFormat("g");
    lrRect_->axis(QCPAxis::atLeft)->setNumberPrecision(2);
    accuracyRect_->axis(QCPAxis::atLeft)->setNumberFormat("f");
    accuracyRect_->axis(QCPAxis::atLeft)->setNumberPrecision(2);

    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setWrap(6);
    plot_->legend->setMargins(QMargins(6, 2, 6, 2));
    plot_->legend->setLayer(QStringLiteral("legend"));
    plot_->legend->setVisible(true);
    plot_->setAntialiasedElements(QCP::aePlottables | QCP::aeLegendItems);
    plot_->setNoAntialiasingOnDrag(true);
    styleAxes();

    throttle_->setSingleShot(true);
    throttle_->setInterval(throttleMs);
    connect(throttle_, &QTimer::timeout, this, &CurvesPlot::redrawNow);
    redrawNow();
}

void CurvesPlot::styleAxes()
{
    const QPalette pal = palette();
    const auto [text, subtle, grid] = plotColors(pal);
    plot_->setBackground(pal.brush(QPalette::Base));
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_, lrRect_}) {
        rect->setBackground(pal.brush(QPalette::Base));
        for (QCPAxis* axis : {rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft)}) {
            axis->setBasePen(QPen(subtle));
            axis->setTickPen(QPen(subtle));
            axis->setSubTickPen(QPen(subtle));
            axis->setTickLabelColor(subtle);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid));
            axis->grid()->setSubGridVisible(false);
        }
    }
    plot_->legend->setBrush(Qt::NoBrush);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->legend->setTextColor(text);
}

void CurvesPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        styleAxes();
        redrawNow();
    }
}

void CurvesPlot::setHistory(const RunHistory* history, const QString& name)
{
    history_ = history;
    name_ = name;
    redrawNow();
}

void CurvesPlot::setComparison(const RunHistory* history, const QString& name)
{
    comparison_ = history;
    comparisonName_ = name;
    redrawNow();
}

void CurvesPlot::setFold(int fold)
{
    fold_ = fold;
    redrawNow();
}

void CurvesPlot::setSmoothing(double weight)
{
    smoothing_ = std::clamp(weight, 0.0, 0.99);
    redrawNow();
}

void CurvesPlot::setLogScale(bool on)
{
    logScale_ = on;
    redrawNow();
}

void CurvesPlot::scheduleRedraw()
{
    if (!throttle_->isActive())
        throttle_->start();
}

QCPGraph* CurvesPlot::graph(Series series, int fold, bool comparison) const
{
    for (const Drawn& d : drawn_)
        if (d.series == series && d.fold == fold && d.comparison == comparison)
            return d.graph;
    return nullptr;
}

void CurvesPlot::addHistory(const RunHistory& history, const QString& name, bool comparison)
{
    std::vector<int> folds = history.folds();
    if (fold_ != allFolds)
        folds.erase(std::remove_if(folds.begin(), folds.end(), [&](int f) { return f != fold_; }), folds.end());
    const bool byFold = folds.size() > 1;
    bool legendDone = false;
    for (const int fold : folds) {
        const auto epochs = history.epochs(fold);
        const auto steps = history.steps(fold);
        auto add = [&](Series series, QCPAxisRect* rect, const QVector<double>& x, const QVector<double>& y) {
            if (x.isEmpty())
                return;
            QCPGraph* g = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            g->setData(x, y, true);
            QColor colour = byFold ? foldColor(fold) : seriesColor(series);
            Qt::PenStyle style = series == Series::ValLoss && byFold ? Qt::DashLine : Qt::SolidLine;
            double width = 2;
            if (series == Series::StepLoss) {
                colour.setAlphaF(0.6f);
                width = 1;
            }
            if (comparison) {
                colour = colour.darker(130);
                colour.setAlphaF(colour.alphaF() * 0.8f);
                style = Qt::DotLine;
            }
            g->setPen(QPen(colour, width, style));
            const bool epochSeries = series != Series::StepLoss;
            if (epochSeries && series != Series::LearningRate)
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, width * 2.5));
            const QString label = (comparison ? name + QStringLiteral(": ") : QString()) + seriesName(series) +
                                  (byFold ? tr(" (fold %1)").arg(fold) : QString());
            g->setName(label);
            // The legend names the curves once; with folds overlaid, the first fold speaks for all
            // and the fold colours are explained by the fold selector.
            if (legendDone || series == Series::LearningRate)
                g->removeFromLegend();
            drawn_.push_back({series, fold, comparison, g});
        };
        QVector<double> ex, trainLoss, valLoss, accuracy, lr;
        for (const auto& e : epochs) {
            ex << e.epoch + 1.0;
            trainLoss << e.trainLoss;
            valLoss << e.valLoss;
            accuracy << e.valAccuracy;
        }
        QVector<double> sx, stepLr;
        std::vector<double> stepLoss;
        for (const auto& s : steps) {
            sx << s.epoch;
            stepLoss.push_back(s.loss);
            stepLr << s.lr;
        }
        const auto smooth = smoothCurve(stepLoss, smoothing_);
        add(Series::StepLoss, lossRect_, sx, QVector<double>(smooth.begin(), smooth.end()));
        add(Series::TrainLoss, lossRect_, ex, trainLoss);
        add(Series::ValLoss, lossRect_, ex, valLoss);
        add(Series::ValAccuracy, accuracyRect_, ex, accuracy);
        if (!sx.isEmpty()) {
            add(Series::LearningRate, lrRect_, sx, stepLr);
        } else {
            for (const auto& e : epochs)
                lr << e.lr;
            add(Series::LearningRate, lrRect_, ex, lr);
        }
        legendDone = !ex.isEmpty() || !sx.isEmpty();
    }
}

void CurvesPlot::redrawNow()
{
    throttle_->stop();
    ++redraws_;
    plot_->clearGraphs();
    drawn_.clear();
    if (history_)
        addHistory(*history_, name_, false);
    if (comparison_)
        addHistory(*comparison_, comparisonName_, true);

    setAxisLog(lossRect_->axis(QCPAxis::atLeft), logScale_);
    setAxisLog(lrRect_->axis(QCPAxis::atLeft), logScale_);
    lrRect_->axis(QCPAxis::atLeft)->ticker()->setTickCount(2);  // a short plot: two labels read

    std::vector<QCPGraph*> loss, lr, all;
    for (const Drawn& d : drawn_) {
        all.push_back(d.graph);
        if (d.series == Series::LearningRate)
            lr.push_back(d.graph);
        else if (d.series != Series::ValAccuracy)
            loss.push_back(d.graph);
    }
    double lowX = 0, highX = 1;
    {
        double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
        for (QCPGraph* g : all)
            if (!g->data()->isEmpty()) {
                lo = std::min(lo, g->data()->constBegin()->key);
                hi = std::max(hi, (g->data()->constEnd() - 1)->key);
            }
        if (lo <= hi) {
            lowX = std::min(0.0, lo);
            highX = std::max(hi, 1.0);
        }
    }
    for (QCPAxisRect* rect : {lossRect_, accuracyRect_, lrRect_})
        rect->axis(QCPAxis::atBottom)->setRange(lowX, highX + (highX - lowX) * 0.02);
    double lo = 0, hi = 0;
    if (valueRange(loss, logScale_, &lo, &hi))
        lossRect_->axis(QCPAxis::atLeft)->setRange(logScale_ ? lo / 1.3 : 0, logScale_ ? hi * 1.3 : hi * 1.08);
    else
        lossRect_->axis(QCPAxis::atLeft)->setRange(logScale_ ? 0.1 : 0, 2);
    accuracyRect_->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    if (valueRange(lr, logScale_, &lo, &hi))
        lrRect_->axis(QCPAxis::atLeft)->setRange(logScale_ ? lo / 1.5 : 0, logScale_ ? hi * 1.5 : hi * 1.1);
    else
        lrRect_->axis(QCPAxis::atLeft)->setRange(logScale_ ? 1e-5 : 0, logScale_ ? 1e-2 : 1e-3);
    plot_->legend->setVisible(plot_->legend->itemCount() > 0);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace cassava::ui
