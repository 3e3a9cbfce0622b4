#pragma once
// The work behind the Diagnose view, with no widgets: the cards (DiagnoseModel), thumbnails
// (PhotoLoader's pool) and the network (DiagnoseWorker on its own QThread). Photos wait in a
// queue and go to the worker a small batch at a time, so cards fill in as they are done, a
// cancel takes effect within a batch and a heatmap asked for meanwhile waits at most one batch.
// A new model (or new views) bumps the generation: answers of the old one are dropped and the
// cards are diagnosed again. Heatmaps and display-size photos are cached. start/progress/cancel
// follow KJob's shape: nothing here blocks, results come as signals.
#include "DiagnoseWorker.h"

#include <QCache>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPair>
#include <QSet>
#include <QThread>

#include <atomic>
#include <memory>

namespace cassava::ui {

class DiagnoseModel;
class PhotoLoader;

class DiagnoseSession : public QObject {
    Q_OBJECT
public:
    explicit DiagnoseSession(QObject* parent = nullptr);
    ~DiagnoseSession() override;

    DiagnoseModel* model() const { return model_; }
    PhotoLoader* loader() const { return loader_; }

    // Loads the model on the worker; `rediagnose`: every card is diagnosed again with it (a new
    // model, new views), otherwise only the cards that were in flight (same answers expected).
    void load(const ModelRequest& request, bool rediagnose);
    void unload();
    bool isModelReady() const { return ready_; }
    bool isModelLoading() const { return loading_; }
    const LoadedModel& loadedModel() const { return loaded_; }

    // New cards for the photos (folders expanded, a small folder grouped as a plant); returns
    // how many were added.
    int addPhotos(const QStringList& paths);
    void removeCards(const QList<int>& rows);
    void cancel();
    void diagnoseRemaining();

    bool isWorking() const;  // photos queued or in flight for a ready model
    bool isBusy() const;     // anything running: loading, diagnosing, thumbnails, heatmaps
    int done() const { return done_; }
    int total() const;
    int cancelledCount() const;

    void requestPhoto(quint64 id);
    void requestHeatmap(quint64 id, int target);

signals:
    void modelLoaded(const cassava::ui::LoadedModel& model);
    void modelFailed(const QString& path, const QString& message);
    // The model changed: heatmaps shown are another model's.
    void modelReset();
    void progressChanged(int done, int total, double photosPerSecond);
    void busyChanged(bool busy);
    void photoReady(quint64 id, const QImage& photo, const QString& error);
    void heatmapReady(quint64 id, int target, const QImage& overlay, const QString& error);

private:
    void requeue(bool everything);
    void sendNextBatch();
    void onDiagnosed(quint64 generation, const QList<LeafResult>& results);
    void onHeatmap(quint64 generation, const HeatmapResult& result);
    void updateBusy();

    DiagnoseModel* model_ = nullptr;
    PhotoLoader* loader_ = nullptr;
    QThread thread_;
    DiagnoseWorker* worker_ = nullptr;

    quint64 generation_ = 0;
    bool ready_ = false;
    bool loading_ = false;
    LoadedModel loaded_;
    QList<quint64> pending_;
    bool batchInFlight_ = false;
    int inFlight_ = 0;  // photos in the batch the worker runs
    int done_ = 0;      // photos answered since the work started; the total adds what is left
    std::shared_ptr<std::atomic<bool>> batchCancel_;
    bool lastBusy_ = false;

    QCache<quint64, QImage> photos_;
    QCache<QPair<quint64, int>, QImage> overlays_;
    QSet<QPair<quint64, int>> heatmapsInFlight_;
};

}  // namespace cassava::ui
