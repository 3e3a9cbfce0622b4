#pragma once
// Classification metrics over (label, prediction) pairs: accuracy, per-class accuracy (recall),
// the confusion matrix, and the mean cross-entropy of predicted probabilities.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <vector>

namespace cassava {

class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int classes = 5);

    void add(int label, int predicted, int64_t count = 1);
    void merge(const ConfusionMatrix& other);

    int classes() const { return classes_; }
    int64_t at(int label, int predicted) const { return counts_[index(label, predicted)]; }
    int64_t total() const;
    int64_t support(int label) const;  // images whose label is `label`

    double accuracy() const;
    std::vector<double> perClassAccuracy() const;  // recall of each class; NaN-free: 0 when no support
    std::vector<double> precision() const;
    double balancedAccuracy() const;               // mean recall over classes that have support

    nlohmann::json toJson() const;  // {"labels_by_rows": [[...]], "accuracy": ..., "per_class_accuracy": [...]}
    static ConfusionMatrix fromJson(const nlohmann::json& j);

private:
    size_t index(int label, int predicted) const
    {
        return static_cast<size_t>(label) * static_cast<size_t>(classes_) + static_cast<size_t>(predicted);
    }
    int classes_;
    std::vector<int64_t> counts_;
};

// argmax of each row of a row-major [n x classes] probability table.
std::vector<int> argmaxRows(const std::vector<float>& probabilities, int classes);

// Mean of -log(p[label]) with p clamped away from 0.
double crossEntropy(const std::vector<float>& probabilities, const std::vector<int>& labels, int classes);

}  // namespace cassava
