// The Review view's background work: the pictures made ahead on the workers (photo and both
// heatmaps, the comparison strips) with their bounded cache, and the TTA re-scoring.
#include "ReviewView.h"

#include "ReviewSession.h"
#include "SuspectDetails.h"
#include "SuspectsModel.h"

#include "OutOfFold.h"

#include <QFuture>
#include <QProgressBar>
#include <QThread>
#include <QToolButton>
#include <QTreeView>
#include <QtConcurrent/QtConcurrentRun>

namespace cassava::ui {

namespace {

constexpr int kPicturesKept = 40;
constexpr int kAhead = 3;  // undecided suspects made ahead of the current one

}  // namespace

struct ReviewView::Rescore {
    std::atomic<bool> cancel{false};
    QFuture<void> future;
};

ReviewView::~ReviewView()
{
    if (rescoring_) {
        rescoring_->cancel = true;
        rescoring_->future.waitForFinished();
    }
    queue_->setRun(++generation_, {});  // nothing more to start
    for (QThread* thread : threads_) {
        thread->quit();
        thread->wait();
    }
}

// Another run, no run, or new scores: what was made for the old ones is dropped, and answers still
// on their way are told apart by their generation.
void ReviewView::resetPictures(const QString& runDir)
{
    ++generation_;
    queue_->setRun(generation_, runDir);
    pictures_.clear();
    pictureOrder_.clear();
    examples_.clear();
    examplesAsked_.clear();
    shownId_.clear();
}

const SuspectPicture* ReviewView::picture(const QString& imageId) const
{
    const auto it = pictures_.constFind(imageId);
    return it == pictures_.constEnd() ? nullptr : &it.value();
}

void ReviewView::prefetch()
{
    const int current = list_->currentIndex().row();
    if (current < 0)
        return;
    QVector<PictureRequest> wanted;
    QSet<QString> listed;
    const auto want = [&](int proxyRow) {
        const QString id = proxy_->index(proxyRow, 0).data(SuspectsModel::ImageIdRole).toString();
        if (id.isEmpty() || listed.contains(id) || pictures_.contains(id))
            return;
        listed.insert(id);
        const Suspect& s = model_->suspect(model_->rowOf(id));
        wanted.push_back({id, session_->imagePath(id), session_->table().folds.at(s.row), s.givenLabel, s.suggestedLabel});
    };
    want(current);
    // The undecided suspects a decision moves to, then the neighbours an arrow moves to.
    QSet<QString> skip{proxy_->index(current, 0).data(SuspectsModel::ImageIdRole).toString()};
    int from = current;
    for (int k = 0; k < kAhead; ++k) {
        const int row = nextUndecidedRow(from, skip);
        if (row < 0)
            break;
        want(row);
        skip.insert(proxy_->index(row, 0).data(SuspectsModel::ImageIdRole).toString());
        from = row;
    }
    want(current + 1);
    if (current > 0)
        want(current - 1);
    queue_->schedule(generation_, wanted);
    if (!wanted.isEmpty())
        for (ReviewWorker* worker : workers_)
            QMetaObject::invokeMethod(worker, &ReviewWorker::drain, Qt::QueuedConnection);
}

void ReviewView::pictureArrived(quint64 generation, const SuspectPicture& picture)
{
    if (generation != generation_)
        return;
    if (!pictures_.contains(picture.imageId))
        pictureOrder_.push_back(picture.imageId);
    pictures_.insert(picture.imageId, picture);
    const QString current = currentImageId();
    while (static_cast<int>(pictureOrder_.size()) > kPicturesKept) {
        const QString oldest = pictureOrder_.front();
        pictureOrder_.pop_front();
        if (oldest == current) {
            pictureOrder_.push_back(oldest);
            continue;
        }
        pictures_.remove(oldest);
        queue_->forget(oldest);
    }
    if (picture.imageId == current) {
        shownId_.clear();  // show the photo that has arrived
        showCurrent();
    }
}

void ReviewView::requestExamples(int label)
{
    if (examplesAsked_.contains(label) || !session_->isOpen())
        return;
    examplesAsked_.insert(label);
    QStringList paths;
    for (size_t row : confidentExamples(session_->table(), label, 4)) {
        const QString id = QString::fromStdString(session_->table().imageIds[row]);
        const QString path = session_->imagePath(id);
        if (path.isEmpty())
            continue;
        paths << path;
    }
    const quint64 generation = generation_;
    QMetaObject::invokeMethod(workers_.front(), [worker = workers_.front(), generation, label, paths] {
        worker->loadExamples(generation, label, paths);
    }, Qt::QueuedConnection);
}

void ReviewView::examplesArrived(quint64 generation, int label, const QVector<QImage>& thumbnails)
{
    if (generation != generation_)
        return;
    examples_.insert(label, thumbnails);
    details_->setExamples(label, thumbnails);
}

void ReviewView::rescore(int runs)
{
    if (rescoring_ || !session_->isOpen() || session_->table().rows() == 0)
        return;
    auto job = std::make_shared<Rescore>();
    rescoring_ = job;
    const quint64 id = ++rescoreId_;
    rescoreBar_->setRange(0, static_cast<int>(session_->table().rows()));
    rescoreBar_->setValue(0);
    rescoreBar_->setFormat(tr("TTA %p %"));
    rescoreBar_->show();
    cancelRescore_->show();
    updateProgress();
    PredictorOptions options;
    options.views.runs = runs;
    job->future = QtConcurrent::run([this, job, id, options, run = session_->runDir().toStdString(),
                                     dataset = session_->journal()->dataset(), table = session_->table()]() mutable {
        bool ok = false;
        QString message;
        try {
            const RescoreResult result = rescoreOutOfFold(
                run, dataset, table, options,
                [this, id](const RescoreProgress& p) {
                    QMetaObject::invokeMethod(this, [this, id, done = static_cast<int>(p.done)] {
                        if (id == rescoreId_)
                            rescoreBar_->setValue(done);
                    }, Qt::QueuedConnection);
                },
                &job->cancel);
            ok = !result.cancelled;
            message = result.cancelled ? tr("TTA re-scoring cancelled; the scores are as they were.")
                                       : tr("Re-scored %1 photos with %2 TTA runs%3.")
                                             .arg(table.rows())
                                             .arg(options.views.runs)
                                             .arg(result.warnings.empty()
                                                      ? QString()
                                                      : tr("; %n kept their scores (unreadable)", nullptr,
                                                           static_cast<int>(result.warnings.size())));
        } catch (const std::exception& e) {
            message = tr("TTA re-scoring failed: %1").arg(QString::fromStdString(e.what()));
        }
        QMetaObject::invokeMethod(this, [this, id, ok, table = std::move(table), message]() mutable {
            finishRescore(id, ok, std::move(table), message);
        }, Qt::QueuedConnection);
    });
}

void ReviewView::cancelRescore()
{
    if (rescoring_)
        rescoring_->cancel = true;
}

void ReviewView::finishRescore(quint64 id, bool ok, ProbabilityTable table, const QString& message)
{
    if (id != rescoreId_)
        return;
    rescoring_.reset();
    rescoreBar_->hide();
    cancelRescore_->hide();
    if (ok)
        session_->setRescoredTable(std::move(table));
    updateProgress();
    emit statusMessage(message);
    emit rescoreFinished(ok, message);
}

}  // namespace cassava::ui
