#pragma once
// The dataset at a glance: its name and folder, then images, classes, test images and problems
// as large numbers, a table of classes (colour, full name, count, share), and a banner when the
// dataset cannot be used.
#include <QWidget>

#include <vector>

class QLabel;

namespace cassava {
class Dataset;
class LabelMap;
}

namespace cassava::ui {

class DatasetSummaryView : public QWidget {
    Q_OBJECT
public:
    explicit DatasetSummaryView(QWidget* parent = nullptr);

    void setDataset(const Dataset& dataset);
    // When core could not even start reading the folder (a hard failure it threw).
    void setUnreadable(const QString& root, const QString& reason);
    void clear();

    QString nameText() const;
    QString imageCountText() const;
    QString classCountText() const;
    QString testImageCountText() const;
    QString problemCountText() const;
    bool bannerVisible() const;

private:
    void setFigures(int images, int classes, int testImages, int problems);
    void setClassTable(const LabelMap& labels, const std::vector<int>& counts);
    void setBanner(const QString& text);

    QLabel* name_ = nullptr;
    QLabel* path_ = nullptr;
    QLabel* images_ = nullptr;
    QLabel* classes_ = nullptr;
    QLabel* testImages_ = nullptr;
    QLabel* problems_ = nullptr;
    QLabel* banner_ = nullptr;
    QLabel* classHeading_ = nullptr;
    QWidget* classTable_ = nullptr;  // rebuilt for each dataset
};

}  // namespace cassava::ui
