#pragma once
// The main window: File and Help menus, an empty state, a busy page while a dataset opens on a
// worker thread, and the dataset overview once it is open.
#include <QMainWindow>

#include <memory>

class QLabel;
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
class DatasetOpener;
class DatasetOverview;
class DemoGenerator;
class EmptyStateView;
class ProblemsView;
class RecentDatasets;
class DatasetSummaryView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    std::shared_ptr<const Dataset> dataset() const { return dataset_; }
    QString currentRoot() const { return currentRoot_; }
    bool isBusy() const;

    DatasetOverview* overview() const { return overview_; }
    DatasetSummaryView* summaryView() const;
    ClassCountChart* classCountChart() const;
    ProblemsView* problemsView() const;
    DemoGenerator* demoGenerator() const { return demo_; }

public slots:
    // The same path the menus, the command line and drag and drop take.
    void openDataset(const QString& root);
    // Opens the demo, drawing it first (with a progress dialog) when it does not exist yet.
    void openDemoDataset();
    void reload();
    void chooseAndOpenDataset();
    void showAbout();

signals:
    // The views show `root` now: its dataset, or why it could not be read.
    void datasetShown(const QString& root);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void rebuildRecentMenu();
    void setBusy(bool busy, const QString& what = {});
    void showDataset(std::shared_ptr<const Dataset> dataset);
    void showUnreadable(const QString& root, const QString& reason);
    void updateTitle(const QString& name);
    void restoreWindowState();
    void saveWindowState() const;

    DatasetOpener* opener_ = nullptr;
    DemoGenerator* demo_ = nullptr;
    RecentDatasets* recent_ = nullptr;

    QStackedWidget* pages_ = nullptr;
    EmptyStateView* emptyState_ = nullptr;
    BusyView* busyView_ = nullptr;
    DatasetOverview* overview_ = nullptr;
    QProgressBar* statusBusy_ = nullptr;
    QProgressDialog* demoProgress_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QAction* reloadAction_ = nullptr;

    std::shared_ptr<const Dataset> dataset_;
    QString currentRoot_;
};

}  // namespace cassava::ui
