#pragma once
// A run's learning curves in three stacked plots sharing the epoch axis: loss (per-epoch train
// and validation loss, and the step loss smoothed as TensorBoard does), validation accuracy, and
// the learning rate. Folds are overlaid (one colour per fold; train solid, validation dashed) or
// shown one at a time (one colour per curve). A second run can be drawn beside, dotted, to
// compare. Redraws are throttled: a fast run asks for many, at most a few a second happen.
#include <QWidget>

class QCPAxisRect;
class QCPGraph;
class QCustomPlot;
class QTimer;

namespace cassava {
class RunHistory;
}

namespace cassava::ui {

class CurvesPlot : public QWidget {
    Q_OBJECT
public:
    enum class Series { TrainLoss, ValLoss, StepLoss, ValAccuracy, LearningRate };
    static constexpr int allFolds = -1;

    explicit CurvesPlot(QWidget* parent = nullptr);

    // The histories are read at each redraw and must outlive this widget or be replaced first.
    void setHistory(const RunHistory* history, const QString& name);
    void setComparison(const RunHistory* history, const QString& name);  // nullptr: none
    void setFold(int fold);                // allFolds or a fold number
    void setSmoothing(double weight);      // 0..0.99, the step loss only
    void setLogScale(bool on);             // the loss and learning-rate axes
    int fold() const { return fold_; }
    double smoothing() const { return smoothing_; }
    bool logScale() const { return logScale_; }

    // Asks for a redraw; it happens within the throttle interval, once however often asked.
    void scheduleRedraw();
    void redrawNow();
    int redrawCount() const { return redraws_; }
    static constexpr int throttleMs = 250;

    // The graph of a series for a fold (nullptr when not drawn), for tests and the tour.
    QCPGraph* graph(Series series, int fold, bool comparison = false) const;
    QCustomPlot* plot() const { return plot_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void styleAxes();
    void addHistory(const RunHistory& history, const QString& name, bool comparison);

    QCustomPlot* plot_ = nullptr;
    QCPAxisRect* lossRect_ = nullptr;
    QCPAxisRect* accuracyRect_ = nullptr;
    QCPAxisRect* lrRect_ = nullptr;
    QTimer* throttle_ = nullptr;
    const RunHistory* history_ = nullptr;
    const RunHistory* comparison_ = nullptr;
    QString name_, comparisonName_;
    int fold_ = allFolds;
    double smoothing_ = 0.6;
    bool logScale_ = false;
    int redraws_ = 0;
    struct Drawn {
        Series series;
        int fold;
        bool comparison;
        QCPGraph* graph;
    };
    std::vector<Drawn> drawn_;
};

}  // namespace cassava::ui
