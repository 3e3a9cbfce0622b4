#include "ImageCache.h"

namespace cassava {

cv::Mat ImageCache::get(const std::string& key) const
{
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = images_.find(key);
    if (it == images_.end()) {
        ++misses_;
        return {};
    }
    ++hits_;
    return it->second;
}

bool ImageCache::put(const std::string& key, const cv::Mat& image)
{
    const auto size = static_cast<int64_t>(image.total() * image.elemSize());
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes_ + size > budget_ || images_.count(key))
        return false;
    images_.emplace(key, image.isContinuous() ? image : image.clone());
    bytes_ += size;
    return true;
}

int64_t ImageCache::bytes() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

size_t ImageCache::size() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return images_.size();
}

int64_t ImageCache::hits() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return hits_;
}

int64_t ImageCache::misses() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return misses_;
}

}  // namespace cassava
