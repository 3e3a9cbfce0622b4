#pragma once
// The Train view: the runs list (the runs folder and runs opened by hand, with their state) and
// the dashboard of the selected run, live while it trains in this process. New trainings come
// from the wizard (the frame opens it: newTrainingRequested), unfinished runs are resumed here.
#include "TrainConfig.h"

#include <QWidget>

class QItemSelection;
class QPushButton;
class QTreeView;

namespace cassava::ui {

class RunsModel;
class TrainController;
class TrainDashboard;

class TrainView : public QWidget {
    Q_OBJECT
public:
    explicit TrainView(QWidget* parent = nullptr);
    ~TrainView() override;

    void setDatasetRoot(const QString& root);
    QString datasetRoot() const { return datasetRoot_; }
    void setRunsFolder(const QString& folder);  // default RunsModel::defaultRunsFolder()
    void setExtraRuns(const QStringList& runs);  // runs opened by hand

    // Starts a training in this process (false, after telling the user why, when it cannot).
    bool startTraining(const TrainConfig& config);
    bool resumeRun(const QString& runDir);
    void selectRun(const QString& runDir);
    QString selectedRun() const;
    bool isTraining() const;

    TrainController* controller() const { return controller_; }
    RunsModel* runsModel() const { return runs_; }
    TrainDashboard* dashboard() const { return dashboard_; }
    QTreeView* runsView() const { return list_; }

signals:
    void newTrainingRequested();
    void openResultsRequested(const QString& runDir);
    void useAsModelRequested(const QString& runDir);
    void trainingChanged(bool running);  // started or ended
    void runFinished(const QString& runDir);

private:
    void showSelected();
    void updateButtons();
    void showError(const QString& title, const QString& text);

    QString datasetRoot_;
    QString wantedSelection_;
    TrainController* controller_ = nullptr;
    RunsModel* runs_ = nullptr;
    QTreeView* list_ = nullptr;
    TrainDashboard* dashboard_ = nullptr;
    QPushButton* newRun_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* refresh_ = nullptr;
};

}  // namespace cassava::ui
