#include "MainWindow.h"

#include "Advice.h"
#include "AppSettings.h"
#include "BusyView.h"
#include "DatasetDecisions.h"
#include "DatasetOpener.h"
#include "DatasetOverview.h"
#include "DatasetView.h"
#include "DemoDataset.h"
#include "DiagnoseView.h"
#include "RecentItems.h"
#include "RunsModel.h"
#include "ResultsView.h"
#include "ReviewSession.h"
#include "ReviewView.h"
#include "StartPage.h"
#include "TrainView.h"

#include "Dataset.h"
#include "RunCatalog.h"
#include "RunDir.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace cassava::ui {

namespace {

const char* const geometryKey = "mainWindow/geometry";
const char* const windowStateKey = "mainWindow/state";
const char* const viewKeySetting = "mainWindow/view";
const char* const datasetViewKey = "mainWindow/datasetViewState";
const char* const reviewViewKey = "mainWindow/reviewViewState";
const char* const lastModelKey = "session/lastModel";
const char* const lastRunKey = "session/lastRun";

QString plural(int n, const QString& one, const QString& many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

}  // namespace

QString MainWindow::viewKey(View view)
{
    switch (view) {
    case View::Diagnose: return QStringLiteral("diagnose");
    case View::Dataset: return QStringLiteral("dataset");
    case View::Train: return QStringLiteral("train");
    case View::Results: return QStringLiteral("results");
    case View::Review: return QStringLiteral("review");
    }
    return QStringLiteral("dataset");
}

bool MainWindow::viewFromKey(const QString& key, View* view)
{
    for (int i = 0; i < viewCount; ++i)
        if (viewKey(static_cast<View>(i)) == key.toLower()) {
            *view = static_cast<View>(i);
            return true;
        }
    return false;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      opener_(new DatasetOpener(this)),
      demo_(new DemoGenerator(this)),
      recentDatasets_(new RecentItems(QStringLiteral("recentDatasets"), RecentItems::Kind::Folder, this)),
      recentRuns_(new RecentItems(QStringLiteral("recentRuns"), RecentItems::Kind::Folder, this)),
      recentModels_(new RecentItems(QStringLiteral("recentModels"), RecentItems::Kind::File, this)),
      statusBusy_(new QProgressBar)
{
    setWindowIcon(QIcon(QStringLiteral(":/icons/cassava-studio.svg")));
    setAcceptDrops(true);

    createViews();
    createNavigation();
    createMenus();
    connectDemo();
    updateTitle();

    statusBusy_->setRange(0, 0);
    statusBusy_->setTextVisible(false);
    statusBusy_->setMaximumWidth(140);
    statusBusy_->setMaximumHeight(14);
    statusBusy_->hide();
    statusBar()->addPermanentWidget(statusBusy_);
    statusBar()->showMessage(tr("Ready. Open a dataset (Ctrl+O), the demo, or drop leaf photos."));

    connect(opener_, &DatasetOpener::busyChanged, this, [this](bool busy) {
        setBusy(busy, busy ? tr("Opening %1…").arg(QDir::toNativeSeparators(opener_->pendingRoot()))
                           : QString());
    });
    connect(opener_, &DatasetOpener::opened, this, &MainWindow::showDataset);
    connect(opener_, &DatasetOpener::failed, this, &MainWindow::showUnreadable);
    connect(&AppSettings::instance(), &AppSettings::changed, this, &MainWindow::applySettings);
    applySettings();
    // The Diagnose view's chooser offers recent runs that have models, then recent checkpoints.
    connect(recentRuns_, &RecentItems::changed, this, &MainWindow::updateRecentModels);
    connect(recentModels_, &RecentItems::changed, this, &MainWindow::updateRecentModels);
    updateRecentModels();

    restoreWindowState();
}

// The demo generator goes first: it cancels and waits for its worker, whose progress signals
// must not reach a window that is half torn down.
MainWindow::~MainWindow() { delete demo_; }

void MainWindow::createViews()
{
    startPage_ = new StartPage;
    busyView_ = new BusyView;
    datasetView_ = new DatasetView;
    datasetRoom_ = new QStackedWidget;
    datasetRoom_->addWidget(startPage_);
    datasetRoom_->addWidget(busyView_);
    datasetRoom_->addWidget(datasetView_);

    diagnose_ = new DiagnoseView;
    diagnose_->setAdviceProvider(&adviceMarkdown);
    train_ = new TrainView;
    results_ = new ResultsView;
    reviewSession_ = new ReviewSession(this);
    review_ = new ReviewView(reviewSession_);
    datasetDecisions_ = new DatasetDecisions(datasetView_, reviewSession_);

    // In View order.
    views_ = new QStackedWidget(this);
    for (QWidget* view : {static_cast<QWidget*>(diagnose_), static_cast<QWidget*>(datasetRoom_),
                          static_cast<QWidget*>(train_), static_cast<QWidget*>(results_),
                          static_cast<QWidget*>(review_)})
        views_->addWidget(view);
    views_->setCurrentWidget(datasetRoom_);
    setCentralWidget(views_);

    auto refreshRecent = [this] {
        startPage_->setRecentDatasets(recentDatasets_->paths());
        startPage_->setRecentRuns(recentRuns_->paths());
    };
    connect(recentDatasets_, &RecentItems::changed, this, refreshRecent);
    connect(recentRuns_, &RecentItems::changed, this, refreshRecent);
    refreshRecent();
    connect(startPage_, &StartPage::openDatasetRequested, this, &MainWindow::chooseAndOpenDataset);
    connect(startPage_, &StartPage::openDemoRequested, this, &MainWindow::openDemoDataset);
    connect(startPage_, &StartPage::openRunRequested, this, &MainWindow::chooseAndOpenRun);
    connect(startPage_, &StartPage::diagnoseRequested, this, [this] {
        setView(View::Diagnose);
        chooseAndDiagnosePhotos();
    });
    connect(startPage_, &StartPage::recentDatasetChosen, this, &MainWindow::openDataset);
    connect(startPage_, &StartPage::recentRunChosen, this, &MainWindow::openRun);

    connect(diagnose_, &DiagnoseView::modelChanged, this, [this](const QString& path) {
        if (path.isEmpty())
            return;
        QSettings().setValue(lastModelKey, path);
        (QFileInfo(path).isDir() ? recentRuns_ : recentModels_)->add(path);
    });
    connect(results_, &ResultsView::confusionCellClicked, this, &MainWindow::showConfusionCell);
    connect(review_, &ReviewView::openRunRequested, this, &MainWindow::chooseAndOpenRun);
    connect(review_, &ReviewView::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(review_, &ReviewView::retrainRequested, this, &MainWindow::retrainWithDecisions);
    connect(reviewSession_, &ReviewSession::failed, this, [this](const QString& run, const QString& message) {
        statusBar()->showMessage(tr("Run %1 cannot be reviewed: %2").arg(QFileInfo(run).fileName(), message), 8000);
    });
    connect(this, &MainWindow::datasetShown, results_, &ResultsView::setDatasetRoot);
    connect(diagnose_, &DiagnoseView::openModelRequested, this, &MainWindow::chooseAndOpenModel);
    connect(diagnose_, &DiagnoseView::trainQuickModelRequested, this, [this] {
        setView(View::Train);
        if (!train_->isTraining())
            newTraining();
    });
    train_->setExtraRuns(recentRuns_->paths());
    connect(recentRuns_, &RecentItems::changed, train_, [this] { train_->setExtraRuns(recentRuns_->paths()); });
    connect(train_, &TrainView::newTrainingRequested, this, &MainWindow::newTraining);
    connect(train_, &TrainView::openResultsRequested, this, [this](const QString& run) {
        showRun(run, false);
        setView(View::Results);
    });
    connect(train_, &TrainView::useAsModelRequested, this, [this](const QString& run) {
        showRun(run, true);
        setView(View::Diagnose);
    });
    connect(train_, &TrainView::trainingChanged, this, [this] {
        statusBusy_->setVisible(isBusy());
        emit busyChanged();
    });
    connect(train_, &TrainView::runFinished, this, [this](const QString& run) {
        recentRuns_->add(run);
        // The Train view's list has just read the run's end state.
        if (const RunInfo* info = train_->runsModel()->run(run))
            statusBar()->showMessage(
                tr("Training %1: %2.").arg(QFileInfo(run).fileName(), runStateText(info->state).toLower()));
    });
    connect(diagnose_, &DiagnoseView::busyChanged, this, [this] {
        statusBusy_->setVisible(isBusy());
        emit busyChanged();
    });
}

bool MainWindow::isBusy() const
{
    return opener_->isBusy() || demo_->isRunning() || diagnose_->isBusy() || train_->isTraining() ||
           (currentView() == View::Review && review_->isBusy());
}

DatasetOverview* MainWindow::overview() const { return datasetView_->overview(); }
DatasetSummaryView* MainWindow::summaryView() const { return overview()->summary(); }
ClassCountChart* MainWindow::classCountChart() const { return overview()->chart(); }
ProblemsView* MainWindow::problemsView() const { return overview()->problems(); }

MainWindow::View MainWindow::currentView() const { return static_cast<View>(views_->currentIndex()); }

QWidget* MainWindow::viewWidget(View view) const { return views_->widget(static_cast<int>(view)); }

void MainWindow::setView(View view)
{
    const int index = static_cast<int>(view);
    views_->setCurrentIndex(index);
    viewActions_->actions().at(index)->setChecked(true);
    updateTitle();
    emit viewChanged(view);
}

void MainWindow::applySettings()
{
    const AppSettings& settings = AppSettings::instance();
    datasetView_->setThumbnailCacheBytes(qint64(settings.thumbnailCacheMb()) * 1024 * 1024);
    diagnose_->setComputeOptions(settings.device(), settings.threads());
    diagnose_->setAbstainOptions(settings.abstainOptions());
}

void MainWindow::updateRecentModels()
{
    QStringList models;
    for (const QString& run : recentRuns_->paths())
        if (!RunDir(run.toStdString()).foldsWithBest().empty())
            models << run;
    models << recentModels_->paths();
    diagnose_->setRecentModels(models);
}

void MainWindow::openDataset(const QString& root)
{
    if (root.isEmpty())
        return;
    opener_->open(QDir::cleanPath(QFileInfo(root).absoluteFilePath()));
}

void MainWindow::openDemoDataset()
{
    const QString path = demoDatasetPath();
    if (demoDatasetExists(path)) {
        openDataset(path);
        return;
    }
    if (demo_->isRunning())
        return;
    const SynthOptions& options = demo_->options();
    demoProgress_ = new QProgressDialog(
        tr("Drawing the demo dataset: %L1 leaf images at %2×%3 pixels.\nThis happens once; "
           "it is kept in %4.")
            .arg(options.count)
            .arg(options.width)
            .arg(options.height)
            .arg(QDir::toNativeSeparators(path)),
        tr("Cancel"), 0, options.count, this);
    demoProgress_->setWindowTitle(tr("Creating Demo Dataset"));
    demoProgress_->setWindowModality(Qt::WindowModal);
    demoProgress_->setMinimumDuration(0);
    demoProgress_->setAutoClose(false);
    demoProgress_->setAutoReset(false);
    demoProgress_->setValue(0);
    connect(demoProgress_, &QProgressDialog::canceled, this, [this] {
        demo_->cancel();
        statusBar()->showMessage(tr("Cancelling demo generation…"));
    });
    setBusy(true, tr("Creating the demo dataset…"));
    demo_->start(path);
}

void MainWindow::connectDemo()
{
    // progress() comes from worker threads; the receiver context makes the connection queued.
    connect(demo_, &DemoGenerator::progress, this, [this](int done, int total) {
        if (demoProgress_) {
            demoProgress_->setMaximum(total);
            demoProgress_->setValue(done);
        }
    });
    auto closeProgress = [this] {
        if (demoProgress_) {
            demoProgress_->hide();
            demoProgress_->deleteLater();
            demoProgress_ = nullptr;
        }
        setBusy(opener_->isBusy());
    };
    auto showWhatWasThere = [this] {
        if (!dataset_ && currentRoot_.isEmpty())
            datasetRoom_->setCurrentWidget(startPage_);
    };
    connect(demo_, &DemoGenerator::finished, this, [this, closeProgress](const QString& path) {
        closeProgress();
        openDataset(path);
    });
    connect(demo_, &DemoGenerator::cancelled, this, [this, closeProgress, showWhatWasThere] {
        closeProgress();
        statusBar()->showMessage(tr("Demo generation cancelled; nothing was kept."));
        showWhatWasThere();
    });
    connect(demo_, &DemoGenerator::failed, this,
            [this, closeProgress, showWhatWasThere](const QString& reason) {
                closeProgress();
                statusBar()->showMessage(tr("Could not create the demo dataset."));
                showWhatWasThere();
                auto* box = new QMessageBox(QMessageBox::Warning, tr("Demo Dataset"),
                                            tr("The demo dataset could not be created."),
                                            QMessageBox::Close, this);
                box->setInformativeText(reason);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
}

void MainWindow::openRun(const QString& runDir) { showRun(runDir, true); }

void MainWindow::showRun(const QString& runDir, bool useAsModel)
{
    if (runDir.isEmpty())
        return;
    const QString clean = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    const RunDir run(clean.toStdString());
    if (!run.hasConfig()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Open Run"),
                                    tr("%1 is not a training run.").arg(QDir::toNativeSeparators(clean)),
                                    QMessageBox::Close, this);
        box->setInformativeText(tr("It has no config.json. A run is the folder that cassava "
                                   "train --out (or the Train view) wrote."));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        statusBar()->showMessage(tr("%1 is not a training run.").arg(QFileInfo(clean).fileName()));
        return;
    }
    currentRun_ = clean;
    QSettings().setValue(lastRunKey, clean);
    recentRuns_->add(clean);
    datasetView_->setRun(clean);
    results_->setRun(clean);
    reviewSession_->open(clean);
    if (useAsModel && !run.foldsWithBest().empty())
        diagnose_->setModelPath(clean);
    updateTitle();
    statusBar()->showMessage(tr("Opened run %1.").arg(QFileInfo(clean).fileName()));
}

void MainWindow::openModel(const QString& checkpoint)
{
    if (checkpoint.isEmpty())
        return;
    diagnose_->setModelPath(QDir::cleanPath(QFileInfo(checkpoint).absoluteFilePath()));
}

void MainWindow::diagnosePhotos(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    setView(View::Diagnose);
    diagnose_->addPhotos(paths);
}

void MainWindow::reload()
{
    if (!currentRoot_.isEmpty())
        openDataset(currentRoot_);
}

void MainWindow::setBusy(bool busy, const QString& what)
{
    statusBusy_->setVisible(busy || isBusy());
    reloadAction_->setEnabled(!busy && !currentRoot_.isEmpty());
    if (busy) {
        busyView_->setText(what);
        datasetRoom_->setCurrentWidget(busyView_);
        statusBar()->showMessage(what);
    }
    emit busyChanged();
}

void MainWindow::showDatasetPage() { datasetRoom_->setCurrentWidget(datasetView_); }

void MainWindow::setStartPageShown(bool shown)
{
    if (shown)
        datasetRoom_->setCurrentWidget(startPage_);
    else if (dataset_ || !currentRoot_.isEmpty())
        showDatasetPage();
}

void MainWindow::showDataset(std::shared_ptr<const Dataset> dataset)
{
    dataset_ = std::move(dataset);
    currentRoot_ = QString::fromStdString(dataset_->root());
    datasetView_->setDataset(dataset_);
    showDatasetPage();
    recentDatasets_->add(currentRoot_);
    reloadAction_->setEnabled(true);
    diagnose_->setDatasetRoot(currentRoot_);
    train_->setDatasetRoot(currentRoot_);
    updateTitle();

    const int images = static_cast<int>(dataset_->samples().size());
    const int problems = static_cast<int>(dataset_->problems().size());
    QString message = tr("Opened %1: %2 in %3; %4.")
                          .arg(QString::fromStdString(dataset_->name()),
                               plural(images, tr("1 image"), tr("%1 images")),
                               plural(dataset_->numClasses(), tr("1 class"), tr("%1 classes")),
                               problems ? plural(problems, tr("1 problem"), tr("%1 problems"))
                                        : tr("no problems"));
    if (!dataset_->usable())
        message = tr("%1 cannot be used; see Problems.").arg(QString::fromStdString(dataset_->name()));
    statusBar()->showMessage(message);
    emit datasetShown(currentRoot_);
}

void MainWindow::showUnreadable(const QString& root, const QString& reason)
{
    dataset_.reset();
    currentRoot_ = root;
    datasetView_->setUnreadable(root, reason);
    showDatasetPage();
    updateTitle();
    reloadAction_->setEnabled(true);
    statusBar()->showMessage(tr("Could not read %1.").arg(QDir::toNativeSeparators(root)));
    emit datasetShown(root);
}

void MainWindow::updateTitle()
{
    QString name;
    if (dataset_)
        name = QString::fromStdString(dataset_->name());
    else if (!currentRoot_.isEmpty())
        name = QFileInfo(currentRoot_).fileName();
    setWindowTitle(name.isEmpty() ? tr("Cassava Studio") : tr("Cassava Studio — %1").arg(name));
}

void MainWindow::restoreSession()
{
    QSettings settings;
    const QString dataset = recentDatasets_->latest();
    if (!dataset.isEmpty())
        openDataset(dataset);
    const QString model = settings.value(lastModelKey).toString();
    const bool hasModel = !model.isEmpty() && QFileInfo::exists(model);
    const QString run = settings.value(lastRunKey).toString();
    if (!run.isEmpty() && RunDir(run.toStdString()).hasConfig())
        showRun(run, !hasModel);
    if (hasModel)
        diagnose_->setModelPath(model);
    View view = View::Dataset;
    if (viewFromKey(settings.value(viewKeySetting).toString(), &view))
        setView(view);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(geometryKey).toByteArray())) {
        QSize size(1280, 840);
        if (const QScreen* screen = QGuiApplication::primaryScreen()) {
            const QRect available = screen->availableGeometry();
            size = size.boundedTo(available.size() * 0.9);
            resize(size);
            move(available.center() - rect().center());
        } else {
            resize(size);
        }
    }
    restoreState(settings.value(windowStateKey).toByteArray());
    datasetView_->restoreState(settings.value(datasetViewKey).toByteArray());
    review_->restoreState(settings.value(reviewViewKey).toByteArray());
}

void MainWindow::saveWindowState() const
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(windowStateKey, saveState());
    settings.setValue(datasetViewKey, datasetView_->saveState());
    settings.setValue(reviewViewKey, review_->saveState());
    settings.setValue(viewKeySetting, viewKey(currentView()));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (train_->isTraining()) {
        QMessageBox box(QMessageBox::Question, tr("Quit Cassava Studio"),
                        tr("A training is running. Stop it and quit?"), QMessageBox::NoButton, this);
        box.setInformativeText(tr("It stops within one batch; the run can be resumed later from its last "
                                  "complete epoch (Train view, Resume)."));
        QPushButton* stop = box.addButton(tr("Stop Training and Quit"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != stop) {
            event->ignore();
            return;
        }
    }
    saveWindowState();
    demo_->cancel();
    QMainWindow::closeEvent(event);
}

}  // namespace cassava::ui
