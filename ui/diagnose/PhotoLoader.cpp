#include "PhotoLoader.h"

#include "DiagnoseWorker.h"
#include "ImageConversion.h"
#include "ImageIo.h"
#include "LeafCheck.h"

#include <QMetaObject>
#include <QThread>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

PhotoLoader::PhotoLoader(QObject* parent) : QObject(parent)
{
    // Decoding is cheap next to the network, which wants the cores: two threads keep the
    // thumbnails ahead of the predictions.
    pool_.setMaxThreadCount(std::max(1, std::min(2, QThread::idealThreadCount())));
}

PhotoLoader::~PhotoLoader()
{
    pool_.clear();
    pool_.waitForDone();
}

void PhotoLoader::finishOne()
{
    if (pending_.fetch_sub(1) == 1)
        emit idle();
}

void PhotoLoader::requestThumbnail(quint64 id, const QString& path)
{
    ++pending_;
    const QSize box = thumbnailSize_;
    pool_.start([this, id, path, box] {
        DecodeOptions o;
        // The leaf check looks at up to 128 px; the thumbnail wants the box's short side.
        o.minShortSide = std::max(128, std::min(box.width(), box.height()));
        const DecodedImage image = ImageIo::decode(path.toStdString(), o);
        QImage thumbnail;
        bool leaf = false;
        double share = 0;
        QString error;
        if (image.ok()) {
            const LeafCheck check = checkLeaf(image.rgb);
            leaf = check.looksLikeLeaf;
            share = check.plantShare;
            const double f = std::min({1.0, static_cast<double>(box.width()) / image.rgb.cols,
                                       static_cast<double>(box.height()) / image.rgb.rows});
            cv::Mat small = image.rgb;
            if (f < 1.0)
                cv::resize(image.rgb, small,
                           cv::Size(std::max(1, static_cast<int>(std::lround(image.rgb.cols * f))),
                                    std::max(1, static_cast<int>(std::lround(image.rgb.rows * f)))),
                           0, 0, cv::INTER_AREA);
            thumbnail = imageFromRgb(small);
        } else {
            error = QString::fromStdString(image.error);
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, thumbnail, leaf, share, error] {
                emit thumbnailReady(id, thumbnail, leaf, share, error);
                finishOne();
            },
            Qt::QueuedConnection);
    });
}

void PhotoLoader::requestPhoto(quint64 id, const QString& path)
{
    ++pending_;
    // Ahead of queued thumbnails: the user is looking at this one.
    pool_.start(
        [this, id, path] {
            DecodeOptions o;
            o.minShortSide = kDiagnosisPhotoShortSide;
            const DecodedImage image = ImageIo::decode(path.toStdString(), o);
            const QImage photo = image.ok() ? imageFromRgb(image.rgb) : QImage();
            const QString error = image.ok() ? QString() : QString::fromStdString(image.error);
            QMetaObject::invokeMethod(
                this,
                [this, id, photo, error] {
                    emit photoReady(id, photo, error);
                    finishOne();
                },
                Qt::QueuedConnection);
        },
        1);
}

}  // namespace cassava::ui
