#pragma once
// The page shown for an open dataset: summary and class counts side by side, problems below.
#include <QWidget>

#include <memory>

class QSplitter;

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class ClassCountChart;
class DatasetSummaryView;
class ProblemsView;

class DatasetOverview : public QWidget {
    Q_OBJECT
public:
    explicit DatasetOverview(QWidget* parent = nullptr);

    void setDataset(std::shared_ptr<const Dataset> dataset);
    void setUnreadable(const QString& root, const QString& reason);
    void clear();

    DatasetSummaryView* summary() const { return summary_; }
    ClassCountChart* chart() const { return chart_; }
    ProblemsView* problems() const { return problems_; }

    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

private:
    std::shared_ptr<const Dataset> dataset_;
    DatasetSummaryView* summary_ = nullptr;
    ClassCountChart* chart_ = nullptr;
    ProblemsView* problems_ = nullptr;
    QSplitter* splitter_ = nullptr;
};

}  // namespace cassava::ui
