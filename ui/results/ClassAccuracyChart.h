#pragma once
// Per-class accuracy (recall: the share of each given label's images predicted as it) as bars
// in the classes' colours, the percentage above each bar; the dashed line is the OOF accuracy
// over all images.
#include <QStringList>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;

namespace cassava::ui {

class ClassAccuracyChart : public QWidget {
    Q_OBJECT
public:
    explicit ClassAccuracyChart(QWidget* parent = nullptr);

    // accuracy[i] in [0, 1]; overall < 0: no line.
    void setAccuracy(const std::vector<double>& accuracy, const QStringList& shortNames, double overall = -1);
    void clear() { setAccuracy({}, {}); }

    int barCount() const { return static_cast<int>(bars_.size()); }
    QCPBars* bars(int label) const;
    QCustomPlot* plot() const { return plot_; }

    QSize sizeHint() const override { return {360, 220}; }
    QSize minimumSizeHint() const override { return {240, 160}; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QCustomPlot* plot_ = nullptr;
    std::vector<QCPBars*> bars_;
    std::vector<double> accuracy_;
    QStringList names_;
    double overall_ = -1;
};

}  // namespace cassava::ui
