#include "TrainView.h"

#include "RunsModel.h"
#include "TrainController.h"
#include "TrainDashboard.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace cassava::ui {

TrainView::TrainView(QWidget* parent)
    : QWidget(parent), controller_(new TrainController(this)), runs_(new RunsModel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);

    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    auto* buttons = new QHBoxLayout;
    newRun_ = new QPushButton(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New Training…"), left);
    newRun_->setToolTip(tr("Choose the data, the model and the schedule, then train (Ctrl+N)"));
    resume_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Resume"), left);
    resume_->setToolTip(tr("Continue the selected unfinished or cancelled run from its last complete epoch"));
    refresh_ = new QPushButton(style()->standardIcon(QStyle::SP_BrowserReload), QString(), left);
    refresh_->setToolTip(tr("Look for runs again"));
    buttons->addWidget(newRun_);
    buttons->addWidget(resume_);
    buttons->addStretch();
    buttons->addWidget(refresh_);
    leftLayout->addLayout(buttons);

    list_ = new QTreeView(left);
    list_->setModel(runs_);
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setAlternatingRowColors(true);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setSelectionBehavior(QAbstractItemView::SelectRows);
    list_->header()->setStretchLastSection(false);
    list_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    list_->header()->setSectionResizeMode(RunsModel::Name, QHeaderView::Stretch);
    // The narrow list shows what tells runs apart; the rest is in the dashboard and tooltips.
    for (int column : {RunsModel::Progress, RunsModel::Size})
        list_->setColumnHidden(column, true);
    leftLayout->addWidget(list_, 1);
    auto* where = new QLabel(left);
    where->setWordWrap(true);
    where->setForegroundRole(QPalette::PlaceholderText);
    leftLayout->addWidget(where);
    splitter->addWidget(left);

    dashboard_ = new TrainDashboard(controller_, splitter);
    splitter->addWidget(dashboard_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({520, 820});

    connect(newRun_, &QPushButton::clicked, this, &TrainView::newTrainingRequested);
    connect(resume_, &QPushButton::clicked, this, [this] { resumeRun(selectedRun()); });
    connect(refresh_, &QPushButton::clicked, runs_, &RunsModel::refresh);
    connect(list_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TrainView::showSelected);
    connect(runs_, &RunsModel::scanned, this, [this, where] {
        where->setText(tr("Runs in %1").arg(QDir::toNativeSeparators(runs_->runsFolder())));
        const QString wanted = wantedSelection_.isEmpty() ? dashboard_->runPath() : wantedSelection_;
        if (!wanted.isEmpty())
            selectRun(wanted);
        else if (runs_->rowCount() > 0)
            list_->setCurrentIndex(runs_->index(0, 0));
        updateButtons();
    });
    connect(dashboard_, &TrainDashboard::resumeRequested, this, &TrainView::resumeRun);
    connect(dashboard_, &TrainDashboard::openResultsRequested, this, &TrainView::openResultsRequested);
    connect(dashboard_, &TrainDashboard::useAsModelRequested, this, &TrainView::useAsModelRequested);
    connect(controller_, &TrainController::runStarted, this, [this] {
        runs_->refreshRun(controller_->runDir());
        selectRun(controller_->runDir());
    });
    // The running row's progress and best accuracy follow the epochs.
    connect(controller_, &TrainController::epochFinished, this, [this] { runs_->refreshRun(controller_->runDir()); });
    connect(controller_, &TrainController::runningChanged, this, [this](bool running) {
        updateButtons();
        emit trainingChanged(running);
    });
    // After the dashboard's own handler (the error message): the run as its files now say.
    connect(controller_, &TrainController::runFinished, this, [this] {
        runs_->refreshRun(controller_->runDir());
        if (const RunInfo* info = runs_->run(controller_->runDir()); info && QDir::cleanPath(dashboard_->runPath()) == QDir::cleanPath(controller_->runDir()))
            dashboard_->showRun(*info);
        emit runFinished(controller_->runDir());
    });
    connect(runs_, &QAbstractItemModel::modelReset, this, [this] {
        QList<QPair<QString, QString>> comparable;
        for (const RunInfo& r : runs_->runs())
            comparable.append({QString::fromStdString(r.path), QString::fromStdString(r.name)});
        dashboard_->setComparableRuns(comparable);
    });

    setRunsFolder(RunsModel::defaultRunsFolder());
    updateButtons();
}

TrainView::~TrainView() = default;

void TrainView::setDatasetRoot(const QString& root) { datasetRoot_ = root; }

void TrainView::setRunsFolder(const QString& folder) { runs_->setRunsFolder(folder); }

void TrainView::setExtraRuns(const QStringList& runs) { runs_->setExtraRuns(runs); }

bool TrainView::isTraining() const { return controller_->isRunning(); }

void TrainView::showError(const QString& title, const QString& text)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box.exec();
}

bool TrainView::startTraining(const TrainConfig& config)
{
    QString error;
    if (!controller_->start(config, &error)) {
        showError(tr("Cannot start the training"), error);
        return false;
    }
    wantedSelection_ = controller_->runDir();
    return true;
}

bool TrainView::resumeRun(const QString& runDir)
{
    if (runDir.isEmpty())
        return false;
    QString error;
    if (!controller_->resume(runDir, &error)) {
        showError(tr("Cannot resume %1").arg(QFileInfo(runDir).fileName()), error);
        return false;
    }
    wantedSelection_ = runDir;
    if (const RunInfo* info = runs_->run(runDir))
        dashboard_->showRun(*info);
    return true;
}

void TrainView::selectRun(const QString& runDir)
{
    const int row = runs_->rowOf(runDir);
    if (row < 0) {
        wantedSelection_ = runDir;  // after the scan that finds it
        return;
    }
    wantedSelection_.clear();
    list_->setCurrentIndex(runs_->index(row, 0));
    showSelected();
}

QString TrainView::selectedRun() const
{
    const QModelIndex index = list_->currentIndex();
    return index.isValid() ? index.data(RunsModel::PathRole).toString() : QString();
}

void TrainView::showSelected()
{
    const QString path = selectedRun();
    if (const RunInfo* info = path.isEmpty() ? nullptr : runs_->run(path))
        dashboard_->showRun(*info);
    else
        dashboard_->clearRun();
    updateButtons();
}

void TrainView::updateButtons()
{
    const RunInfo* info = runs_->run(selectedRun());
    resume_->setEnabled(!controller_->isRunning() && info && info->resumable());
    newRun_->setEnabled(!controller_->isRunning());
    newRun_->setToolTip(controller_->isRunning() ? tr("One training at a time: this one is still running")
                                                 : tr("Choose the data, the model and the schedule, then train (Ctrl+N)"));
}

}  // namespace cassava::ui
