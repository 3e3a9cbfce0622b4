#pragma once
// What the window shows when nothing is open: the three ways in (open a dataset, try the demo,
// diagnose photos) and the datasets and runs opened lately.
#include <QWidget>

class QListWidget;
class QListWidgetItem;

namespace cassava::ui {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);

    void setRecentDatasets(const QStringList& paths);
    void setRecentRuns(const QStringList& paths);
    QListWidget* recentDatasetList() const { return datasets_; }
    QListWidget* recentRunList() const { return runs_; }

signals:
    void openDatasetRequested();
    void openDemoRequested();
    void diagnoseRequested();
    void openRunRequested();
    void recentDatasetChosen(const QString& path);
    void recentRunChosen(const QString& path);

private:
    QListWidget* datasets_ = nullptr;
    QListWidget* runs_ = nullptr;
};

}  // namespace cassava::ui
