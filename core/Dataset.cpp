#include "Dataset.h"

#include "AtomicFile.h"
#include "Csv.h"

#include <algorithm>
#include <map>
#include <filesystem>
#include <unordered_set>

namespace fs = std::filesystem;

namespace cassava {

// Builds a Dataset from a folder; every check appends to the dataset's problem list.
class DatasetLoader {
public:
    DatasetLoader(Dataset& d, const Dataset::OpenOptions& options) : d_(d), options_(options) {}

    void load()
    {
        std::error_code ec;
        if (!fs::is_directory(d_.root_, ec)) {
            fatal("", 0, fs::exists(d_.root_, ec) ? "not a folder" : "folder not found");
            return;
        }
        loadLabelMap();
        csvName_ = options_.trainCsv.empty() ? "train.csv" : options_.trainCsv;
        if (!loadTrainCsv(csvName_))
            return;
        if (options_.checkImageFiles) {
            checkTrainImages();
            loadTestImages();
        }
        checkClassCoverage(csvName_);
    }

private:
    void problem(Problem::Severity s, std::string file, int line, std::string message)
    {
        d_.problems_.push_back({s, std::move(file), line, std::move(message)});
    }
    void fatal(std::string file, int line, std::string m) { problem(Problem::Severity::Fatal, std::move(file), line, std::move(m)); }
    void error(std::string file, int line, std::string m) { problem(Problem::Severity::Error, std::move(file), line, std::move(m)); }
    void warning(std::string file, int line, std::string m) { problem(Problem::Severity::Warning, std::move(file), line, std::move(m)); }

    std::string pathOf(const std::string& relative) const
    {
        return relative.empty() || relative.front() == '/' ? relative : d_.root_ + "/" + relative;
    }

    // Reads a file of the dataset; on failure records why in `why` ("Permission denied").
    bool readText(const std::string& relative, std::string& text, std::string& why)
    {
        try {
            text = readFile(pathOf(relative));
            return true;
        } catch (const std::exception& e) {
            why = e.what();
            const auto colon = why.rfind(": ");
            why = colon == std::string::npos ? why : why.substr(colon + 2);
            return false;
        }
    }

    void loadLabelMap()
    {
        const std::string name = "label_num_to_disease_map.json";
        std::error_code ec;
        if (!fs::exists(pathOf(name), ec)) {
            d_.labels_ = LabelMap::standard();
            return;
        }
        std::string text, why;
        if (!readText(name, text, why)) {
            fatal(name, 0, "cannot be read: " + why);
            d_.labels_ = LabelMap::standard();
            return;
        }
        d_.labels_ = LabelMap::parse(text, name, d_.problems_);
    }

    bool loadTrainCsv(const std::string& name)
    {
        std::string text, why;
        std::error_code ec;
        if (!fs::exists(pathOf(name), ec)) {
            fatal(name, 0, "not found: a Kaggle-layout dataset has train.csv with image_id,label");
            return false;
        }
        if (!readText(name, text, why)) {
            fatal(name, 0, "cannot be read: " + why);
            return false;
        }
        CsvReader reader(text, name);
        CsvRecord record;
        if (!reader.next(record)) {
            fatal(name, 1, "empty: expected the header image_id,label");
            return false;
        }
        int idColumn = -1, labelColumn = -1;
        std::vector<std::string> extra;
        for (size_t i = 0; i < record.fields.size(); ++i) {
            const std::string& column = record.fields[i];
            if (column == "image_id" && idColumn < 0)
                idColumn = static_cast<int>(i);
            else if (column == "label" && labelColumn < 0)
                labelColumn = static_cast<int>(i);
            else
                extra.push_back(column.empty() ? "(empty)" : "'" + column + "'");
        }
        if (idColumn < 0 || labelColumn < 0) {
            std::string missing = idColumn < 0 ? "image_id" : "";
            if (labelColumn < 0)
                missing += std::string(missing.empty() ? "" : " and ") + "label";
            fatal(name, record.line, "header lacks the column " + missing + " (expected image_id,label)");
            return false;
        }
        if (!extra.empty()) {
            std::string list;
            for (const auto& e : extra)
                list += (list.empty() ? "" : ", ") + e;
            warning(name, record.line, "extra column" + std::string(extra.size() > 1 ? "s " : " ") +
                                           list + " ignored (expected image_id,label)");
        }
        const size_t columns = record.fields.size();

        d_.index_.reserve(text.size() / 16);
        d_.samples_.reserve(text.size() / 16);
        while (reader.next(record)) {
            if (record.fields.size() != columns) {
                error(name, record.line, "has " + std::to_string(record.fields.size()) +
                                             " fields, the header has " + std::to_string(columns));
                continue;
            }
            std::string& id = record.fields[static_cast<size_t>(idColumn)];
            const std::string& labelText = record.fields[static_cast<size_t>(labelColumn)];
            if (const std::string why = Dataset::unsafeImageIdReason(id); !why.empty()) {
                error(name, record.line, "image_id '" + id + "' refused: " + why);
                continue;
            }
            int label = -1;
            if (!parseInt(labelText, label)) {
                error(name, record.line, "label '" + labelText + "' is not an integer");
                invalidIds_.insert(id);
                continue;
            }
            if (!d_.labels_.contains(label)) {
                error(name, record.line, "label " + std::to_string(label) + " is not in the label map (0.." +
                                             std::to_string(d_.labels_.size() - 1) + ")");
                invalidIds_.insert(id);
                continue;
            }
            const auto [it, inserted] = d_.index_.emplace(id, static_cast<int>(d_.samples_.size()));
            if (!inserted) {
                error(name, record.line, "duplicate image_id '" + id + "' (first on line " +
                                             std::to_string(d_.samples_[static_cast<size_t>(it->second)].line) +
                                             "); this row is ignored");
                continue;
            }
            d_.samples_.push_back({std::move(id), label, record.line});
        }
        for (const auto& p : reader.problems())
            d_.problems_.push_back(p);
        return true;
    }

