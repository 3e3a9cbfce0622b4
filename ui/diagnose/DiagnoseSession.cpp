#include "DiagnoseSession.h"

#include "DiagnoseModel.h"
#include "PhotoLoader.h"
#include "PhotoSources.h"

namespace cassava::ui {

namespace {

// Photos per request to the worker: small enough that cards fill in steadily and a cancel or a
// heatmap waits at most a moment, large enough to keep the network's batches full.
constexpr int kBatchPhotos = 8;

int kibibytes(const QImage& image)
{
    return static_cast<int>(image.sizeInBytes() / 1024) + 1;
}

}  // namespace

DiagnoseSession::DiagnoseSession(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<LoadedModel>();
    qRegisterMetaType<QList<LeafResult>>();
    qRegisterMetaType<HeatmapResult>();
    photos_.setMaxCost(48 * 1024);    // KiB: display-size photos of the cards looked at lately
    overlays_.setMaxCost(64 * 1024);  // KiB: heatmaps, kept until the model changes

    model_ = new DiagnoseModel(this);
    loader_ = new PhotoLoader(this);
    worker_ = new DiagnoseWorker;
    worker_->moveToThread(&thread_);
    thread_.setObjectName(QStringLiteral("diagnose-worker"));
    connect(worker_, &DiagnoseWorker::modelLoaded, this, [this](quint64 generation, const LoadedModel& info) {
        if (generation != generation_)
            return;
        loading_ = false;
        ready_ = true;
        loaded_ = info;
        model_->setLabels(info.labels);
        emit modelLoaded(info);
        emit modelReset();
        sendNextBatch();
        updateBusy();
    });
    connect(worker_, &DiagnoseWorker::modelFailed, this,
            [this](quint64 generation, const QString& path, const QString& message) {
                if (generation != generation_)
                    return;
                loading_ = ready_ = false;
                loaded_ = LoadedModel();
                emit modelFailed(path, message);
                emit progressChanged(done_, total(), 0);
                updateBusy();
            });
    connect(worker_, &DiagnoseWorker::diagnosed, this, &DiagnoseSession::onDiagnosed);
    connect(worker_, &DiagnoseWorker::progress, this, [this](quint64 generation, int done, int, double rate) {
        if (generation == generation_)
            emit progressChanged(done_ + done, total(), rate);
    });
    connect(worker_, &DiagnoseWorker::heatmapReady, this, &DiagnoseSession::onHeatmap);
    thread_.start();

    connect(loader_, &PhotoLoader::thumbnailReady, this,
            [this](quint64 id, const QImage& thumb, bool leaf, double share, const QString& error) {
                if (!error.isEmpty()) {
                    model_->setThumbnail(id, {}, false, true, 0);
                    model_->setError(id, error);  // the queue skips it: nothing to predict
                } else {
                    model_->setThumbnail(id, thumb, true, leaf, share);
                }
                updateBusy();
            });
    connect(loader_, &PhotoLoader::photoReady, this, [this](quint64 id, const QImage& photo, const QString& error) {
        if (!photo.isNull())
            photos_.insert(id, new QImage(photo), kibibytes(photo));
        emit photoReady(id, photo, error);
        updateBusy();
    });
    connect(loader_, &PhotoLoader::idle, this, &DiagnoseSession::updateBusy);
}

DiagnoseSession::~DiagnoseSession()
{
    if (batchCancel_)
        batchCancel_->store(true);
    thread_.quit();
    thread_.wait();
    delete worker_;
}

void DiagnoseSession::load(const ModelRequest& request, bool rediagnose)
{
    ++generation_;
    ready_ = false;
    loading_ = true;
    loaded_ = LoadedModel();
    if (batchCancel_)
        batchCancel_->store(true);  // the running batch's answers are the old model's
    overlays_.clear();
    heatmapsInFlight_.clear();
    inFlight_ = 0;  // its cards are queued again; its answers will not count
    requeue(rediagnose);
    const quint64 g = generation_;
    QMetaObject::invokeMethod(worker_, [w = worker_, g, request] { w->loadModel(g, request); }, Qt::QueuedConnection);
    emit modelReset();
    emit progressChanged(done_, total(), 0);
    updateBusy();
}

void DiagnoseSession::unload()
{
    ++generation_;
    ready_ = loading_ = false;
    loaded_ = LoadedModel();
    if (batchCancel_)
        batchCancel_->store(true);
    overlays_.clear();
    heatmapsInFlight_.clear();
    inFlight_ = 0;
    requeue(true);
    const quint64 g = generation_;
    QMetaObject::invokeMethod(worker_, [w = worker_, g] { w->unloadModel(g); }, Qt::QueuedConnection);
    emit modelReset();
    updateBusy();
}

// Cards go back in the queue: the ones in flight always (their answers will be dropped), all the
// diagnosed ones too when the model or its views changed.
void DiagnoseSession::requeue(bool everything)
{
    for (int r = 0; r < model_->rowCount(); ++r) {
        const LeafCard& c = model_->cardAt(r);
        const bool inFlight = c.state == CardState::Diagnosing;
        const bool redo = everything && (c.state == CardState::Done || c.state == CardState::Cancelled);
        if (!inFlight && !redo && !(c.state == CardState::Waiting && !pending_.contains(c.id)))
            continue;
        const quint64 id = c.id;
        model_->setState(id, CardState::Waiting);
        if (!pending_.contains(id))
            pending_.append(id);
    }
}

int DiagnoseSession::addPhotos(const QStringList& paths)
{
    int added = 0;
    for (const PhotoGroup& g : collectPhotos(paths)) {
        const QList<quint64> ids = model_->addPhotos(g.paths);
        if (!g.plantName.isEmpty()) {
            QList<int> rows;
            for (quint64 id : ids)
                rows.append(model_->rowOf(id));
            model_->groupAsPlant(rows, g.plantName);
        }
        for (quint64 id : ids) {
            loader_->requestThumbnail(id, model_->card(id)->path);
            pending_.append(id);
        }
        added += static_cast<int>(ids.size());
    }
    if (added > 0) {
        sendNextBatch();
        emit progressChanged(done_, total(), 0);
        updateBusy();
    }
    return added;
}

void DiagnoseSession::removeCards(const QList<int>& rows)
{
    for (int r : rows) {
        if (r < 0 || r >= model_->rowCount())
            continue;
        const quint64 id = model_->cardAt(r).id;
        pending_.removeAll(id);
        photos_.remove(id);
    }
    model_->removeCards(rows);  // answers still on their way find no card and are dropped
    emit progressChanged(done_, total(), 0);
    updateBusy();
}

void DiagnoseSession::sendNextBatch()
{
    if (!ready_ || batchInFlight_)
        return;
    QVector<quint64> ids;
    QStringList paths;
    while (!pending_.isEmpty() && ids.size() < kBatchPhotos) {
        const quint64 id = pending_.takeFirst();
        const LeafCard* c = model_->card(id);
        if (!c || c->state == CardState::Error) {  // removed, or already known to be unreadable
            ++done_;
            continue;
        }
        ids.append(id);
        paths.append(c->path);
        model_->setState(id, CardState::Diagnosing);
    }
    if (ids.isEmpty()) {
        done_ = 0;  // the work is finished
        emit progressChanged(0, 0, 0);
        updateBusy();
        return;
    }
    batchInFlight_ = true;
    inFlight_ = static_cast<int>(ids.size());
    batchCancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 g = generation_;
    QMetaObject::invokeMethod(
        worker_, [w = worker_, g, ids, paths, flag = batchCancel_] { w->diagnose(g, ids, paths, flag); },
        Qt::QueuedConnection);
    updateBusy();
}

void DiagnoseSession::onDiagnosed(quint64 generation, const QList<LeafResult>& results)
{
    batchInFlight_ = false;
    batchCancel_.reset();
    if (generation == generation_) {
        inFlight_ = 0;
        for (const LeafResult& r : results) {
            const LeafCard* c = model_->card(r.id);
            if (!c || c->state != CardState::Diagnosing)
                continue;
            if (r.cancelled)
                model_->setState(r.id, CardState::Cancelled);
            else if (!r.error.isEmpty())
                model_->setError(r.id, r.error);
            else
                model_->setResult(r.id, r.probabilities);
        }
        done_ += static_cast<int>(results.size());
    }
    emit progressChanged(done_, total(), 0);
    sendNextBatch();
    updateBusy();
}

void DiagnoseSession::cancel()
{
    if (batchCancel_)
        batchCancel_->store(true);
    for (quint64 id : pending_)
        if (const LeafCard* c = model_->card(id); c && c->state == CardState::Waiting)
            model_->setState(id, CardState::Cancelled);
    pending_.clear();
    emit progressChanged(done_, total(), 0);
    updateBusy();
}

void DiagnoseSession::diagnoseRemaining()
{
    for (int r = 0; r < model_->rowCount(); ++r) {
        const LeafCard& c = model_->cardAt(r);
        if ((c.state == CardState::Cancelled || c.state == CardState::Waiting) && !pending_.contains(c.id)) {
            const quint64 id = c.id;
            model_->setState(id, CardState::Waiting);
            pending_.append(id);
        }
    }
    sendNextBatch();
    emit progressChanged(done_, total(), 0);
    updateBusy();
}

bool DiagnoseSession::isWorking() const
{
    return ready_ && (batchInFlight_ || !pending_.isEmpty());
}

bool DiagnoseSession::isBusy() const
{
    return loading_ || batchInFlight_ || (ready_ && !pending_.isEmpty()) || loader_->pending() > 0 ||
           !heatmapsInFlight_.isEmpty();
}

int DiagnoseSession::total() const
{
    return done_ + inFlight_ + static_cast<int>(pending_.size());
}

int DiagnoseSession::cancelledCount() const
{
    int n = 0;
    for (int r = 0; r < model_->rowCount(); ++r)
        n += model_->cardAt(r).state == CardState::Cancelled;
    return n;
}

void DiagnoseSession::updateBusy()
{
    const bool busy = isBusy();
    if (busy != lastBusy_) {
        lastBusy_ = busy;
        emit busyChanged(busy);
    }
}

void DiagnoseSession::requestPhoto(quint64 id)
{
    if (QImage* cached = photos_.object(id)) {
        emit photoReady(id, *cached, {});
        return;
    }
    if (const LeafCard* c = model_->card(id))
        loader_->requestPhoto(id, c->path);
    updateBusy();
}

void DiagnoseSession::requestHeatmap(quint64 id, int target)
{
    const auto key = qMakePair(id, target);
    if (QImage* cached = overlays_.object(key)) {
        emit heatmapReady(id, target, *cached, {});
        return;
    }
    const LeafCard* c = model_->card(id);
    if (!c || !ready_ || heatmapsInFlight_.contains(key))
        return;  // without a model, modelReset() brings the request back once there is one
    heatmapsInFlight_.insert(key);
    const quint64 g = generation_;
    const QString path = c->path;
    QMetaObject::invokeMethod(
        worker_, [w = worker_, g, id, path, target] { w->computeHeatmap(g, id, path, target); }, Qt::QueuedConnection);
    updateBusy();
}

void DiagnoseSession::onHeatmap(quint64 generation, const HeatmapResult& result)
{
    if (generation != generation_)
        return;  // load() forgot the requests
    const auto key = qMakePair(result.id, result.target);
    heatmapsInFlight_.remove(key);
    if (result.error.isEmpty() && !result.overlay.isNull()) {
        overlays_.insert(key, new QImage(result.overlay), kibibytes(result.overlay));
        if (!photos_.contains(result.id) && !result.photo.isNull()) {
            photos_.insert(result.id, new QImage(result.photo), kibibytes(result.photo));
            emit photoReady(result.id, result.photo, {});
        }
    }
    emit heatmapReady(result.id, result.target, result.overlay, result.error);
    updateBusy();
}

}  // namespace cassava::ui
