#include "ReviewWorker.h"

#include "ImageConversion.h"

#include "ImageIo.h"
#include "Predictor.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <opencv2/imgproc.hpp>

namespace cassava::ui {

namespace {

constexpr int kPhotoShortSide = 1200;   // enough to zoom an 800x600 photo to 100 %; phone photos shrink
constexpr int kHeatmapShortSide = 320;  // the two side-by-side panels
constexpr int kThumbnailShortSide = 96;

cv::Mat shrinkTo(const cv::Mat& rgb, int shortSide)
{
    const int s = std::min(rgb.cols, rgb.rows);
    if (s <= shortSide)
        return rgb;
    cv::Mat out;
    const double f = static_cast<double>(shortSide) / s;
    cv::resize(rgb, out, cv::Size(std::max(1, static_cast<int>(rgb.cols * f + 0.5)), std::max(1, static_cast<int>(rgb.rows * f + 0.5))),
               0, 0, cv::INTER_AREA);
    return out;
}

}  // namespace

void PictureQueue::schedule(quint64 generation, const QVector<PictureRequest>& wanted)
{
    std::lock_guard lock(mutex_);
    generation_ = generation;
    pending_.clear();
    for (const PictureRequest& r : wanted)
        if (!inFlight_.contains(r.imageId) && !delivered_.contains(r.imageId))
            pending_.push_back(r);
}

void PictureQueue::setRun(quint64 generation, const QString& runDir)
{
    std::lock_guard lock(mutex_);
    generation_ = generation;
    runDir_ = runDir;
    pending_.clear();
    delivered_.clear();  // what a worker still makes for the old run arrives with the old generation
}

bool PictureQueue::take(Job* job)
{
    std::lock_guard lock(mutex_);
    if (pending_.empty())
        return false;
    job->request = pending_.front();
    pending_.pop_front();
    job->generation = generation_;
    job->runDir = runDir_;
    inFlight_.insert(job->request.imageId);
    return true;
}

void PictureQueue::finished(const QString& imageId)
{
    std::lock_guard lock(mutex_);
    inFlight_.remove(imageId);
    delivered_.insert(imageId);
}

void PictureQueue::forget(const QString& imageId)
{
    std::lock_guard lock(mutex_);
    delivered_.remove(imageId);
}

ReviewWorker::ReviewWorker(std::shared_ptr<PictureQueue> queue, int torchThreads)
    : queue_(std::move(queue)), torchThreads_(torchThreads)
{
    qRegisterMetaType<SuspectPicture>();
    qRegisterMetaType<QVector<QImage>>();
}

ReviewWorker::~ReviewWorker() = default;

void ReviewWorker::drain()
{
    PictureQueue::Job job;
    while (queue_->take(&job)) {
        SuspectPicture picture = make(job.request, job.runDir);
        queue_->finished(job.request.imageId);
        emit pictureReady(job.generation, picture);
    }
}

const Predictor* ReviewWorker::foldModel(const QString& runDir, int fold, QString* error)
{
    if (runDir != modelsRun_) {
        models_.clear();
        modelErrors_.clear();
        modelsRun_ = runDir;
    }
    if (const auto e = modelErrors_.find(fold); e != modelErrors_.end()) {
        *error = e->second;
        return nullptr;
    }
    auto it = models_.find(fold);
    if (it == models_.end()) {
        try {
            PredictorOptions options;
            options.threads = torchThreads_;
            it = models_.emplace(fold, std::make_shared<Predictor>(Predictor::fromRun(runDir.toStdString(), options, {fold}))).first;
        } catch (const std::exception& e) {
            modelErrors_[fold] = QString::fromStdString(e.what());
            *error = modelErrors_[fold];
            return nullptr;
        }
    }
    return it->second.get();
}

SuspectPicture ReviewWorker::make(const PictureRequest& request, const QString& runDir)
{
    QElapsedTimer clock;
    clock.start();
    SuspectPicture picture;
    picture.imageId = request.imageId;
    picture.madeOffGuiThread = QThread::currentThread() != QCoreApplication::instance()->thread();
    DecodeOptions options;
    options.minShortSide = kPhotoShortSide;
    const DecodedImage image = ImageIo::decode(request.path.toStdString(), options);
    if (!image.ok()) {
        picture.error = QString::fromStdString(image.error);
        picture.milliseconds = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        return picture;
    }
    picture.photo = imageFromRgb(image.rgb);
    QString error;
    const Predictor* model = foldModel(runDir, request.fold, &error);
    if (!model) {
        picture.heatmapError = error;
    } else {
        try {
            const cv::Mat small = shrinkTo(image.rgb, kHeatmapShortSide);
            const std::vector<cv::Mat> maps = model->heatmaps(small, {request.given, request.suggested});
            if (maps.size() != 2)
                throw std::runtime_error("no heatmap for these classes");
            picture.givenHeatmap = imageFromRgb(overlayHeatmap(small, maps[0], 0.6));
            picture.suggestedHeatmap = imageFromRgb(overlayHeatmap(small, maps[1], 0.6));
        } catch (const std::exception& e) {
            picture.heatmapError = QString::fromStdString(e.what());
        }
    }
    picture.milliseconds = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return picture;
}

void ReviewWorker::loadExamples(quint64 generation, int label, const QStringList& paths)
{
    QVector<QImage> thumbnails;
    DecodeOptions options;
    options.minShortSide = kThumbnailShortSide;
    for (const QString& path : paths) {
        const DecodedImage image = ImageIo::decode(path.toStdString(), options);
        thumbnails << (image.ok() ? imageFromRgb(shrinkTo(image.rgb, kThumbnailShortSide)) : QImage());
    }
    emit examplesReady(generation, label, thumbnails);
}

}  // namespace cassava::ui
