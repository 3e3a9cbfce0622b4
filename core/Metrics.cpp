#include "Metrics.h"

#include "JsonNumbers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cassava {

ConfusionMatrix::ConfusionMatrix(int classes)
    : classes_(classes), counts_(static_cast<size_t>(classes) * static_cast<size_t>(classes), 0)
{
}

void ConfusionMatrix::add(int label, int predicted, int64_t count)
{
    if (label < 0 || label >= classes_ || predicted < 0 || predicted >= classes_)
        throw std::out_of_range("confusion matrix: class out of range");
    counts_[index(label, predicted)] += count;
}

void ConfusionMatrix::merge(const ConfusionMatrix& other)
{
    if (other.classes_ != classes_)
        throw std::invalid_argument("confusion matrix: merging matrices of different sizes");
    for (size_t i = 0; i < counts_.size(); ++i)
        counts_[i] += other.counts_[i];
}

int64_t ConfusionMatrix::total() const
{
    int64_t n = 0;
    for (const auto c : counts_)
        n += c;
    return n;
}

int64_t ConfusionMatrix::support(int label) const
{
    int64_t n = 0;
    for (int p = 0; p < classes_; ++p)
        n += at(label, p);
    return n;
}

double ConfusionMatrix::accuracy() const
{
    const int64_t n = total();
    int64_t correct = 0;
    for (int c = 0; c < classes_; ++c)
        correct += at(c, c);
    return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
}

std::vector<double> ConfusionMatrix::perClassAccuracy() const
{
    std::vector<double> out;
    for (int c = 0; c < classes_; ++c) {
        const int64_t s = support(c);
        out.push_back(s ? static_cast<double>(at(c, c)) / static_cast<double>(s) : 0.0);
    }
    return out;
}

std::vector<double> ConfusionMatrix::precision() const
{
    std::vector<double> out;
    for (int p = 0; p < classes_; ++p) {
        int64_t predicted = 0;
        for (int c = 0; c < classes_; ++c)
            predicted += at(c, p);
        out.push_back(predicted ? static_cast<double>(at(p, p)) / static_cast<double>(predicted) : 0.0);
    }
    return out;
}

double ConfusionMatrix::balancedAccuracy() const
{
    const auto recall = perClassAccuracy();
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes_; ++c)
        if (support(c)) {
            sum += recall[static_cast<size_t>(c)];
            ++present;
        }
    return present ? sum / present : 0.0;
}

nlohmann::json ConfusionMatrix::toJson() const
{
    nlohmann::json rows = nlohmann::json::array();
    for (int c = 0; c < classes_; ++c) {
        nlohmann::json row = nlohmann::json::array();
        for (int p = 0; p < classes_; ++p)
            row.push_back(at(c, p));
        rows.push_back(row);
    }
    return {{"matrix", rows},
            {"rows", "label"},
            {"columns", "prediction"},
            {"accuracy", accuracy()},
            {"balanced_accuracy", balancedAccuracy()},
            {"per_class_accuracy", perClassAccuracy()},
            {"precision", precision()}};
}

ConfusionMatrix ConfusionMatrix::fromJson(const nlohmann::json& j)
{
    const auto& rows = j.at("matrix");
    ConfusionMatrix m(static_cast<int>(rows.size()));
    for (int c = 0; c < m.classes_; ++c)
        for (int p = 0; p < m.classes_; ++p)
            if (!wholeNumber(rows.at(static_cast<size_t>(c)).at(static_cast<size_t>(p)), m.counts_[m.index(c, p)]))
                throw std::runtime_error("a confusion count is not a whole number");
    return m;
}

std::vector<int> argmaxRows(const std::vector<float>& probabilities, int classes)
{
    std::vector<int> out;
    const size_t k = static_cast<size_t>(classes);
    for (size_t i = 0; i + k <= probabilities.size(); i += k)
        out.push_back(static_cast<int>(std::max_element(probabilities.begin() + static_cast<long>(i),
                                                        probabilities.begin() + static_cast<long>(i + k)) -
                                       (probabilities.begin() + static_cast<long>(i))));
    return out;
}

double crossEntropy(const std::vector<float>& probabilities, const std::vector<int>& labels, int classes)
{
    if (labels.empty())
        return 0.0;
    double sum = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        const float p = probabilities[i * static_cast<size_t>(classes) + static_cast<size_t>(labels[i])];
        sum -= std::log(std::max(p, 1e-7f));
    }
    return sum / static_cast<double>(labels.size());
}

}  // namespace cassava
