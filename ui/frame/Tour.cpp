#include "Tour.h"

#include "DiagnoseView.h"
#include "DiagnosisDetails.h"
#include "MainWindow.h"
#include "ReviewView.h"
#include "RunHistory.h"
#include "ShortcutSheet.h"
#include "TrainController.h"
#include "TrainView.h"
#include "TrainWizard.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QMenuBar>
#include <QPixmap>
#include <QSaveFile>
#include <QTimer>

#include <cstdio>

namespace cassava::ui {

namespace {
constexpr int pollMs = 150;
// Idle polls in a row before a picture: lazy work (thumbnails of the visible rows, heatmaps)
// starts when a page is shown and finishes within a few frames.
constexpr int settlePolls = 6;
// After the views (1..5) and the shortcut sheet (6): the wizard's five pages, then the dashboard.
constexpr int shortcutsStep = MainWindow::viewCount + 1;
constexpr int firstWizardStep = shortcutsStep + 1;
constexpr int wizardPages = 5;
constexpr int trainingStep = firstWizardStep + wizardPages;
const char* const wizardPageNames[wizardPages] = {"dataset", "model", "schedule", "labels", "summary"};
}  // namespace

QStringList Tour::pictureNames()
{
    QStringList names{QStringLiteral("0-start.png")};
    for (int v = 0; v < MainWindow::viewCount; ++v)
        names << QStringLiteral("%1-%2.png").arg(v + 1).arg(MainWindow::viewKey(static_cast<MainWindow::View>(v)));
    names << QStringLiteral("%1-shortcuts.png").arg(shortcutsStep);
    for (int p = 0; p < wizardPages; ++p)
        names << QStringLiteral("%1-wizard-%2.png").arg(firstWizardStep + p).arg(QLatin1String(wizardPageNames[p]));
    names << QStringLiteral("%1-train-live.png").arg(trainingStep);
    return names;
}

Tour::~Tour() = default;

Tour::Tour(MainWindow* window, QString outDir, QObject* parent)
    : QObject(parent), window_(window), outDir_(std::move(outDir)), timer_(new QTimer(this))
{
    timer_->setInterval(pollMs);
    connect(timer_, &QTimer::timeout, this, &Tour::poll);
}

void Tour::start()
{
    if (!QDir().mkpath(outDir_)) {
        fail(tr("cannot create %1").arg(QDir::toNativeSeparators(outDir_)));
        return;
    }
    waited_.start();
    timer_->start();
}

void Tour::poll()
{
    if (step_ == trainingStep) {
        pollTraining();
        return;
    }
    if (window_->isBusy() || (wizard_ && wizard_->isBusy())) {
        idlePolls_ = 0;
        if (waited_.elapsed() > timeoutMs_)
            fail(tr("the window was still busy after %1 s").arg(timeoutMs_ / 1000));
        return;
    }
    if (++idlePolls_ < settlePolls)
        return;
    idlePolls_ = 0;
    shootNext();
}

// Step 0: the start page; 1..5: the views; 6: the shortcut sheet; 7..11: the wizard's pages;
// 12: the dashboard of a live training.
void Tour::shootNext()
{
    constexpr int views = MainWindow::viewCount;
    if (step_ == 0) {
        window_->setStartPageShown(true);
        window_->setView(MainWindow::View::Dataset);
        QApplication::processEvents();
        const bool ok = save(window_, QStringLiteral("0-start.png"));
        window_->setStartPageShown(false);
        if (!ok)
            return;
    } else if (step_ <= views) {
        // The page to photograph is shown one step ahead, so its lazy work has settled.
        if (!save(window_, pictureNames().at(step_)))
            return;
        const ReviewView* review = window_->reviewView();
        if (static_cast<MainWindow::View>(step_ - 1) == MainWindow::View::Review)
            std::fprintf(stderr, "%s: %s\n", qPrintable(pictureNames().at(step_)),
                         review->hasSuspects()
                             ? qPrintable(QStringLiteral("suspect %1 of %2 (%3)")
                                              .arg(review->currentImageId())
                                              .arg(review->suspectCount())
                                              .arg(review->method() == DenoiseMethod::Recipe
                                                       ? QStringLiteral("recipe rule at %1").arg(review->threshold())
                                                       : QStringLiteral("confident learning")))
                             : "no suspect");
    } else if (step_ == shortcutsStep) {
        ShortcutSheet sheet(window_->menuBar(), window_);
        sheet.show();
        QApplication::processEvents();
        if (!save(&sheet, pictureNames().at(step_)))
            return;
    } else {
        shootWizard();
        return;
    }
    ++step_;
    if (step_ <= views) {
        const auto view = static_cast<MainWindow::View>(step_ - 1);
        window_->setView(view);
        // The Diagnose picture shows the first card in the details pane, with its heatmap.
        DiagnoseView* diagnose = window_->diagnoseView();
        if (view == MainWindow::View::Diagnose && diagnose->cardCount() > 0) {
            diagnose->selectRows({0});
            diagnose->details()->setHeatmapShown(true);
        }
        // The Review picture shows a suspect: a run that learnt little flags nothing at the recipe's
        // threshold, so the tour widens it (the picture says which method and threshold it shows).
        ReviewView* review = window_->reviewView();
        if (view == MainWindow::View::Review && review->isShowingSuspects() && !review->hasSuspects()) {
            review->setMethod(DenoiseMethod::Confident);
            if (!review->hasSuspects()) {
                review->setMethod(DenoiseMethod::Recipe);
                review->setThreshold(0.5);
            }
        }
    }
    waited_.restart();
}

// Each wizard page is shown a poll ahead, as the views are, so its work (reading the dataset,
// timing a step) has finished when it is photographed.
void Tour::shootWizard()
{
    if (!wizard_) {
        wizard_ = std::make_unique<TrainWizard>(window_->currentRoot(), window_);
        wizard_->show();
        wizard_->showPageForTour(TrainWizard::DatasetPageId);
        waited_.restart();
        return;
    }
    const int page = step_ - firstWizardStep;
    if (!save(wizard_.get(), pictureNames().at(step_)))
        return;
    ++step_;
    if (page + 1 < wizardPages) {
        wizard_->showPageForTour(page + 1);
    } else {
        // The tour's own training: the wizard's settings on at most 200 images, 4 epochs, in a
        // temporary folder; photographed live after its second epoch, then cancelled.
        TrainConfig config = wizard_->config();
        wizard_->hide();
        if (window_->currentRoot().isEmpty()) {
            finish();  // nothing to train on: no picture of a live training
            return;
        }
        trainingDir_ = std::make_unique<QTemporaryDir>();
        config.out = trainingDir_->filePath(QStringLiteral("tour-run")).toStdString();
        config.limit = config.limit > 0 ? std::min(config.limit, 200) : 200;
        config.epochs = 4;
        config.logEverySteps = 1;
        config.folds = 0;
        config.runFolds.clear();
        window_->setView(MainWindow::View::Train);
        trainingStarted_ = window_->trainView()->startTraining(config);
        if (!trainingStarted_)
            fail(tr("the tour's training did not start"));
    }
    waited_.restart();
}

void Tour::pollTraining()
{
    TrainController* controller = window_->trainView()->controller();
    if (waited_.elapsed() > timeoutMs_) {
        controller->cancel();
        fail(tr("the tour's training did not reach its second epoch in %1 s").arg(timeoutMs_ / 1000));
        return;
    }
    if (!trainingShot_) {
        const bool twoEpochs = controller->history().epochs().size() >= 2;
        if (!controller->isRunning()) {
            fail(tr("the tour's training ended before its picture"));
            return;
        }
        // Mid-run: the second epoch done, the third under way.
        if (!twoEpochs || controller->lastStep().epoch < 2 || controller->lastStep().batch < 1)
            return;
        if (++idlePolls_ < 3)  // let the throttled curves redraw
            return;
        idlePolls_ = 0;
        if (!save(window_, pictureNames().at(step_)))
            return;
        trainingShot_ = true;
        controller->cancel();
        return;
    }
    if (controller->isRunning())
        return;  // cancelled within a batch
    finish();
}

void Tour::finish()
{
    timer_->stop();
    emit finished(0);
}

bool Tour::save(QWidget* widget, const QString& name)
{
    const QString path = QDir(outDir_).filePath(name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !widget->grab().toImage().save(&file, "PNG") ||
        !file.commit()) {
        fail(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return false;
    }
    written_ << path;
    return true;
}

void Tour::fail(const QString& error)
{
    timer_->stop();
    error_ = error;
    emit finished(1);
}

}  // namespace cassava::ui
