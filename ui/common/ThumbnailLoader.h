#pragma once
// Thumbnails made off the GUI thread, for any view that shows photos as a grid.
//
// The view says which photos it shows, most wanted first (see VisibleItems.h), and says it again
// whenever the user scrolls: each request() replaces the queue, so photos the user scrolled away
// from are dropped before any work is spent on them (gwenview's thumbnail view does the same).
// Worker threads take the queue from the front: they stat the photo, answer from the on-disk
// cache when it holds this version of it, and otherwise decode it with core's reduced JPEG
// decoding (libjpeg scales in the DCT to the smallest 1/2, 1/4, 1/8 that still covers the
// thumbnail), shrink it with area averaging and store it on disk. Results come back on the GUI
// thread through thumbnailReady(); missing and unreadable photos come back too, with the reason.
#include "ThumbnailDiskCache.h"

#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QSize>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <memory>
#include <mutex>

namespace cassava::ui {

struct ThumbnailRequest {
    QString path;         // the photo
    QString displayName;  // how messages name it ("train_images/1.jpg"); the path when empty
};

struct ThumbnailResult {
    enum class Status { Ok, Missing, Unreadable };

    QString path;
    Status status = Status::Unreadable;
    QImage image;          // RGB32, fits size x size, oriented for display; null unless Ok
    QString error;         // for Missing and Unreadable, naming the photo
    int size = 0;          // the box it was made for
    QSize sourceSize;      // the photo's display size; unknown (empty) for disk cache hits
    QString format;        // "jpeg", "png", ...; empty for disk cache hits
    bool fromDiskCache = false;
    Qt::HANDLE producerThread = nullptr;  // the thread that made it (never the GUI thread)

    bool ok() const { return status == Status::Ok; }
};

class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    static constexpr int DefaultSize = 160;

    explicit ThumbnailLoader(QObject* parent = nullptr);
    // Drops the queue and waits for the photos being made (each takes milliseconds).
    ~ThumbnailLoader() override;

    // Longest side in device pixels. Changing it drops the queue.
    void setThumbnailSize(int size);
    int thumbnailSize() const { return size_; }
    // "" disables the on-disk cache; ThumbnailDiskCache::defaultDir() is the default.
    void setDiskCacheDir(const QString& dir);
    QString diskCacheDir() const;
    void setMaxThreads(int threads);
    int maxThreads() const { return pool_.maxThreadCount(); }

    // Replaces the queue with `requests`, in this order. Photos being made are not made twice.
    void request(const QList<ThumbnailRequest>& requests);
    void cancelAll();
    // While paused, workers take nothing new from the queue (requests still replace it).
    void setPaused(bool paused);
    bool isPaused() const;
    int queuedCount() const;
    QStringList queuedPaths() const;  // in the order they will be made
    // Photos requested and not delivered yet (queued or being made).
    int pendingCount() const;
    bool isPending(const QString& path) const;

    // Makes one thumbnail on the calling thread; thread-safe. The workers' code, public for
    // benchmarks.
    static ThumbnailResult produce(const ThumbnailRequest& request, int size, const ThumbnailDiskCache& diskCache);

signals:
    void thumbnailReady(const cassava::ui::ThumbnailResult& result);
    // Emitted when the last pending thumbnail was delivered.
    void idle();

private:
    void startWorkers();
    void work();
    void deliver(const ThumbnailResult& result);

    int size_ = DefaultSize;
    QThreadPool pool_;

    mutable std::mutex mutex_;  // guards the members below
    std::deque<ThumbnailRequest> queue_;
    QSet<QString> inFlight_;      // taken by a worker, not delivered yet
    int activeWorkers_ = 0;
    bool paused_ = false;
    std::shared_ptr<const ThumbnailDiskCache> diskCache_;
    quint64 generation_ = 0;      // bumped when the size changes: late results of the old size are dropped
};

}  // namespace cassava::ui

Q_DECLARE_METATYPE(cassava::ui::ThumbnailResult)
