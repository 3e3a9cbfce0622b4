#include "Tour.h"

#include "DiagnoseView.h"
#include "DiagnosisDetails.h"
#include "MainWindow.h"
#include "ShortcutSheet.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QMenuBar>
#include <QPixmap>
#include <QSaveFile>
#include <QTimer>

namespace cassava::ui {

namespace {
constexpr int pollMs = 150;
// Idle polls in a row before a picture: lazy work (thumbnails of the visible rows, heatmaps)
// starts when a page is shown and finishes within a few frames.
constexpr int settlePolls = 6;
}  // namespace

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
    if (window_->isBusy()) {
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

// Step 0: the start page; 1..5: the views; 6: the shortcut sheet.
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
        if (!save(window_, QStringLiteral("%1-%2.png").arg(step_).arg(
                               MainWindow::viewKey(window_->currentView()))))
            return;
    } else {
        ShortcutSheet sheet(window_->menuBar(), window_);
        sheet.show();
        QApplication::processEvents();
        if (!save(&sheet, QStringLiteral("%1-shortcuts.png").arg(views + 1)))
            return;
        timer_->stop();
        emit finished(0);
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
    }
    waited_.restart();
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
