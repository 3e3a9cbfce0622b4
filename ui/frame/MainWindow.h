#pragma once
// The main window: a navigation bar between the five views (Diagnose, Dataset, Train, Results,
// Review; Ctrl+1..5), the menus, and the state kept across restarts (geometry, the last view,
// the last dataset, run and model). Datasets open on a worker thread; until one is open the
// Dataset view shows the start page.
#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QMenu;
class QProgressBar;
class QProgressDialog;
class QStackedWidget;

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class BusyView;
class ClassCountChart;
class DatasetDecisions;
class DatasetOpener;
class DatasetOverview;
class DatasetSummaryView;
class DatasetView;
class DemoGenerator;
class DiagnoseView;
class ProblemsView;
class RecentItems;
class ResultsView;
class ReviewSession;
class ReviewView;
class StartPage;
class TrainView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class View { Diagnose, Dataset, Train, Results, Review };
    static constexpr int viewCount = 5;
    static QString viewKey(View view);  // "diagnose", ... as on the command line
    static bool viewFromKey(const QString& key, View* view);

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    std::shared_ptr<const Dataset> dataset() const { return dataset_; }
    QString currentRoot() const { return currentRoot_; }
    QString currentRun() const { return currentRun_; }
    // Opening a dataset, drawing the demo, or a view's own work (a diagnosis) is under way.
    bool isBusy() const;

    View currentView() const;
    QWidget* viewWidget(View view) const;
    QString viewTitle(View view) const;
    DatasetView* datasetView() const { return datasetView_; }
    DiagnoseView* diagnoseView() const { return diagnose_; }
    TrainView* trainView() const { return train_; }
    ResultsView* resultsView() const { return results_; }
    ReviewView* reviewView() const { return review_; }
    // The open run's label review, shared by the Review view and the Dataset browser.
    ReviewSession* reviewSession() const { return reviewSession_; }
    DatasetDecisions* datasetDecisions() const { return datasetDecisions_; }
    StartPage* startPage() const { return startPage_; }
    DatasetOverview* overview() const;
    DatasetSummaryView* summaryView() const;
    ClassCountChart* classCountChart() const;
    ProblemsView* problemsView() const;
    DemoGenerator* demoGenerator() const { return demo_; }

    // What a new session opens when the command line names nothing: the last dataset, run and
    // model, and the last view.
    void restoreSession();
    // Opens a run; with `useAsModel`, the Diagnose view also diagnoses with its fold models (when
    // it has any). Without, the model stays as it is: a restored or given checkpoint is loaded
    // once, not after the run's.
    void showRun(const QString& runDir, bool useAsModel);
    // The Dataset view with only the photos of the open run's confusion cell (given label,
    // predicted class), most confident first; opens the run's dataset first when another is open.
    void showConfusionCell(int given, int predicted);
    // The start page in place of the open dataset (the tour photographs it).
    void setStartPageShown(bool shown);

public slots:
    // The same paths the menus, the command line and drag and drop take.
    void openDataset(const QString& root);
    void openDemoDataset();  // draws the demo first (with a progress dialog) when absent
    void openRun(const QString& runDir);
    void openModel(const QString& checkpoint);
    void diagnosePhotos(const QStringList& paths);
    void setView(cassava::ui::MainWindow::View view);
    void reload();
    void chooseAndOpenDataset();
    void chooseAndOpenRun();
    void chooseAndOpenModel();
    void chooseAndDiagnosePhotos();
    // The training wizard over the open dataset; Start trains in the Train view.
    void newTraining();
    // The wizard over the run's dataset and settings, with `decisionsCsv` as its labels.
    void retrainWithDecisions(const QString& runDir, const QString& decisionsCsv);
    void showSettings();
    void showShortcuts();
    void showAbout();

signals:
    // The views show `root` now: its dataset, or why it could not be read.
    void datasetShown(const QString& root);
    void viewChanged(cassava::ui::MainWindow::View view);
    void busyChanged();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createViews();
    void createNavigation();
    void createMenus();
    void connectDemo();
    QMenu* recentMenu(QMenu* parent, const QString& title, RecentItems* items,
                      void (MainWindow::*open)(const QString&));
    void setBusy(bool busy, const QString& what = {});
    void showDataset(std::shared_ptr<const Dataset> dataset);
    void showUnreadable(const QString& root, const QString& reason);
    void showDatasetPage();
    void applySettings();
    void updateRecentModels();
    void updateTitle();
    void restoreWindowState();
    void saveWindowState() const;

    DatasetOpener* opener_ = nullptr;
    DemoGenerator* demo_ = nullptr;
    RecentItems* recentDatasets_ = nullptr;
    RecentItems* recentRuns_ = nullptr;
    RecentItems* recentModels_ = nullptr;

    QStackedWidget* views_ = nullptr;
    QStackedWidget* datasetRoom_ = nullptr;  // start page, busy page or the dataset
    StartPage* startPage_ = nullptr;
    BusyView* busyView_ = nullptr;
    DatasetView* datasetView_ = nullptr;
    DiagnoseView* diagnose_ = nullptr;
    TrainView* train_ = nullptr;
    ResultsView* results_ = nullptr;
    ReviewView* review_ = nullptr;
    ReviewSession* reviewSession_ = nullptr;
    DatasetDecisions* datasetDecisions_ = nullptr;

    QActionGroup* viewActions_ = nullptr;
    QProgressBar* statusBusy_ = nullptr;
    QProgressDialog* demoProgress_ = nullptr;
    QAction* reloadAction_ = nullptr;

    std::shared_ptr<const Dataset> dataset_;
    QString currentRoot_;
    QString currentRun_;
};

}  // namespace cassava::ui
