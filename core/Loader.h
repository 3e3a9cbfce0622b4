#pragma once
// The training data pipeline: worker threads decode (at reduced size when the target allows),
// resize, cache, augment and normalize images into ready batches of CHW floats, a bounded number
// of batches ahead of the consumer, so decoding overlaps compute. Batch b of epoch e holds the
// same images with the same augmentation for the same seed, whatever the thread timing.
// An unreadable image is left out of its batch and reported, never a crash.
#include "Augment.h"
#include "ImageCache.h"
#include "TestTimeViews.h"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cassava {

struct LoaderItem {
    std::string path;
    std::string displayName;  // "train_images/123.jpg", for messages
    int label = -1;
    int index = -1;           // the caller's index (dataset row), reported back with each image
};

struct LoaderOptions {
    int batchSize = 16;
    bool train = true;        // train: shuffle + augment; otherwise in order, centre crop
    bool dropLast = false;
    AugmentOptions augment;   // augment.size is the output size in both modes
    Normalization normalization;
    // Not train: the views of each image (K crops x N TTA runs); plain = the centre crop.
    TtaOptions views;
    uint64_t seed = 0;
    int workers = 0;          // 0: all cores
    int prefetchBatches = 4;
    // Decode JPEGs at 1/2, 1/4 or 1/8 inside libjpeg when the output allows (off only to measure).
    bool reducedDecoding = true;
};

struct Batch {
    int number = 0;                    // batch index within the epoch
    int count = 0;                     // images in the batch
    int size = 0;                      // side of each image
    int views = 1;                     // views per image (test-time views), consecutive
    std::vector<float> images;         // count x views x 3 x size x size, normalized
    std::vector<int64_t> labels;
    std::vector<int> indices;          // LoaderItem::index of each image
    std::vector<std::string> errors;   // images left out, with the reason
    std::vector<int> errorIndices;     // LoaderItem::index of each of them
};

class Loader {
public:
    Loader(std::vector<LoaderItem> items, LoaderOptions options, std::shared_ptr<ImageCache> cache = {});
    ~Loader();
    Loader(const Loader&) = delete;
    Loader& operator=(const Loader&) = delete;

    // Starts producing the batches of `epoch` (the shuffle and augmentation depend on it).
    void startEpoch(int epoch);
    // Waits for the next batch of the epoch; false when the epoch is over (or stopped).
    bool next(Batch& batch);
    // Stops the workers; next() then returns false. Safe to call at any time.
    void stop();

    int batchesPerEpoch() const;
    size_t itemCount() const { return items_.size(); }
    const LoaderOptions& options() const { return options_; }

    // Decodes and shrinks one image the way the loader does (shared by normalization adapt).
    static cv::Mat loadShrunk(const LoaderItem& item, int shortSide, std::string& error,
                              bool reducedDecoding = true);
    // The cache key of an image shrunk to `shortSide`.
    static std::string cacheKey(const std::string& path, int shortSide)
    {
        return path + '@' + std::to_string(shortSide);
    }

private:
    void work();
    Batch build(int number);
    int sourceShortSide() const;

    std::vector<LoaderItem> items_;
    LoaderOptions options_;
    std::shared_ptr<ImageCache> cache_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::thread> workers_;
    std::vector<int> order_;        // item order of the current epoch
    int epoch_ = 0;
    int nextToBuild_ = 0;           // next batch number a worker takes
    int nextToHand_ = 0;            // next batch number next() returns
    std::map<int, Batch> ready_;
    bool stopping_ = false;
    bool running_ = false;
};

}  // namespace cassava
