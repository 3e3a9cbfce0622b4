#include "ThumbnailLoader.h"

#include "AtomicFile.h"
#include "ImageIo.h"

#include <QFile>
#include <QMetaObject>
#include <QThread>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

namespace cassava::ui {

namespace {

ThumbnailResult failure(ThumbnailResult result, ThumbnailResult::Status status, const QString& error)
{
    result.status = status;
    result.error = error;
    return result;
}

// "…/train_images/1.jpg: Permission denied" -> "Permission denied".
QString reasonOf(const std::exception& e)
{
    const std::string what = e.what();
    const auto colon = what.rfind(": ");
    return QString::fromStdString(colon == std::string::npos ? what : what.substr(colon + 2));
}

}  // namespace

ThumbnailLoader::ThumbnailLoader(QObject* parent)
    : QObject(parent), diskCache_(std::make_shared<const ThumbnailDiskCache>(ThumbnailDiskCache::defaultDir()))
{
    qRegisterMetaType<cassava::ui::ThumbnailResult>();
    // One core stays with the GUI; thumbnails are small, more threads mostly wait on the disk.
    pool_.setMaxThreadCount(std::clamp(QThread::idealThreadCount() - 1, 1, 4));
    pool_.setExpiryTimeout(5000);
}

ThumbnailLoader::~ThumbnailLoader()
{
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
    }
    pool_.waitForDone();
}

void ThumbnailLoader::setThumbnailSize(int size)
{
    size = std::max(size, 8);
    std::lock_guard lock(mutex_);
    if (size == size_)
        return;
    size_ = size;
    queue_.clear();
    ++generation_;
}

void ThumbnailLoader::setDiskCacheDir(const QString& dir)
{
    std::lock_guard lock(mutex_);
    diskCache_ = std::make_shared<const ThumbnailDiskCache>(dir);
}

QString ThumbnailLoader::diskCacheDir() const
{
    std::lock_guard lock(mutex_);
    return diskCache_->dir();
}

void ThumbnailLoader::setMaxThreads(int threads) { pool_.setMaxThreadCount(std::max(threads, 1)); }

void ThumbnailLoader::request(const QList<ThumbnailRequest>& requests)
{
    {
        std::lock_guard lock(mutex_);
        queue_.clear();
        QSet<QString> queued;
        queued.reserve(requests.size());
        for (const ThumbnailRequest& r : requests)
            if (!inFlight_.contains(r.path) && !queued.contains(r.path)) {
                queued.insert(r.path);
                queue_.push_back(r);
            }
    }
    startWorkers();
}

void ThumbnailLoader::cancelAll()
{
    std::lock_guard lock(mutex_);
    queue_.clear();
}

void ThumbnailLoader::setPaused(bool paused)
{
    {
        std::lock_guard lock(mutex_);
        paused_ = paused;
    }
    if (!paused)
        startWorkers();
}

bool ThumbnailLoader::isPaused() const
{
    std::lock_guard lock(mutex_);
    return paused_;
}

QStringList ThumbnailLoader::queuedPaths() const
{
    std::lock_guard lock(mutex_);
    QStringList paths;
    paths.reserve(static_cast<qsizetype>(queue_.size()));
    for (const ThumbnailRequest& r : queue_)
        paths.push_back(r.path);
    return paths;
}

int ThumbnailLoader::queuedCount() const
{
    std::lock_guard lock(mutex_);
    return static_cast<int>(queue_.size());
}

int ThumbnailLoader::pendingCount() const
{
    std::lock_guard lock(mutex_);
    return static_cast<int>(queue_.size()) + static_cast<int>(inFlight_.size());
}

bool ThumbnailLoader::isPending(const QString& path) const
{
    std::lock_guard lock(mutex_);
    if (inFlight_.contains(path))
        return true;
    return std::any_of(queue_.begin(), queue_.end(), [&](const ThumbnailRequest& r) { return r.path == path; });
}

void ThumbnailLoader::startWorkers()
{
    std::lock_guard lock(mutex_);
    if (paused_)
        return;
    const int wanted = std::min(pool_.maxThreadCount(), static_cast<int>(queue_.size()));
    for (; activeWorkers_ < wanted; ++activeWorkers_)
        pool_.start([this] { work(); });
}

