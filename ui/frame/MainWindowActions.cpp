// The main window's navigation bar, menus, dialogs and drops: every way a user asks for
// something, leading to the same few slots.
#include "MainWindow.h"

#include "DatasetDecisions.h"
#include "ReviewSession.h"
#include "ReviewView.h"

#include "AppInfo.h"
#include "RecentItems.h"
#include "ResultsView.h"
#include "RunsModel.h"
#include "TrainController.h"
#include "TrainView.h"
#include "TrainWizard.h"
#include "WeightsFetchDialog.h"

#include "RunDir.h"
#include "TrainConfig.h"
#include "SettingsDialog.h"
#include "ShortcutSheet.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace cassava::ui {

namespace {

enum class DropKind { Nothing, Dataset, Run, Model, Photos };

// What a dropped path is: a dataset folder (train.csv), a run folder (config.json), a model file
// (.ckpt), or photos (image files by their suffix, and any other folder, which the Diagnose view
// sorts out). Other files (a CSV, say) are not taken.
DropKind dropKind(const QString& path)
{
    const QFileInfo info(path);
    if (info.isDir()) {
        if (QFileInfo::exists(path + "/train.csv"))
            return DropKind::Dataset;
        if (QFileInfo::exists(path + "/config.json"))
            return DropKind::Run;
        return DropKind::Photos;
    }
    if (!info.isFile())
        return DropKind::Nothing;
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("ckpt"))
        return DropKind::Model;
    static const QStringList photoSuffixes = {"jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff"};
    return photoSuffixes.contains(suffix) ? DropKind::Photos : DropKind::Nothing;
}

