#pragma once
// What `cassava inspect` reports and the GUI shows about a dataset: class counts with names, image
// size statistics from the files' headers, and every problem (the dataset's own plus unreadable
// images found while probing).
#include "Dataset.h"

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cassava {

struct ImageSizeStats {
    int probed = 0;       // headers read successfully
    int unreadable = 0;   // files whose header could not be read or that are truncated
    int minWidth = 0, minHeight = 0, maxWidth = 0, maxHeight = 0;
    double meanWidth = 0, meanHeight = 0;
    int64_t totalBytes = 0;
    // The most common (width x height) sizes after EXIF orientation, most frequent first.
    std::vector<std::pair<std::string, int>> commonSizes;
    std::vector<std::pair<std::string, int>> formats;  // "jpeg" -> count
};

struct Inspection {
    std::string name;
    std::string root;
    int rows = 0;  // valid samples
    int testImages = 0;
    std::vector<std::string> classNames;
    std::vector<int> classCounts;
    ImageSizeStats sizes;
    ProblemList problems;
    bool usable = false;

    std::string toText() const;
    std::string toJson() const;  // pretty-printed
};

struct InspectOptions {
    int probeLimit = -1;  // images whose header is read; -1 all, 0 none (an even sample otherwise)
    int threads = 0;      // 0: all cores
};

using InspectProgress = std::function<void(int done, int total)>;

Inspection inspectDataset(const Dataset& dataset, const InspectOptions& options = {},
                          const InspectProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace cassava
