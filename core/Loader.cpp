#include "Loader.h"

#include "ImageIo.h"
#include "OpenCvThreads.h"
#include "Random.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace cassava {

Loader::Loader(std::vector<LoaderItem> items, LoaderOptions options, std::shared_ptr<ImageCache> cache)
    : items_(std::move(items)), options_(std::move(options)), cache_(std::move(cache))
{
    if (options_.batchSize < 1)
        options_.batchSize = 1;
    if (options_.prefetchBatches < 1)
        options_.prefetchBatches = 1;
}

Loader::~Loader() { stop(); }

int Loader::batchesPerEpoch() const
{
    const auto n = static_cast<int>(items_.size());
    const int b = options_.batchSize;
    return options_.dropLast ? n / b : (n + b - 1) / b;
}

int Loader::sourceShortSide() const
{
    if (options_.train)
        return options_.augment.sourceShortSide();
    return options_.views.plain() ? options_.augment.size : options_.views.sourceShortSide(options_.augment.size);
}

void Loader::startEpoch(int epoch)
{
    stop();
    std::lock_guard<std::mutex> lock(mutex_);
    epoch_ = epoch;
    order_.resize(items_.size());
    for (size_t i = 0; i < order_.size(); ++i)
        order_[i] = static_cast<int>(i);
    if (options_.train) {
        Random rng = Random::forItem(options_.seed, static_cast<uint64_t>(epoch) * 2 + 1);
        rng.shuffle(order_);
    }
    nextToBuild_ = nextToHand_ = 0;
    ready_.clear();
    stopping_ = false;
    running_ = true;
    const int threads = options_.workers > 0 ? options_.workers
                                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    disableOpenCvThreadPool();
    for (int t = 0; t < threads; ++t)
        workers_.emplace_back([this] { work(); });
}

void Loader::stop()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!running_)
            return;
        stopping_ = true;
    }
    changed_.notify_all();
    for (auto& t : workers_)
        t.join();
    workers_.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
    ready_.clear();
}

bool Loader::next(Batch& batch)
{
    std::unique_lock<std::mutex> lock(mutex_);
    if (!running_ || nextToHand_ >= batchesPerEpoch())
        return false;
    changed_.wait(lock, [&] { return stopping_ || ready_.count(nextToHand_); });
    if (stopping_)
        return false;
    auto it = ready_.find(nextToHand_);
    batch = std::move(it->second);
    ready_.erase(it);
    ++nextToHand_;
    lock.unlock();
    changed_.notify_all();  // a worker may now build further ahead
    return true;
}

void Loader::work()
{
    for (;;) {
        int number;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] {
                return stopping_ || nextToBuild_ >= batchesPerEpoch() ||
                       nextToBuild_ < nextToHand_ + options_.prefetchBatches;
            });
            if (stopping_ || nextToBuild_ >= batchesPerEpoch())
                return;
            number = nextToBuild_++;
        }
        Batch batch = build(number);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_)
                return;
            ready_.emplace(number, std::move(batch));
        }
        changed_.notify_all();
    }
}

cv::Mat Loader::loadShrunk(const LoaderItem& item, int shortSide, std::string& error, bool reducedDecoding)
{
    DecodeOptions decode;
    decode.minShortSide = reducedDecoding ? shortSide : 0;
    DecodedImage image = ImageIo::decode(item.path, decode, item.displayName);
    if (!image.ok()) {
        error = image.error;
        return {};
    }
    cv::Mat rgb = image.rgb;
    const int side = std::min(rgb.cols, rgb.rows);
    if (side > shortSide) {
        const double f = static_cast<double>(shortSide) / side;
        cv::resize(rgb, rgb, cv::Size(std::max(1, static_cast<int>(rgb.cols * f + 0.5)),
                                      std::max(1, static_cast<int>(rgb.rows * f + 0.5))),
                   // After a reduced decode the factor is below 2, where bilinear is as good and
                   // several times faster than area averaging.
                   0, 0, f > 0.5 ? cv::INTER_LINEAR : cv::INTER_AREA);
    }
    return rgb;
}

Batch Loader::build(int number)
{
    const int size = options_.augment.size;
    const int views = options_.train ? 1 : options_.views.viewsPerImage();
    const size_t plane = static_cast<size_t>(3) * size * size * static_cast<size_t>(views);
    const size_t first = static_cast<size_t>(number) * static_cast<size_t>(options_.batchSize);
    const size_t last = std::min(items_.size(), first + static_cast<size_t>(options_.batchSize));
    Batch batch;
    batch.number = number;
    batch.size = size;
    batch.views = views;
    batch.images.resize((last - first) * plane);
    for (size_t k = first; k < last; ++k) {
        const int itemIndex = order_[k];
        const LoaderItem& item = items_[static_cast<size_t>(itemIndex)];
        const std::string key = cacheKey(item.path, sourceShortSide());
        cv::Mat rgb = cache_ ? cache_->get(key) : cv::Mat();
        if (rgb.empty()) {
            std::string error;
            rgb = loadShrunk(item, sourceShortSide(), error, options_.reducedDecoding);
            if (rgb.empty()) {
                batch.errors.push_back(error);
                batch.errorIndices.push_back(item.index);
                continue;
            }
            if (cache_)
                cache_->put(key, rgb);
        }
        float* out = batch.images.data() + static_cast<size_t>(batch.count) * plane;
        if (options_.train) {
            // Each image's augmentation depends on (seed, epoch, item) only.
            const uint64_t seed = Random::forItem(options_.seed ^ (0xA5A5ull << 32),
                                                  static_cast<uint64_t>(epoch_) * items_.size() +
                                                      static_cast<uint64_t>(itemIndex))
                                      .next();
            augmentInto(rgb, options_.augment, seed, options_.normalization, out);
        } else if (views == 1) {
            centerCropInto(rgb, size, options_.normalization, out);
        } else {
            const std::vector<View> plan = planViews(rgb.cols, rgb.rows, options_.views,
                                                     static_cast<uint64_t>(itemIndex));
            renderViewsInto(rgb, plan, size, options_.normalization, out);
        }
        batch.labels.push_back(item.label);
        batch.indices.push_back(item.index);
        ++batch.count;
    }
    batch.images.resize(static_cast<size_t>(batch.count) * plane);
    return batch;
}

}  // namespace cassava
