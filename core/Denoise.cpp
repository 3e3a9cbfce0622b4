#include "Denoise.h"

#include "AtomicFile.h"
#include "Csv.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace cassava {
namespace {

// Probabilities are stored as float and written with 6 decimals; a mean that is the threshold up to
// float rounding (2 x 0.8f / 2) must count as reaching it, 0.799999 must not.
constexpr double kThresholdSlack = 1e-7;
// cleanlab compares p_j >= t_j - 1e-6 when building the confident joint.
constexpr double kConfidentSlack = 1e-6;

bool parseProbability(const std::string& text, float& value)
{
    double v = 0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(v) || v < 0.0 || v > 1.0)
        return false;
    value = static_cast<float>(v);
    return true;
}

std::string formatProbability(double p)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6f", p);
    return buffer;
}

std::string expectedHeader(int classes)
{
    std::string h = "image_id,label,fold";
    for (int c = 0; c < std::max(classes, 1); ++c)
        h += ",p" + std::to_string(c);
    return classes > 0 ? h : h + ",...";
}

// Counts the columns p0..pN-1 after image_id,label,fold; -1 when the header is not of that form.
int probabilityColumns(const std::vector<std::string>& header)
{
    if (header.size() < 5 || header[0] != "image_id" || header[1] != "label" || header[2] != "fold")
        return -1;
    const int classes = static_cast<int>(header.size()) - 3;
    for (int c = 0; c < classes; ++c)
        if (header[3 + static_cast<size_t>(c)] != "p" + std::to_string(c))
            return -1;
    return classes;
}

void appendProbabilities(std::string& out, const float* p, int classes)
{
    for (int c = 0; c < classes; ++c)
        out += ',' + formatProbability(p[c]);
}

int argmax(const float* p, int classes)
{
    int best = 0;
    for (int c = 1; c < classes; ++c)
        if (p[c] > p[best])
            best = c;
    return best;
}

}  // namespace

ProbabilityTable readProbabilityCsv(const std::string& path, ProblemList& problems)
{
    const std::string text = readFile(path);
    CsvReader reader(text, path);
    CsvRecord record;
    if (!reader.next(record))
        throw std::runtime_error(path + ": empty; expected the header image_id,label,fold,p0,...");
    ProbabilityTable table;
    table.classes = probabilityColumns(record.fields);
    if (table.classes < 0)
        throw std::runtime_error(path + ": line " + std::to_string(record.line) +
                                 ": expected the header image_id,label,fold,p0,p1,... (at least two classes)");
    const size_t columns = record.fields.size();
    const auto error = [&](int line, std::string message) {
        problems.push_back({Problem::Severity::Error, path, line, std::move(message) + "; row skipped"});
    };
    std::unordered_map<std::string, int> firstLine;
    std::vector<float> p(static_cast<size_t>(table.classes));
    while (reader.next(record)) {
        const auto& f = record.fields;
        if (f.size() != columns) {
            error(record.line, "has " + std::to_string(f.size()) + " fields, the header has " + std::to_string(columns));
            continue;
        }
        int label = -1, fold = 0;
        if (!parseInt(f[1], label) || label < 0 || label >= table.classes) {
            error(record.line, "label '" + f[1] + "' is not a class 0.." + std::to_string(table.classes - 1));
            continue;
        }
        if (!parseInt(f[2], fold)) {
            error(record.line, "fold '" + f[2] + "' is not an integer");
            continue;
        }
        bool valid = true;
        for (int c = 0; c < table.classes && valid; ++c) {
            const std::string& field = f[3 + static_cast<size_t>(c)];
            if (!parseProbability(field, p[static_cast<size_t>(c)])) {
                error(record.line, "p" + std::to_string(c) + " '" + field + "' is not a probability in [0,1]");
                valid = false;
            }
        }
        if (!valid)
            continue;
        if (const auto [it, fresh] = firstLine.emplace(f[0], record.line); !fresh) {
            error(record.line, "duplicate image_id '" + f[0] + "' (first on line " + std::to_string(it->second) + ")");
            continue;
        }
        table.imageIds.push_back(f[0]);
        table.labels.push_back(label);
        table.folds.push_back(fold);
        table.probabilities.insert(table.probabilities.end(), p.begin(), p.end());
    }
    problems.insert(problems.end(), reader.problems().begin(), reader.problems().end());
    return table;
}

