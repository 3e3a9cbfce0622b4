#pragma once
// Class names of a dataset, from label_num_to_disease_map.json or the five standard names.
#include "Problem.h"

#include <string>
#include <vector>

namespace cassava {

class LabelMap {
public:
    // The competition's five classes, in label order.
    static LabelMap standard();

    // Parses {"0": "Cassava Bacterial Blight (CBB)", ...}. Keys must be the integers 0..N-1.
    // Problems are appended to `problems` with `fileName`; on a fatal problem the standard map is
    // returned so that the rest of the dataset can still be checked.
    static LabelMap parse(const std::string& json, const std::string& fileName, ProblemList& problems);

    explicit LabelMap(std::vector<std::string> names = {}) : names_(std::move(names)) {}

    int size() const { return static_cast<int>(names_.size()); }
    bool contains(int label) const { return label >= 0 && label < size(); }
    const std::string& name(int label) const { return names_.at(static_cast<size_t>(label)); }
    // "CBB" from "Cassava Bacterial Blight (CBB)"; the whole name when it has no parenthesis.
    std::string shortName(int label) const;
    const std::vector<std::string>& names() const { return names_; }

    std::string toJson() const;

private:
    std::vector<std::string> names_;
};

}  // namespace cassava
