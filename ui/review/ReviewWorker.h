#pragma once
// The Review view's pictures, made by a QObject on its own QThread: each suspect's photo (decoded
// by core, EXIF orientation applied) and the Grad-CAM heatmaps of its given and its suggested
// class from the fold model that judged it (the model that never trained on it), plus the
// comparison strips' thumbnails. The view says which suspects it wants, nearest first
// (schedule()); the worker always takes the first of the latest list, so jumping ahead never
// waits behind suspects the curator has already passed. Fold models are loaded once.
#include <QImage>
#include <QMetaType>
#include <QObject>
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

class ReviewWorker : public QObject {
    Q_OBJECT
public:
    ReviewWorker();
    ~ReviewWorker() override;

    // Thread-safe, from the GUI thread: the suspects wanted now, most wanted first; replaces the
    // list not yet started. setRun() forgets the fold models (another run).
    void schedule(quint64 generation, const QVector<PictureRequest>& wanted);
    void setRun(quint64 generation, const QString& runDir);

    // On the worker's thread (queued calls).
    void drain();
    void loadExamples(quint64 generation, int label, const QStringList& imageIds, const QStringList& paths);

signals:
    void pictureReady(quint64 generation, const cassava::ui::SuspectPicture& picture);
    void examplesReady(quint64 generation, int label, const QStringList& imageIds, const QVector<QImage>& thumbnails);

private:
    SuspectPicture make(const PictureRequest& request, const QString& runDir);
    const Predictor* foldModel(const QString& runDir, int fold, QString* error);

    std::mutex mutex_;
    std::deque<PictureRequest> pending_;
    quint64 generation_ = 0;
    QString runDir_;
    // Worker thread only.
    QString modelsRun_;
    std::map<int, std::shared_ptr<Predictor>> models_;
    std::map<int, QString> modelErrors_;
};

}  // namespace cassava::ui

Q_DECLARE_METATYPE(cassava::ui::SuspectPicture)
