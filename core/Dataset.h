#pragma once
// A Kaggle-layout dataset folder, opened and validated:
//   train.csv (image_id,label), label_num_to_disease_map.json (optional), train_images/,
//   test_images/ (optional), sample_submission.csv (optional).
// Nothing outside the folder is ever read: image ids that are absolute, contain a path separator
// or are ".." are refused.
#include "LabelMap.h"
#include "Problem.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cassava {

struct Sample {
    std::string imageId;
    int label = -1;
    int line = 0;  // line in train.csv, for messages
};

class Dataset {
public:
    struct OpenOptions {
        // List train_images/ and test_images/ to report missing and unlisted images.
        bool checkImageFiles = true;
        // Read labels from this file instead of ROOT/train.csv (relative to ROOT or absolute).
        std::string trainCsv;
    };

    static Dataset open(const std::string& root);
    static Dataset open(const std::string& root, const OpenOptions& options);

    // Checks an image id as a file name inside the dataset; returns "" when safe, else the reason.
    static std::string unsafeImageIdReason(std::string_view imageId);

    const std::string& root() const { return root_; }
    std::string name() const;  // the folder's name
    const LabelMap& labels() const { return labels_; }
    int numClasses() const { return labels_.size(); }

    // Valid rows only: rows with problems are reported and left out.
    const std::vector<Sample>& samples() const { return samples_; }
    const std::vector<std::string>& testImages() const { return testImages_; }
    const ProblemList& problems() const { return problems_; }

    // Usable when train.csv could be read and at least one valid, present sample remains.
    bool usable() const;

    std::vector<int> classCounts() const;
    std::vector<int> labelsOfSamples() const;
    int indexOf(std::string_view imageId) const;  // -1 when absent
    std::string imagePath(const Sample& sample) const;
    std::string trainImagePath(std::string_view imageId) const;
    std::string testImagePath(std::string_view imageId) const;

private:
    std::string root_;
    LabelMap labels_;
    std::vector<Sample> samples_;
    std::vector<std::string> testImages_;
    ProblemList problems_;
    std::unordered_map<std::string, int> index_;

    friend class DatasetLoader;
};

}  // namespace cassava
