#include "DemoDataset.h"

#include "AppInfo.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace cassava::ui {

namespace {

QString partialPath(const QString& target) { return target + QStringLiteral(".partial"); }

void removeFolder(const QString& path)
{
    QDir dir(path);
    if (dir.exists())
        dir.removeRecursively();
}

}  // namespace

QString demoDatasetPath()
{
    return appDataFolder(QStringLiteral("demo"));
}

bool demoDatasetExists(const QString& path) { return QFileInfo(path).isDir(); }

DemoGenerator::DemoGenerator(QObject* parent) : QObject(parent) {}

DemoGenerator::~DemoGenerator()
{
    if (running_) {
        cancel_->store(true);
        future_.waitForFinished();
        removeFolder(partialPath(target_));
    }
}

void DemoGenerator::start(const QString& target)
{
    if (running_)
        return;
    running_ = true;
    target_ = target;
    cancel_ = std::make_shared<std::atomic<bool>>(false);

    const QString partial = partialPath(target);
    removeFolder(partial);  // left by a run that crashed or was killed
    SynthOptions options = options_;
    options.outDir = partial.toStdString();

    // The worker touches only its copies and the shared flag; progress goes out as a signal,
    // which Qt queues to this object's thread.
    auto cancel = cancel_;
    future_ = QtConcurrent::run([this, options, cancel]() -> Outcome {
        Outcome outcome;
        if (cancel->load()) {
            outcome.report.cancelled = true;
            return outcome;
        }
        try {
            QDir().mkpath(QString::fromStdString(options.outDir));
            outcome.report = synthesize(
                options, [this](int done, int total) { emit progress(done, total); }, cancel.get());
        } catch (const std::exception& e) {
            outcome.error = QString::fromStdString(e.what());
        }
        if (cancel->load())
            outcome.report.cancelled = true;
        return outcome;
    });
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        finish(watcher->result());
    });
    watcher->setFuture(future_);
}

void DemoGenerator::cancel()
{
    if (running_)
        cancel_->store(true);
}

void DemoGenerator::finish(const Outcome& outcome)
{
    running_ = false;
    const QString partial = partialPath(target_);
    if (outcome.report.cancelled) {
        removeFolder(partial);
        emit cancelled();
        return;
    }
    if (!outcome.error.isEmpty()) {
        removeFolder(partial);
        emit failed(outcome.error);
        return;
    }
    // Another instance may have finished first; its demo is as good as ours.
    if (demoDatasetExists(target_)) {
        removeFolder(partial);
        emit finished(target_);
        return;
    }
    if (!QDir().rename(partial, target_)) {
        removeFolder(partial);
        emit failed(tr("could not move %1 to %2").arg(QDir::toNativeSeparators(partial),
                                                      QDir::toNativeSeparators(target_)));
        return;
    }
    emit finished(target_);
}

}  // namespace cassava::ui
