#pragma once
// Thumbnails and display-size photos for the Diagnose view, made on a small thread pool of its
// own (so hundreds of dropped photos do not starve the global pool): core's reduced JPEG decoding
// (1/2..1/8 inside libjpeg), EXIF orientation applied, and the leaf check on the same pixels.
// A photo that cannot be read comes back with core's message naming it. Results arrive as
// signals on the thread that owns the loader; the destructor waits for running jobs.
#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>
#include <QThreadPool>

#include <atomic>

namespace cassava::ui {

class PhotoLoader : public QObject {
    Q_OBJECT
public:
    explicit PhotoLoader(QObject* parent = nullptr);
    ~PhotoLoader() override;

    // The box thumbnails are fitted into (device pixels).
    void setThumbnailSize(const QSize& size) { thumbnailSize_ = size; }
    QSize thumbnailSize() const { return thumbnailSize_; }

    void requestThumbnail(quint64 id, const QString& path);
    void requestPhoto(quint64 id, const QString& path);
    int pending() const { return pending_.load(); }

signals:
    // `looksLikeLeaf`/`plantShare` are core's LeafCheck on the decoded pixels.
    void thumbnailReady(quint64 id, const QImage& thumbnail, bool looksLikeLeaf, double plantShare,
                        const QString& error);
    void photoReady(quint64 id, const QImage& photo, const QString& error);
    void idle();

private:
    void finishOne();

    QThreadPool pool_;
    QSize thumbnailSize_{200, 150};
    std::atomic<int> pending_{0};
};

}  // namespace cassava::ui
