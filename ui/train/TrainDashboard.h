#pragma once
// One run on screen: its name, state and settings, the live progress (bar, fold and epoch,
// images/s, ETA, Cancel) while it trains in this process, its curves (CurvesPlot) with their
// controls (fold, smoothing, log scale, a run to compare with), the engine's messages, and what
// to do next: resume an unfinished run, open the results, diagnose with it.
#include "RunCatalog.h"
#include "RunHistory.h"
#include "TrainEvents.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;

namespace cassava::ui {

class CurvesPlot;
class TrainController;

class TrainDashboard : public QWidget {
    Q_OBJECT
public:
    explicit TrainDashboard(TrainController* controller, QWidget* parent = nullptr);

    // Shows a run: live when it is the controller's running one, else from its files.
    void showRun(const RunInfo& info);
    void clearRun();
    QString runPath() const { return path_; }
    bool isLive() const;

    // Runs offered in "Compare with" (path, name); the shown run is left out.
    void setComparableRuns(const QList<QPair<QString, QString>>& runs);
    void compareWith(const QString& path);  // "" for none

    CurvesPlot* curves() const { return curves_; }
    QProgressBar* progressBar() const { return progress_; }
    QListWidget* messages() const { return messages_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* resumeButton() const { return resume_; }
    QString statusText() const;  // the progress line, for tests

signals:
    void resumeRequested(const QString& runDir);
    void openResultsRequested(const QString& runDir);
    void useAsModelRequested(const QString& runDir);

private:
    void updateHeader();
    void updateProgress();
    void addMessage(const cassava::RunMessage& message);
    void onRunFinished(const cassava::RunFinished& finished);

    TrainController* controller_ = nullptr;
    RunInfo info_;
    QString path_;
    RunHistory stored_;       // the shown run's curves when it is not the live one
    RunHistory comparison_;
    QString comparisonPath_;
    QList<QPair<QString, QString>> comparable_;

    QLabel* title_ = nullptr;
    QLabel* state_ = nullptr;
    QLabel* settings_ = nullptr;
    QLabel* banner_ = nullptr;
    QPushButton* resume_ = nullptr;
    QWidget* bannerBox_ = nullptr;
    QWidget* progressBox_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* progressText_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QComboBox* fold_ = nullptr;
    QSlider* smoothing_ = nullptr;
    QLabel* smoothingValue_ = nullptr;
    QCheckBox* logScale_ = nullptr;
    QComboBox* compare_ = nullptr;
    CurvesPlot* curves_ = nullptr;
    QListWidget* messages_ = nullptr;
    QPushButton* openResults_ = nullptr;
    QPushButton* useAsModel_ = nullptr;
};

QString formatEta(double seconds);  // "4m10s", "1h05m"

}  // namespace cassava::ui
