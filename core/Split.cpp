#include "Split.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace cassava {
namespace {

// Item indices per label, in label order, each list shuffled by the seed.
std::map<int, std::vector<int>> shuffledByClass(const std::vector<int>& labels, uint64_t seed)
{
    std::map<int, std::vector<int>> byClass;
    for (size_t i = 0; i < labels.size(); ++i)
        byClass[labels[i]].push_back(static_cast<int>(i));
    Random rng(seed);
    for (auto& [label, items] : byClass)
        rng.shuffle(items);
    return byClass;
}

}  // namespace

std::vector<int> stratifiedKFold(const std::vector<int>& labels, int folds, uint64_t seed)
{
    if (folds < 2)
        throw std::invalid_argument("k-fold needs at least 2 folds, got " + std::to_string(folds));
    std::vector<int> foldOf(labels.size(), 0);
    // Dealing each class round-robin, continuing where the previous class stopped, keeps every
    // class within one of its ideal share per fold and the folds' sizes within one of each other.
    size_t dealer = 0;
    for (const auto& [label, items] : shuffledByClass(labels, seed)) {
        for (const int item : items)
            foldOf[static_cast<size_t>(item)] = static_cast<int>(dealer++ % static_cast<size_t>(folds));
    }
    return foldOf;
}

std::vector<int> holdoutSplit(const std::vector<int>& labels, double validationFraction, uint64_t seed,
                              bool stratified)
{
    if (!(validationFraction > 0.0 && validationFraction < 1.0))
        throw std::invalid_argument("the validation fraction must be between 0 and 1, got " +
                                    std::to_string(validationFraction));
    std::vector<int> isValidation(labels.size(), 0);
    const auto total = static_cast<size_t>(std::llround(labels.size() * validationFraction));

    if (!stratified) {
        std::vector<int> order(labels.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<int>(i);
        Random(seed).shuffle(order);
        for (size_t i = 0; i < total; ++i)
            isValidation[static_cast<size_t>(order[i])] = 1;
        return isValidation;
    }

    // Largest remainder: each class gets floor(ideal) and the classes with the largest fractional
    // parts get one more, until the total is round(n * fraction).
    const auto byClass = shuffledByClass(labels, seed);
    struct Share {
        const std::vector<int>* items;
        size_t count;
        double remainder;
    };
    std::vector<Share> shares;
    size_t assigned = 0;
    for (const auto& [label, items] : byClass) {
        const double ideal = items.size() * validationFraction;
        const auto base = static_cast<size_t>(std::floor(ideal));
        shares.push_back({&items, base, ideal - static_cast<double>(base)});
        assigned += base;
    }
    std::vector<size_t> order(shares.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return shares[a].remainder > shares[b].remainder; });
    for (size_t i = 0; assigned < total && i < order.size(); ++i, ++assigned)
        ++shares[order[i]].count;
    for (const auto& share : shares)
        for (size_t i = 0; i < share.count; ++i)
            isValidation[static_cast<size_t>((*share.items)[i])] = 1;
    return isValidation;
}

void writeFoldsCsv(const std::string& path, const std::vector<std::string>& imageIds,
                   const std::vector<int>& folds)
{
    if (imageIds.size() != folds.size())
        throw std::invalid_argument("writeFoldsCsv: ids and folds differ in length");
    std::string out = "image_id,fold\n";
    out.reserve(imageIds.size() * 20);
    for (size_t i = 0; i < imageIds.size(); ++i)
        out += csvField(imageIds[i]) + ',' + std::to_string(folds[i]) + '\n';
    writeFileAtomically(path, out);
}

FoldAssignment readFoldsCsv(const std::string& path)
{
    FoldAssignment result;
    const std::string name = path.substr(path.find_last_of('/') + 1);
    std::string text;
    try {
        text = readFile(path);
    } catch (const std::exception& e) {
        result.problems.push_back({Problem::Severity::Fatal, name, 0, e.what()});
        return result;
    }
    CsvReader reader(text, name);
    CsvRecord record;
    if (!reader.next(record) || record.fields.size() < 2 || record.fields[0] != "image_id" ||
        record.fields[1] != "fold") {
        result.problems.push_back({Problem::Severity::Fatal, name, 1, "expected the header image_id,fold"});
        return result;
    }
    while (reader.next(record)) {
        int fold = -1;
        if (record.fields.size() < 2 || !parseInt(record.fields[1], fold) || fold < 0) {
            result.problems.push_back({Problem::Severity::Error, name, record.line,
                                       "expected image_id and a fold number >= 0"});
            continue;
        }
        result.imageIds.push_back(record.fields[0]);
        result.folds.push_back(fold);
    }
    for (const auto& p : reader.problems())
        result.problems.push_back(p);
    return result;
}

}  // namespace cassava