    // The regular files of a folder. A symbolic link counts when it resolves to a file inside the
    // dataset folder; one that leads outside it (or nowhere) goes to `refused` with the reason, as
    // a '..' in an id would: nothing outside the dataset is read.
    std::unordered_set<std::string> listFiles(const std::string& folder, std::map<std::string, std::string>* refused = nullptr) const
    {
        std::unordered_set<std::string> names;
        std::error_code ec;
        std::error_code rootEc;
        const fs::path root = fs::canonical(d_.root_, rootEc);
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            std::error_code typeEc;
            const std::string name = it->path().filename().string();
            if (it->is_symlink(typeEc)) {
                std::error_code linkEc;
                const fs::path target = fs::canonical(it->path(), linkEc);
                const auto [rootEnd, targetAt] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
                const bool inside = !linkEc && !rootEc && rootEnd == root.end() && targetAt != target.end();
                if (!inside || !fs::is_regular_file(target, typeEc)) {
                    if (refused)
                        (*refused)[name] = linkEc ? "a symbolic link to nothing that exists"
                                           : inside ? "a symbolic link to something that is not a file"
                                                    : "a symbolic link to " + target.string() +
                                                          ", outside the dataset folder (nothing outside it is read)";
                    continue;
                }
                names.insert(name);
            } else if (it->is_regular_file(typeEc)) {
                names.insert(name);
            }
        }
        return names;
    }

    void checkTrainImages()
    {
        const std::string folder = "train_images";
        std::error_code ec;
        if (!fs::is_directory(pathOf(folder), ec)) {
            fatal(folder + "/", 0, "folder not found: the images listed in train.csv live there");
            d_.samples_.clear();
            return;
        }
        std::map<std::string, std::string> refused;
        std::unordered_set<std::string> present = listFiles(pathOf(folder), &refused);
        std::vector<Sample> kept;
        kept.reserve(d_.samples_.size());
        for (auto& s : d_.samples_) {
            if (const auto r = refused.find(s.imageId); r != refused.end()) {
                error(csvName_, s.line, "image_id '" + s.imageId + "' refused: " + folder + "/" + s.imageId + " is " +
                                            r->second);
                refused.erase(r);
                continue;
            }
            if (present.erase(s.imageId) == 0) {
                error(csvName_, s.line, "image '" + s.imageId + "' is listed but " + folder + "/" +
                                               s.imageId + " does not exist");
                continue;
            }
            kept.push_back(std::move(s));
        }
        if (kept.size() != d_.samples_.size())
            rebuildIndex(kept);
        d_.samples_ = std::move(kept);
        // Files of rows that had problems are listed, just not usable: they were reported already.
        std::vector<std::string> unlisted;
        for (const auto& name : present)
            if (!invalidIds_.count(name))
                unlisted.push_back(name);
        std::sort(unlisted.begin(), unlisted.end());
        for (const auto& name : unlisted)
            warning(folder + "/" + name, 0, "present but not listed in train.csv");
        for (const auto& [name, why] : refused)
            if (!invalidIds_.count(name))
                warning(folder + "/" + name, 0, "not listed in train.csv, and refused: it is " + why);
    }

