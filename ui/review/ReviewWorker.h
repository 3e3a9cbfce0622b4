#pragma once
// The Review view's pictures, made by QObjects on their own QThreads: each suspect's photo
// (decoded by core, EXIF orientation applied) and the Grad-CAM heatmaps of its given and its
// suggested class from the fold model that judged it (the model that never trained on it), plus
// the comparison strips' thumbnails. The view tells a PictureQueue which suspects it wants,
// nearest first; every worker takes the first of the latest list, so jumping ahead never waits
// behind suspects the curator has already passed, and a suspect being made is never queued again.
// Several workers can share one queue (the view starts one: BENCHMARKS.md measures two). Fold
// models are loaded once per worker.
#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QSet>
#include <QString>
#include <QVector>

#include <deque>
#include <map>
#include <memory>
#include <mutex>

namespace cassava {
class Predictor;
}

namespace cassava::ui {

struct PictureRequest {
    QString imageId, path;
    int fold = 0, given = -1, suggested = -1;
};

struct SuspectPicture {
    QString imageId;
    QImage photo;              // the photo for the large view (short side at most 1,200 px)
    QImage givenHeatmap;       // Grad-CAM of the given class over the photo (short side 320 px)
    QImage suggestedHeatmap;   // ... of the suggested class
    QString error;             // the photo cannot be read
    QString heatmapError;      // no heatmaps (no fold model, or it failed)
    bool madeOffGuiThread = false;
    double milliseconds = 0;   // decode + both heatmaps
    bool complete() const { return !photo.isNull() && ((!givenHeatmap.isNull() && !suggestedHeatmap.isNull()) || !heatmapError.isEmpty()); }
};

// What the workers are asked to make; thread-safe.
class PictureQueue {
public:
    // The suspects wanted now, most wanted first; replaces the list not yet started, less the
    // suspects a worker is making.
    void schedule(quint64 generation, const QVector<PictureRequest>& wanted);
    // Another run (or none): drops the list; the workers' fold models are for another run.
    void setRun(quint64 generation, const QString& runDir);

    struct Job {
        PictureRequest request;
        quint64 generation = 0;
        QString runDir;
    };
    // The next job, now in flight until finished(); false when there is none.
    bool take(Job* job);
    // Made and on its way to the view: not queued again until the view forgets it (its cache
    // dropped the picture).
    void finished(const QString& imageId);
    void forget(const QString& imageId);

private:
    std::mutex mutex_;
    std::deque<PictureRequest> pending_;
    QSet<QString> inFlight_, delivered_;
    quint64 generation_ = 0;
    QString runDir_;
};

class ReviewWorker : public QObject {
    Q_OBJECT
public:
    ReviewWorker(std::shared_ptr<PictureQueue> queue, int torchThreads);
    ~ReviewWorker() override;

    // On the worker's thread (queued calls): makes pictures until the queue is empty.
    void drain();
    void loadExamples(quint64 generation, int label, const QStringList& paths);

signals:
    void pictureReady(quint64 generation, const cassava::ui::SuspectPicture& picture);
    void examplesReady(quint64 generation, int label, const QVector<QImage>& thumbnails);

private:
    SuspectPicture make(const PictureRequest& request, const QString& runDir);
    const Predictor* foldModel(const QString& runDir, int fold, QString* error);

    std::shared_ptr<PictureQueue> queue_;
    int torchThreads_ = 0;
    // Worker thread only.
    QString modelsRun_;
    std::map<int, std::shared_ptr<Predictor>> models_;
    std::map<int, QString> modelErrors_;
};

}  // namespace cassava::ui

Q_DECLARE_METATYPE(cassava::ui::SuspectPicture)
