#include "DatasetOpener.h"

#include "Dataset.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace cassava::ui {

namespace {

struct OpenResult {
    std::shared_ptr<const Dataset> dataset;
    QString error;
};

OpenResult openInBackground(const QString& root)
{
    OpenResult result;
    try {
        result.dataset = std::make_shared<const Dataset>(Dataset::open(root.toStdString()));
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    } catch (...) {
        result.error = QObject::tr("unexpected error while reading the folder");
    }
    return result;
}

}  // namespace

DatasetOpener::DatasetOpener(QObject* parent) : QObject(parent) {}

// Watchers are children and go with the opener; a still-running open finishes on the pool and
// its result is discarded.
DatasetOpener::~DatasetOpener() = default;

void DatasetOpener::open(const QString& root)
{
    const quint64 request = ++latestRequest_;
    const bool wasBusy = isBusy();
    pendingRoot_ = root;
    auto* watcher = new QFutureWatcher<OpenResult>(this);
    connect(watcher, &QFutureWatcher<OpenResult>::finished, this, [this, watcher, request, root] {
        watcher->deleteLater();
        if (request != latestRequest_)
            return;  // a later open() superseded this one
        const OpenResult result = watcher->result();
        pendingRoot_.clear();
        emit busyChanged(false);
        if (result.dataset)
            emit opened(result.dataset);
        else
            emit failed(root, result.error);
    });
    watcher->setFuture(QtConcurrent::run(openInBackground, root));
    if (!wasBusy)
        emit busyChanged(true);
}

}  // namespace cassava::ui
