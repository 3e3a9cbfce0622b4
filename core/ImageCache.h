#pragma once
// Decoded, resized images kept in memory so later epochs and folds skip decoding. Bounded by a
// byte budget; once full, new images are simply not kept (training reads every image once per
// epoch, so evicting would only trade one miss for another). Thread-safe.
#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace cassava {

class ImageCache {
public:
    explicit ImageCache(int64_t budgetBytes) : budget_(budgetBytes) {}

    // An empty Mat when absent. The returned Mat shares pixels with the cache: do not modify it.
    cv::Mat get(const std::string& key) const;
    // Keeps `image` if it fits the budget; true if kept.
    bool put(const std::string& key, const cv::Mat& image);

    int64_t bytes() const;
    int64_t budget() const { return budget_; }
    size_t size() const;
    int64_t hits() const;
    int64_t misses() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::string, cv::Mat> images_;
    int64_t budget_;
    int64_t bytes_ = 0;
    mutable int64_t hits_ = 0, misses_ = 0;
};

}  // namespace cassava