QStringList localPaths(const QMimeData* mime)
{
    QStringList paths;
    if (mime && mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

QString startFolder(const QString& current)
{
    return current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath();
}

}  // namespace

void MainWindow::createNavigation()
{
    auto* bar = new QToolBar(tr("Views"), this);
    bar->setObjectName("navigation");
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    bar->setIconSize(QSize(32, 32));
    bar->toggleViewAction()->setEnabled(false);
    addToolBar(Qt::LeftToolBarArea, bar);

    viewActions_ = new QActionGroup(this);
    viewActions_->setExclusive(true);
    const char* icons[viewCount] = {"view-diagnose", "view-dataset", "view-train", "view-results",
                                    "view-review"};
    for (int i = 0; i < viewCount; ++i) {
        const View view = static_cast<View>(i);
        QAction* action = bar->addAction(QIcon(QStringLiteral(":/icons/%1.svg").arg(icons[i])),
                                         viewTitle(view));
        action->setCheckable(true);
        action->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
        action->setToolTip(tr("%1 (%2)").arg(viewTitle(view),
                                             action->shortcut().toString(QKeySequence::NativeText)));
        action->setData(i);
        viewActions_->addAction(action);
        connect(action, &QAction::triggered, this, [this, view] { setView(view); });
    }
    viewActions_->actions().at(static_cast<int>(View::Dataset))->setChecked(true);
}

QString MainWindow::viewTitle(View view) const
{
    switch (view) {
    case View::Diagnose: return tr("Diagnose");
    case View::Dataset: return tr("Dataset");
    case View::Train: return tr("Train");
    case View::Results: return tr("Results");
    case View::Review: return tr("Review");
    }
    return {};
}

QMenu* MainWindow::recentMenu(QMenu* parent, const QString& title, RecentItems* items,
                              void (MainWindow::*open)(const QString&))
{
    QMenu* menu = parent->addMenu(title);
    auto rebuild = [this, menu, items, open] {
        menu->clear();
        const QStringList paths = items->paths();
        for (int i = 0; i < paths.size(); ++i) {
            const QString path = paths[i];
            menu->addAction(QStringLiteral("&%1  %2  —  %3")
                                .arg(i + 1)
                                .arg(QFileInfo(path).fileName(), QDir::toNativeSeparators(path)),
                            this, [this, open, path] { (this->*open)(path); });
        }
        if (!paths.isEmpty())
            menu->addSeparator();
        menu->addAction(tr("&Clear Menu"), items, &RecentItems::clear)->setEnabled(!paths.isEmpty());
        menu->setEnabled(!paths.isEmpty());
    };
    connect(items, &RecentItems::changed, menu, rebuild);
    rebuild();
    return menu;
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(QIcon::fromTheme("document-open"), tr("&Open Dataset…"), this,
                                    &MainWindow::chooseAndOpenDataset);
    open->setShortcut(QKeySequence::Open);
    open->setStatusTip(tr("Open a folder with train.csv and train_images/"));
    QAction* demo = file->addAction(tr("Open &Demo Dataset"), this, &MainWindow::openDemoDataset);
    demo->setStatusTip(tr("Open the built-in demo of drawn leaves, creating it on first use"));
    QAction* run = file->addAction(tr("Open &Run…"), this, &MainWindow::chooseAndOpenRun);
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    run->setStatusTip(tr("Open a training run folder: its models, predictions and metrics"));
    QAction* model = file->addAction(tr("Open &Model…"), this, &MainWindow::chooseAndOpenModel);
    model->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    model->setStatusTip(tr("Diagnose with a model file (.ckpt)"));
    QAction* photos = file->addAction(tr("Diagnose &Photos…"), this, &MainWindow::chooseAndDiagnosePhotos);
    photos->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    photos->setStatusTip(tr("Choose leaf photos to diagnose"));
    file->addSeparator();
    recentMenu(file, tr("Recent &Datasets"), recentDatasets_, &MainWindow::openDataset);
    recentMenu(file, tr("Recent R&uns"), recentRuns_, &MainWindow::openRun);
    recentMenu(file, tr("Recent Mod&els"), recentModels_, &MainWindow::openModel);
    file->addSeparator();
    reloadAction_ = file->addAction(QIcon::fromTheme("view-refresh"), tr("Re&load Dataset"), this,
                                    &MainWindow::reload);
    reloadAction_->setShortcut(QKeySequence(Qt::Key_F5));
    reloadAction_->setStatusTip(tr("Read the open dataset's folder again"));
    reloadAction_->setEnabled(false);
    file->addSeparator();
    QAction* settings = file->addAction(QIcon::fromTheme("preferences-system"), tr("&Settings…"),
                                        this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(QIcon::fromTheme("application-exit"), tr("&Quit"), this,
                                    &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(reviewSession_->undoAction());
    edit->addAction(reviewSession_->redoAction());
    // The same actions as the menu's, so the shortcuts work in every view (one action: never ambiguous).
    addAction(reviewSession_->undoAction());
    addAction(reviewSession_->redoAction());

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    QAction* newRun = train->addAction(QIcon::fromTheme("document-new"), tr("&New Training…"), this,
                                       &MainWindow::newTraining);
    newRun->setShortcut(QKeySequence::New);
    newRun->setStatusTip(tr("Choose data, model and schedule in the training wizard, then train"));
    QAction* resume = train->addAction(tr("&Resume Selected Run"), this, [this] {
        setView(View::Train);
        train_->resumeRun(train_->selectedRun());
    });
    resume->setStatusTip(tr("Continue the run selected in the Train view from its last complete epoch"));
    QAction* cancel = train->addAction(tr("&Cancel Training"), this, [this] { train_->controller()->cancel(); });
    cancel->setStatusTip(tr("Stop the running training within one batch (Esc in the Train view)"));
    auto updateTrainActions = [this, newRun, resume, cancel] {
        const bool running = train_->isTraining();
        newRun->setEnabled(!running);
        cancel->setEnabled(running);
        const RunInfo* info = train_->runsModel()->run(train_->selectedRun());
        resume->setEnabled(!running && info && info->resumable());
    };
    connect(train, &QMenu::aboutToShow, this, updateTrainActions);
    connect(train_, &TrainView::trainingChanged, this, updateTrainActions);
    updateTrainActions();

    QMenu* results = menuBar()->addMenu(tr("&Results"));
    const QList<QAction*> resultActions = results_->menuActions();
    results->addActions(resultActions.mid(0, 3));
    results->addSeparator();
    results->addActions(resultActions.mid(3));
    // They act on the open run's results, whichever view is shown.

    QMenu* review = menuBar()->addMenu(tr("Re&view"));
    for (QAction* a : review_->menuActions()) {
        if (!a)
            review->addSeparator();
        else
            review->addAction(a);
    }
    // Choosing a decision from the menu shows what it acts on.
    connect(review, &QMenu::triggered, this, [this](QAction* a) {
        if (!datasetDecisions_->actions().contains(a))
            setView(View::Review);
    });
    review->addSeparator();
    QMenu* browsing = review->addMenu(tr("In the &Dataset Browser"));
    browsing->addActions(datasetDecisions_->actions());

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions(viewActions_->actions());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcuts({QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)});
    help->addSeparator();
    QAction* about = help->addAction(tr("&About Cassava Studio"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::chooseAndOpenDataset()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Dataset Folder"),
                                                             startFolder(currentRoot_));
    if (!folder.isEmpty())
        openDataset(folder);
}

void MainWindow::chooseAndOpenRun()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Training Run"),
                                                             startFolder(currentRun_));
    if (!folder.isEmpty())
        openRun(folder);
}

void MainWindow::chooseAndOpenModel()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Model"), startFolder(recentModels_->latest()),
        tr("Cassava Studio models (*.ckpt);;All files (*)"));
    if (!file.isEmpty()) {
        openModel(file);
        setView(View::Diagnose);
    }
}