void writeProbabilityCsv(const std::string& path, const ProbabilityTable& table)
{
    std::string out = expectedHeader(table.classes) + '\n';
    out.reserve(table.rows() * static_cast<size_t>(20 + 9 * table.classes));
    for (size_t i = 0; i < table.rows(); ++i) {
        out += csvField(table.imageIds[i]) + ',' + std::to_string(table.labels[i]) + ',' +
               std::to_string(table.folds[i]);
        appendProbabilities(out, table.row(i), table.classes);
        out += '\n';
    }
    writeFileAtomically(path, out);
}

ProbabilityTable averageRuns(const std::vector<ProbabilityTable>& runs)
{
    if (runs.empty())
        throw std::invalid_argument("averageRuns: no runs");
    ProbabilityTable mean = runs.front();
    const size_t width = static_cast<size_t>(mean.classes);
    std::vector<double> sum(mean.probabilities.begin(), mean.probabilities.end());
    for (size_t k = 0; k < sum.size(); ++k)
        sum[k] *= mean.runs;
    std::unordered_map<std::string, size_t> rowOf;
    for (size_t i = 0; i < mean.rows(); ++i)
        rowOf.emplace(mean.imageIds[i], i);
    for (size_t r = 1; r < runs.size(); ++r) {
        const ProbabilityTable& run = runs[r];
        if (run.classes != mean.classes || run.rows() != mean.rows())
            throw std::invalid_argument("averageRuns: run " + std::to_string(r + 1) + " has " +
                                        std::to_string(run.rows()) + " images of " + std::to_string(run.classes) +
                                        " classes, the first has " + std::to_string(mean.rows()) + " of " +
                                        std::to_string(mean.classes));
        for (size_t i = 0; i < run.rows(); ++i) {
            const auto it = rowOf.find(run.imageIds[i]);
            if (it == rowOf.end() || run.labels[i] != mean.labels[it->second])
                throw std::invalid_argument("averageRuns: image '" + run.imageIds[i] + "' of run " +
                                            std::to_string(r + 1) + " is not in the first run with that label");
            for (size_t c = 0; c < width; ++c)
                sum[it->second * width + c] += static_cast<double>(run.row(i)[c]) * run.runs;
        }
        mean.runs += run.runs;
    }
    for (size_t k = 0; k < sum.size(); ++k)
        mean.probabilities[k] = static_cast<float>(sum[k] / mean.runs);
    return mean;
}

bool parseDenoiseMethod(const std::string& text, DenoiseMethod& method)
{
    if (text == "recipe")
        method = DenoiseMethod::Recipe;
    else if (text == "confident")
        method = DenoiseMethod::Confident;
    else
        return false;
    return true;
}

const char* denoiseMethodName(DenoiseMethod method)
{
    return method == DenoiseMethod::Confident ? "confident" : "recipe";
}

std::vector<double> perClassThresholds(const ProbabilityTable& table)
{
    const size_t classes = static_cast<size_t>(table.classes);
    std::vector<double> sum(classes, 0.0);
    std::vector<int> count(classes, 0);
    for (size_t i = 0; i < table.rows(); ++i) {
        const size_t given = static_cast<size_t>(table.labels[i]);
        sum[given] += table.row(i)[given];
        ++count[given];
    }
    std::vector<double> thresholds(classes, kUnreachableThreshold);
    for (size_t c = 0; c < classes; ++c)
        if (count[c] > 0)
            thresholds[c] = sum[c] / count[c];
    return thresholds;
}

std::vector<Suspect> findSuspects(const ProbabilityTable& table, const DenoiseOptions& options)
{
    std::vector<Suspect> suspects;
    const int classes = table.classes;
    if (options.method == DenoiseMethod::Recipe) {
        for (size_t i = 0; i < table.rows(); ++i) {
            const float* p = table.row(i);
            const int given = table.labels[i];
            const int predicted = argmax(p, classes);
            // sum over N runs >= threshold * N  <=>  mean >= threshold
            if (predicted != given && p[predicted] >= options.threshold - kThresholdSlack)
                suspects.push_back({i, given, predicted, p[predicted], p[given]});
        }
        std::stable_sort(suspects.begin(), suspects.end(),
                         [](const Suspect& a, const Suspect& b) { return a.confidence > b.confidence; });
        return suspects;
    }

    // Note: for a row with two or more confident classes cleanlab takes the overall argmax, which
    // can be a class below its threshold; this follows the paper and takes the best confident class.
    const std::vector<double> t = perClassThresholds(table);
    for (size_t i = 0; i < table.rows(); ++i) {
        const float* p = table.row(i);
        int confident = -1;
        for (int c = 0; c < classes; ++c)
            if (p[c] >= t[static_cast<size_t>(c)] - kConfidentSlack && (confident < 0 || p[c] > p[confident]))
                confident = c;
        const int given = table.labels[i];
        if (confident >= 0 && confident != given)
            suspects.push_back({i, given, confident, p[confident], p[given]});
    }
    std::stable_sort(suspects.begin(), suspects.end(), [](const Suspect& a, const Suspect& b) {
        return a.confidence - a.givenConfidence > b.confidence - b.givenConfidence;
    });
    return suspects;
}

