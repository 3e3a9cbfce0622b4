#include "Submission.h"

#include "Csv.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace cassava {

namespace {

bool isImageFile(const fs::path& p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp" || ext == ".bmp" || ext == ".tif" ||
           ext == ".tiff";
}

// Image ids in sample_submission.csv order; problems name the file and line.
std::vector<std::pair<std::string, int>> readSampleIds(const std::string& path, std::string& error)
{
    std::vector<std::pair<std::string, int>> ids;
    try {
        ProblemList problems;
        const CsvTable table = readCsvTable(path, {"image_id"}, problems);
        if (!problems.empty()) {
            error = problems.front().toString();
            return {};
        }
        for (const CsvRecord& r : table.rows)
            if (std::string id = table.field(r, "image_id"); !id.empty())
                ids.emplace_back(std::move(id), r.line);
    } catch (const std::exception& e) {
        error = e.what();
    }
    return ids;
}

}  // namespace

std::vector<std::string> SubmissionPlan::paths() const
{
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const auto& id : ids)
        out.push_back(images + "/" + id);
    return out;
}

std::string datasetTestImages(const std::string& dataset) { return dataset + "/test_images"; }

std::string datasetSample(const std::string& dataset)
{
    const std::string sample = dataset + "/sample_submission.csv";
    std::error_code ec;
    return fs::exists(sample, ec) ? sample : std::string();
}

SubmissionPlan planSubmission(const std::string& images, const std::string& sample)
{
    SubmissionPlan plan;
    plan.images = images;
    plan.sample = sample;
    std::error_code ec;
    if (!fs::is_directory(images, ec)) {
        plan.error = images + ": not a folder";
        return plan;
    }
    std::vector<std::string> ids;
    for (const auto& entry : fs::directory_iterator(images, ec))
        if (entry.is_regular_file(ec) && isImageFile(entry.path()))
            ids.push_back(entry.path().filename().string());
    std::sort(ids.begin(), ids.end());
    if (!sample.empty()) {
        const auto rows = readSampleIds(sample, plan.error);
        if (!plan.error.empty())
            return plan;
        const std::vector<std::string> present = std::move(ids);
        ids.clear();
        for (const auto& [id, line] : rows) {
            if (!std::binary_search(present.begin(), present.end(), id)) {
                plan.error = sample + ":" + std::to_string(line) + ": " + id + " is not in " + images;
                return plan;
            }
            ids.push_back(id);
        }
        if (present.size() > ids.size())
            plan.note = std::to_string(present.size() - ids.size()) + " photos in " + images + " are not in " +
                        sample + " and are left out";
    }
    if (ids.empty()) {
        plan.error = "no photos in " + images;
        return plan;
    }
    plan.ids = std::move(ids);
    return plan;
}

std::vector<PhotoPrediction> predictSubmission(const Predictor& predictor, const SubmissionPlan& plan,
                                               const std::function<void(const PredictProgress&)>& progress,
                                               const std::atomic<bool>* cancel)
{
    return predictor.predict(plan.paths(), progress, cancel, plan.ids);
}

SubmissionTables formatSubmission(const SubmissionPlan& plan, const std::vector<PhotoPrediction>& results,
                                  int classes)
{
    SubmissionTables t;
    t.submission = "image_id,label\n";
    t.probabilities = "image_id,label";
    for (int c = 0; c < classes; ++c)
        t.probabilities += ",p" + std::to_string(c);
    t.probabilities += "\n";
    for (size_t i = 0; i < results.size() && i < plan.ids.size(); ++i) {
        const PhotoPrediction& r = results[i];
        if (!r.ok()) {
            t.errors.push_back(r.error);
            continue;
        }
        const std::string id = csvField(plan.ids[i]);
        t.submission += id + "," + std::to_string(r.predicted) + "\n";
        t.probabilities += id + "," + std::to_string(r.predicted);
        char value[32];
        for (float p : r.probabilities) {
            std::snprintf(value, sizeof value, ",%.6f", static_cast<double>(p));
            t.probabilities += value;
        }
        t.probabilities += "\n";
        ++t.written;
    }
    return t;
}

}  // namespace cassava