// Runs on a pool thread until the queue is empty.
void ThumbnailLoader::work()
{
    for (;;) {
        ThumbnailRequest request;
        int size = 0;
        quint64 generation = 0;
        std::shared_ptr<const ThumbnailDiskCache> diskCache;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty() || paused_) {
                --activeWorkers_;
                return;
            }
            request = std::move(queue_.front());
            queue_.pop_front();
            inFlight_.insert(request.path);
            size = size_;
            generation = generation_;
            diskCache = diskCache_;
        }
        ThumbnailResult result = produce(request, size, *diskCache);
        QMetaObject::invokeMethod(
            this,
            [this, result = std::move(result), generation] {
                bool current = false;
                {
                    std::lock_guard lock(mutex_);
                    inFlight_.remove(result.path);
                    current = generation == generation_;
                }
                if (current)
                    deliver(result);
            },
            Qt::QueuedConnection);
    }
}

void ThumbnailLoader::deliver(const ThumbnailResult& result)
{
    emit thumbnailReady(result);
    if (pendingCount() == 0)
        emit idle();
}

ThumbnailResult ThumbnailLoader::produce(const ThumbnailRequest& request, int size,
                                         const ThumbnailDiskCache& diskCache)
{
    namespace fs = std::filesystem;
    ThumbnailResult result;
    result.path = request.path;
    result.size = size;
    result.producerThread = QThread::currentThreadId();
    const QString name = request.displayName.isEmpty() ? request.path : request.displayName;
    const std::string path = QFile::encodeName(request.path).toStdString();

    std::error_code ec;
    const fs::directory_entry entry(path, ec);
    if (ec || !entry.is_regular_file(ec))
        return failure(result, ThumbnailResult::Status::Missing, name + QObject::tr(": file not found"));
    const auto bytes = static_cast<qint64>(entry.file_size(ec));
    const qint64 mtimeNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(entry.last_write_time(ec).time_since_epoch()).count();

    const QString cached = diskCache.entryPath(request.path, bytes, mtimeNs, size);
    if (!cached.isEmpty()) {
        QImage image = diskCache.load(cached);
        if (!image.isNull()) {
            result.status = ThumbnailResult::Status::Ok;
            result.image = std::move(image);
            result.fromDiskCache = true;
            return result;
        }
    }

    std::string data;
    try {
        data = readFile(path);
    } catch (const std::exception& e) {
        return failure(result, ThumbnailResult::Status::Unreadable, name + QObject::tr(": cannot be read (%1)").arg(reasonOf(e)));
    }
    const std::string displayName = name.toStdString();
    // The header gives the display size, so the decoder can be told the exact reduction.
    const ProbeResult probe = ImageIo::probeBytes(data, displayName);
    if (!probe.ok())
        return failure(result, ThumbnailResult::Status::Unreadable, QString::fromStdString(probe.error));
    const int width = probe.info.displayWidth();
    const int height = probe.info.displayHeight();
    const double scale = std::min(1.0, static_cast<double>(size) / std::max({width, height, 1}));
    const int thumbWidth = std::max(1, static_cast<int>(std::lround(width * scale)));
    const int thumbHeight = std::max(1, static_cast<int>(std::lround(height * scale)));

    DecodeOptions options;
    options.minShortSide = std::min(thumbWidth, thumbHeight);
    const DecodedImage decoded = ImageIo::decodeBytes(data, options, displayName);
    if (!decoded.ok())
        return failure(result, ThumbnailResult::Status::Unreadable, QString::fromStdString(decoded.error));

    cv::Mat rgb = decoded.rgb;
    if (rgb.cols != thumbWidth || rgb.rows != thumbHeight)
        cv::resize(decoded.rgb, rgb, cv::Size(thumbWidth, thumbHeight), 0, 0, cv::INTER_AREA);
    QImage image(thumbWidth, thumbHeight, QImage::Format_RGB32);
    cv::Mat bgra(thumbHeight, thumbWidth, CV_8UC4, image.bits(), static_cast<size_t>(image.bytesPerLine()));
    cv::cvtColor(rgb, bgra, cv::COLOR_RGB2BGRA);

    result.status = ThumbnailResult::Status::Ok;
    result.image = std::move(image);
    result.sourceSize = QSize(width, height);
    result.format = QString::fromStdString(probe.info.format);
    if (!cached.isEmpty())
        diskCache.store(cached, result.image);
    return result;
}

}  // namespace cassava::ui