void MainWindow::chooseAndDiagnosePhotos()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Diagnose Photos"), QSettings().value("session/photoFolder", QDir::homePath()).toString(),
        tr("Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff);;All files (*)"));
    if (files.isEmpty())
        return;
    QSettings().setValue("session/photoFolder", QFileInfo(files.first()).absolutePath());
    diagnosePhotos(files);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(this);
    dialog.exec();
}

void MainWindow::showShortcuts()
{
    auto* sheet = new ShortcutSheet(menuBar(), this);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->show();
}

void MainWindow::showAbout() { QMessageBox::about(this, tr("About Cassava Studio"), aboutText()); }

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    for (const QString& path : localPaths(event->mimeData()))
        if (dropKind(path) != DropKind::Nothing) {
            event->acceptProposedAction();
            return;
        }
}

// Dataset and run folders open; models load; everything else is diagnosed.
void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList photos;
    bool used = false;
    for (const QString& path : localPaths(event->mimeData())) {
        switch (dropKind(path)) {
        case DropKind::Dataset:
            openDataset(path);
            setView(View::Dataset);
            used = true;
            break;
        case DropKind::Run: openRun(path); used = true; break;
        case DropKind::Model: openModel(path); used = true; break;
        case DropKind::Photos: photos << path; break;
        case DropKind::Nothing: break;
        }
    }
    if (!photos.isEmpty()) {
        diagnosePhotos(photos);
        used = true;
    }
    if (used)
        event->acceptProposedAction();
}

}  // namespace cassava::ui

namespace cassava::ui {

void MainWindow::newTraining()
{
    if (train_->isTraining()) {
        setView(View::Train);
        statusBar()->showMessage(tr("One training at a time: the current one is still running."));
        return;
    }
    TrainWizard wizard(currentRoot_, this);
    wizard.setFetchWeights(&WeightsFetchDialog::ensure);
    if (wizard.exec() != QDialog::Accepted)
        return;
    setView(View::Train);
    train_->startTraining(wizard.config());
}

void MainWindow::retrainWithDecisions(const QString& runDir, const QString& decisionsCsv)
{
    if (train_->isTraining()) {
        setView(View::Train);
        statusBar()->showMessage(tr("One training at a time: the current one is still running."));
        return;
    }
    const ReviewJournal* journal = reviewSession_->journal();
    const QString root = journal ? QString::fromStdString(journal->dataset().root()) : currentRoot_;
    TrainWizard wizard(root, this);
    wizard.setFetchWeights(&WeightsFetchDialog::ensure);
    try {
        TrainConfig config = TrainConfig::fromJson(RunDir(runDir.toStdString()).readJson(RunDir(runDir.toStdString()).configPath()));
        config.out.clear();
        config.relabel.clear();
        config.exclude.clear();
        wizard.setInitialConfig(config);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("The wizard starts from defaults: %1").arg(QString::fromStdString(e.what())), 8000);
    }
    wizard.setLabelsFile(decisionsCsv);
    if (wizard.exec() != QDialog::Accepted)
        return;
    setView(View::Train);
    train_->startTraining(wizard.config());
}

}  // namespace cassava::ui