std::vector<size_t> confidentExamples(const ProbabilityTable& table, int label, size_t count)
{
    std::vector<size_t> rows;
    for (size_t i = 0; i < table.rows(); ++i) {
        if (table.labels[i] != label)
            continue;
        const float* p = table.row(i);
        if (std::max_element(p, p + table.classes) - p == label)
            rows.push_back(i);
    }
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
        return table.row(a)[label] > table.row(b)[label];
    });
    if (rows.size() > count)
        rows.resize(count);
    return rows;
}

void writeSuspectsCsv(const std::string& path, const ProbabilityTable& table, const std::vector<Suspect>& suspects)
{
    std::string out = "image_id,given_label,suggested_label,confidence";
    for (int c = 0; c < table.classes; ++c)
        out += ",p" + std::to_string(c);
    out += '\n';
    for (const Suspect& s : suspects) {
        out += csvField(table.imageIds.at(s.row)) + ',' + std::to_string(s.givenLabel) + ',' +
               std::to_string(s.suggestedLabel) + ',' + formatProbability(s.confidence);
        appendProbabilities(out, table.row(s.row), table.classes);
        out += '\n';
    }
    writeFileAtomically(path, out);
}

NoiseTruth readNoiseTruth(const std::string& path, ProblemList& problems)
{
    const std::string text = readFile(path);
    CsvReader reader(text, path);
    CsvRecord record;
    if (!reader.next(record) || record.fields != std::vector<std::string>{"image_id", "true_label", "given_label"})
        throw std::runtime_error(path + ": expected the header image_id,true_label,given_label");
    NoiseTruth truth;
    std::unordered_set<std::string> seen;
    while (reader.next(record)) {
        const auto& f = record.fields;
        std::string why;
        int trueLabel = -1, givenLabel = -1;
        if (f.size() != 3)
            why = "has " + std::to_string(f.size()) + " fields, the header has 3";
        else if (!parseInt(f[1], trueLabel) || trueLabel < 0)
            why = "true_label '" + f[1] + "' is not a class number";
        else if (!parseInt(f[2], givenLabel) || givenLabel < 0)
            why = "given_label '" + f[2] + "' is not a class number";
        else if (!seen.insert(f[0]).second)
            why = "duplicate image_id '" + f[0] + "'";
        if (!why.empty()) {
            problems.push_back({Problem::Severity::Error, path, record.line, why + "; row skipped"});
            continue;
        }
        ++truth.images;
        if (trueLabel != givenLabel)
            truth.flipped.push_back(f[0]);
    }
    problems.insert(problems.end(), reader.problems().begin(), reader.problems().end());
    return truth;
}

DetectionScore scoreDetection(const std::vector<std::string>& flaggedIds, const NoiseTruth& truth,
                              const std::vector<std::string>& scored)
{
    const std::unordered_set<std::string> inScope(scored.begin(), scored.end());
    std::unordered_set<std::string> flipped;
    for (const auto& id : truth.flipped)
        if (inScope.count(id))
            flipped.insert(id);
    const std::unordered_set<std::string> flagged(flaggedIds.begin(), flaggedIds.end());
    DetectionScore s;
    s.flagged = static_cast<int>(flagged.size());
    s.flipped = static_cast<int>(flipped.size());
    for (const auto& id : flagged)
        s.truePositives += static_cast<int>(flipped.count(id));
    s.precision = s.flagged ? static_cast<double>(s.truePositives) / s.flagged : 0.0;
    s.recall = s.flipped ? static_cast<double>(s.truePositives) / s.flipped : 0.0;
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    return s;
}

nlohmann::json toJson(const DetectionScore& score)
{
    return {{"flagged", score.flagged},     {"flipped", score.flipped},   {"true_positives", score.truePositives},
            {"precision", score.precision}, {"recall", score.recall}, {"f1", score.f1}};
}

}  // namespace cassava
