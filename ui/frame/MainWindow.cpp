#include "MainWindow.h"

#include "AppInfo.h"
#include "BusyView.h"
#include "DatasetOpener.h"
#include "DatasetOverview.h"
#include "DemoDataset.h"
#include "EmptyStateView.h"
#include "RecentDatasets.h"

#include "Dataset.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

namespace cassava::ui {

namespace {

const char* const geometryKey = "mainWindow/geometry";
const char* const overviewKey = "mainWindow/overviewState";

// The first dropped URL that is a local folder, or "".
QString droppedFolder(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir())
            return url.toLocalFile();
    return {};
}

QString plural(int n, const QString& one, const QString& many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      opener_(new DatasetOpener(this)),
      demo_(new DemoGenerator(this)),
      recent_(new RecentDatasets(this)),
      pages_(new QStackedWidget(this)),
      emptyState_(new EmptyStateView),
      busyView_(new BusyView),
      overview_(new DatasetOverview),
      statusBusy_(new QProgressBar)
{
    initResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/cassava-studio.svg")));
    setAcceptDrops(true);
    updateTitle({});

    pages_->addWidget(emptyState_);
    pages_->addWidget(busyView_);
    pages_->addWidget(overview_);
    setCentralWidget(pages_);

    statusBusy_->setRange(0, 0);
    statusBusy_->setTextVisible(false);
    statusBusy_->setMaximumWidth(140);
    statusBusy_->setMaximumHeight(14);
    statusBusy_->hide();
    statusBar()->addPermanentWidget(statusBusy_);
    statusBar()->showMessage(tr("Ready. Open a dataset folder (Ctrl+O) or the demo."));

    createMenus();
    connect(emptyState_, &EmptyStateView::openDatasetRequested, this,
            &MainWindow::chooseAndOpenDataset);
    connect(emptyState_, &EmptyStateView::openDemoRequested, this, &MainWindow::openDemoDataset);

    connect(opener_, &DatasetOpener::busyChanged, this, [this](bool busy) {
        setBusy(busy, busy ? tr("Opening %1…").arg(QDir::toNativeSeparators(opener_->pendingRoot()))
                           : QString());
    });
    connect(opener_, &DatasetOpener::opened, this, &MainWindow::showDataset);
    connect(opener_, &DatasetOpener::failed, this, &MainWindow::showUnreadable);

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
    connect(demo_, &DemoGenerator::finished, this, [this, closeProgress](const QString& path) {
        closeProgress();
        openDataset(path);
    });
    connect(demo_, &DemoGenerator::cancelled, this, [this, closeProgress] {
        closeProgress();
        statusBar()->showMessage(tr("Demo generation cancelled; nothing was kept."));
        if (!dataset_ && currentRoot_.isEmpty())
            pages_->setCurrentWidget(emptyState_);
    });
    connect(demo_, &DemoGenerator::failed, this, [this, closeProgress](const QString& reason) {
        closeProgress();
        statusBar()->showMessage(tr("Could not create the demo dataset."));
        if (!dataset_ && currentRoot_.isEmpty())
            pages_->setCurrentWidget(emptyState_);
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Demo Dataset"),
                                    tr("The demo dataset could not be created."),
                                    QMessageBox::Close, this);
        box->setInformativeText(reason);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });

    restoreWindowState();
}

// The demo generator goes first: it cancels and waits for its worker, whose progress signals
// must not reach a window that is half torn down.
MainWindow::~MainWindow() { delete demo_; }

bool MainWindow::isBusy() const { return opener_->isBusy() || demo_->isRunning(); }

DatasetSummaryView* MainWindow::summaryView() const { return overview_->summary(); }
ClassCountChart* MainWindow::classCountChart() const { return overview_->chart(); }
ProblemsView* MainWindow::problemsView() const { return overview_->problems(); }

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(QIcon::fromTheme("document-open"), tr("&Open Dataset…"),
                                    this, &MainWindow::chooseAndOpenDataset);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Open a folder with train.csv and train_images/"));
    QAction* demo = file->addAction(tr("Open &Demo Dataset"), this, &MainWindow::openDemoDataset);
    demo->setStatusTip(tr("Open the built-in demo of drawn leaves, creating it on first use"));
    recentMenu_ = file->addMenu(tr("&Recent Datasets"));
    connect(recent_, &RecentDatasets::changed, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    reloadAction_ = file->addAction(QIcon::fromTheme("view-refresh"), tr("&Reload"), this,
                                    &MainWindow::reload);
    reloadAction_->setShortcut(QKeySequence(Qt::Key_F5));
    reloadAction_->setStatusTip(tr("Read the open dataset's folder again"));
    reloadAction_->setEnabled(false);
    file->addSeparator();
    QAction* quit = file->addAction(QIcon::fromTheme("application-exit"), tr("&Quit"), this,
                                    &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Cassava Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList paths = recent_->paths();
    for (int i = 0; i < paths.size(); ++i) {
        const QString& path = paths[i];
        const QString text = QStringLiteral("&%1  %2  —  %3")
                                 .arg(i + 1)
                                 .arg(QFileInfo(path).fileName(), QDir::toNativeSeparators(path));
        recentMenu_->addAction(text, this, [this, path] { openDataset(path); });
    }
    if (!paths.isEmpty())
        recentMenu_->addSeparator();
    QAction* clear = recentMenu_->addAction(tr("&Clear Menu"), recent_, &RecentDatasets::clear);
    clear->setEnabled(!paths.isEmpty());
    recentMenu_->setEnabled(!paths.isEmpty());
}

void MainWindow::openDataset(const QString& root)
{
    if (root.isEmpty())
        return;
    const QString clean = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    opener_->open(clean);
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

void MainWindow::reload()
{
    if (!currentRoot_.isEmpty())
        openDataset(currentRoot_);
}

void MainWindow::chooseAndOpenDataset()
{
    const QString start = currentRoot_.isEmpty() ? QDir::homePath()
                                                 : QFileInfo(currentRoot_).absolutePath();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Dataset Folder"), start);
    if (!folder.isEmpty())
        openDataset(folder);
}

void MainWindow::showAbout() { QMessageBox::about(this, tr("About Cassava Studio"), aboutText()); }

void MainWindow::setBusy(bool busy, const QString& what)
{
    statusBusy_->setVisible(busy);
    reloadAction_->setEnabled(!busy && !currentRoot_.isEmpty());
    if (busy) {
        busyView_->setText(what);
        pages_->setCurrentWidget(busyView_);
        statusBar()->showMessage(what);
    }
}

void MainWindow::showDataset(std::shared_ptr<const Dataset> dataset)
{
    dataset_ = std::move(dataset);
    currentRoot_ = QString::fromStdString(dataset_->root());
    overview_->setDataset(dataset_);
    pages_->setCurrentWidget(overview_);
    updateTitle(QString::fromStdString(dataset_->name()));
    recent_->add(currentRoot_);
    reloadAction_->setEnabled(true);

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
    overview_->setUnreadable(root, reason);
    pages_->setCurrentWidget(overview_);
    updateTitle(QFileInfo(root).fileName());
    reloadAction_->setEnabled(true);
    statusBar()->showMessage(tr("Could not read %1.").arg(QDir::toNativeSeparators(root)));
    emit datasetShown(root);
}

void MainWindow::updateTitle(const QString& name)
{
    setWindowTitle(name.isEmpty() ? tr("Cassava Studio") : tr("Cassava Studio — %1").arg(name));
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
    overview_->restoreState(settings.value(overviewKey).toByteArray());
}

void MainWindow::saveWindowState() const
{
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(overviewKey, overview_->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveWindowState();
    demo_->cancel();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedFolder(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString folder = droppedFolder(event->mimeData());
    if (folder.isEmpty())
        return;
    event->acceptProposedAction();
    openDataset(folder);
}

}  // namespace cassava::ui