    void loadTestImages()
    {
        const std::string folder = "test_images";
        std::error_code ec;
        if (fs::is_directory(pathOf(folder), ec)) {
            std::map<std::string, std::string> refused;
            auto names = listFiles(pathOf(folder), &refused);
            for (const auto& [name, why] : refused)
                error(folder + "/" + name, 0, "refused: it is " + why);
            d_.testImages_.assign(names.begin(), names.end());
            std::sort(d_.testImages_.begin(), d_.testImages_.end());
        }
        const std::string name = "sample_submission.csv";
        if (!fs::exists(pathOf(name), ec))
            return;
        std::string text, why;
        if (!readText(name, text, why)) {
            error(name, 0, "cannot be read: " + why);
            return;
        }
        CsvReader reader(text, name);
        CsvRecord record;
        if (!reader.next(record) || record.fields.empty() || record.fields[0] != "image_id") {
            error(name, record.line ? record.line : 1, "expected the header image_id,label");
            return;
        }
        std::unordered_set<std::string> test(d_.testImages_.begin(), d_.testImages_.end());
        std::unordered_set<std::string> seen;
        while (reader.next(record)) {
            const std::string& id = record.fields[0];
            if (const std::string why = Dataset::unsafeImageIdReason(id); !why.empty())
                error(name, record.line, "image_id '" + id + "' refused: " + why);
            else if (!seen.insert(id).second)
                error(name, record.line, "duplicate image_id '" + id + "'");
            else if (!test.count(id))
                error(name, record.line, "image '" + id + "' is listed but " + folder + "/" + id +
                                             " does not exist");
        }
        for (const auto& p : reader.problems())
            d_.problems_.push_back(p);
    }

    void checkClassCoverage(const std::string& csvName)
    {
        if (d_.samples_.empty()) {
            if (!hasFatal(d_.problems_))
                fatal(csvName, 0, "no usable rows: every row has a problem or the file lists no images");
            return;
        }
        const auto counts = d_.classCounts();
        for (int c = 0; c < d_.labels_.size(); ++c)
            if (counts[static_cast<size_t>(c)] == 0)
                warning(csvName, 0, "class " + std::to_string(c) + " (" + d_.labels_.name(c) +
                                        ") has no images");
    }

    void rebuildIndex(const std::vector<Sample>& samples)
    {
        d_.index_.clear();
        d_.index_.reserve(samples.size());
        for (size_t i = 0; i < samples.size(); ++i)
            d_.index_.emplace(samples[i].imageId, static_cast<int>(i));
    }

    Dataset& d_;
    const Dataset::OpenOptions& options_;
    std::string csvName_;
    // Ids of rows refused for their label: their files are listed, just not usable.
    std::unordered_set<std::string> invalidIds_;
};

Dataset Dataset::open(const std::string& root) { return open(root, OpenOptions{}); }

Dataset Dataset::open(const std::string& root, const OpenOptions& options)
{
    Dataset d;
    d.root_ = root;
    while (d.root_.size() > 1 && d.root_.back() == '/')
        d.root_.pop_back();
    d.labels_ = LabelMap::standard();
    DatasetLoader(d, options).load();
    return d;
}

std::string Dataset::unsafeImageIdReason(std::string_view id)
{
    if (id.empty())
        return "empty";
    if (id.front() == '/')
        return "an absolute path (images must be inside train_images/)";
    if (id.find_first_of("/\\") != std::string_view::npos)
        return "contains a path separator (images must be directly inside train_images/)";
    if (id.find("..") != std::string_view::npos)
        return "contains '..' (nothing outside the dataset folder is read)";
    if (id == ".")
        return "not a file name";
    for (const char c : id)
        if (static_cast<unsigned char>(c) < 0x20)
            return "contains a control character";
    return {};
}

std::string Dataset::name() const
{
    const auto slash = root_.find_last_of('/');
    return slash == std::string::npos ? root_ : root_.substr(slash + 1);
}

bool Dataset::usable() const { return !samples_.empty() && !hasFatal(problems_); }

std::vector<int> Dataset::classCounts() const
{
    std::vector<int> counts(static_cast<size_t>(std::max(0, labels_.size())), 0);
    for (const auto& s : samples_)
        ++counts[static_cast<size_t>(s.label)];
    return counts;
}

std::vector<int> Dataset::labelsOfSamples() const
{
    std::vector<int> labels;
    labels.reserve(samples_.size());
    for (const auto& s : samples_)
        labels.push_back(s.label);
    return labels;
}

int Dataset::indexOf(std::string_view imageId) const
{
    const auto it = index_.find(std::string(imageId));
    return it == index_.end() ? -1 : it->second;
}

std::string Dataset::imagePath(const Sample& sample) const { return trainImagePath(sample.imageId); }

std::string Dataset::trainImagePath(std::string_view imageId) const
{
    return root_ + "/train_images/" + std::string(imageId);
}

std::string Dataset::testImagePath(std::string_view imageId) const
{
    return root_ + "/test_images/" + std::string(imageId);
}

}  // namespace cassava
