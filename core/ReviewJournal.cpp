#include "ReviewJournal.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Download.h"
#include "JsonNumbers.h"
#include "RunDir.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cassava {
namespace {

constexpr const char* kDecisionNames[] = {"accept", "keep", "relabel", "exclude", "skip"};

std::string nowUtc()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

std::string canonical(const std::string& path)
{
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
    return ec ? path : p.string();
}

void syncFolder(const std::string& dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

nlohmann::json identityJson(const JournalIdentity& id)
{
    return {{"run", {{"path", id.runPath}, {"data", id.data}, {"run_sha256", id.runSha256}}},
            {"dataset", {{"root", id.datasetRoot}, {"train_csv_sha256", id.trainCsvSha256}}}};
}

nlohmann::json itemJson(const ReviewItem& item)
{
    return {{"image_id", item.imageId},
            {"given", item.given},
            {"decision", reviewDecisionName(item.decision)},
            {"label", item.label}};
}

// Throws a short reason when the object is not a decision item.
ReviewItem itemFrom(const nlohmann::json& j)
{
    ReviewItem item;
    item.imageId = j.at("image_id").get<std::string>();
    if (!wholeNumber(j.at("given"), item.given))
        throw std::runtime_error("'given' is not a class number");
    if (!parseReviewDecision(j.at("decision").get<std::string>(), item.decision))
        throw std::runtime_error("unknown decision '" + j.at("decision").get<std::string>() + "'");
    if (!wholeNumber(j.at("label"), item.label))
        throw std::runtime_error("'label' is not a class number");
    return item;
}

}  // namespace

const char* reviewDecisionName(ReviewDecision decision) { return kDecisionNames[static_cast<int>(decision)]; }

bool parseReviewDecision(const std::string& name, ReviewDecision& decision)
{
    for (int i = 0; i < 5; ++i)
        if (name == kDecisionNames[i]) {
            decision = static_cast<ReviewDecision>(i);
            return true;
        }
    return false;
}

namespace {

// What identifies a run to its review: its settings (config.json without "out", which a resume
// or a moved folder rewrites) and the labels it trained on (labels.csv, when it has one).
std::string runFingerprint(const RunDir& run, nlohmann::json config)
{
    config.erase("out");
    std::string bytes = config.dump();
    if (fs::exists(run.labelsPath()))
        bytes += "\n" + readFile(run.labelsPath());
    return sha256OfBytes(bytes);
}

}  // namespace

ReviewJournal ReviewJournal::open(const std::string& runPath)
{
    const RunDir run(runPath);
    if (!run.hasConfig())
        throw std::runtime_error(run.configPath() + ": no such file (not a run folder)");
    const nlohmann::json config = run.readJson(run.configPath());
    const std::string data = config.value("data", std::string());
    if (data.empty())
        throw std::runtime_error(run.configPath() + ": names no dataset (\"data\")");

    ReviewJournal j;
    j.path_ = run.journalPath();
    j.reviewDir_ = run.reviewDir();
    Dataset::OpenOptions options;
    options.checkImageFiles = false;
    j.dataset_ = Dataset::open(data, options);
    const std::string trainCsv = j.dataset_.root() + "/train.csv";
    if (!fs::exists(trainCsv))
        throw std::runtime_error(trainCsv + ": no such file (the dataset of " + run.configPath() + ")");
    j.identity_ = {canonical(run.path()), data, runFingerprint(run, config), canonical(j.dataset_.root()),
                   sha256OfFile(trainCsv)};

    for (const Sample& s : j.dataset_.samples())
        j.given_[s.imageId] = s.label;
    if (fs::exists(run.labelsPath())) {
        ProblemList problems;
        const CsvTable t = readCsvTable(run.labelsPath(), {"image_id", "label"}, problems, run.labelsPath());
        j.given_.clear();
        for (const auto& r : t.rows) {
            int label = -1;
            if (parseInt(t.field(r, "label"), label))
                j.given_[t.field(r, "image_id")] = label;
        }
    }

    if (fs::exists(j.path_))
        j.replay(readFile(j.path_));
    return j;
}

void ReviewJournal::replay(const std::string& text)
{
    // Lines with their numbers and where they end; the last may lack its newline (torn).
    struct Line {
        std::string text;
        int number;
        size_t end;
        bool complete;
    };
    std::vector<Line> lines;
    size_t pos = 0;
    int number = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        ++number;
        if (nl == std::string::npos) {
            lines.push_back({text.substr(pos), number, text.size(), false});
            break;
        }
        lines.push_back({text.substr(pos, nl - pos), number, nl + 1, true});
        pos = nl + 1;
    }

    cleanSize_ = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        const Line& line = lines[i];
        const bool last = i + 1 == lines.size();
        const std::string where = path_ + ":" + std::to_string(line.number);
        nlohmann::json j;
        std::string bad;
        if (!line.complete) {
            bad = "torn line (no newline at its end)";
        } else {
            try {
                j = nlohmann::json::parse(line.text);
                if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
                    bad = "not a journal line (no \"type\")";
            } catch (const nlohmann::json::exception&) {  // parse errors, numbers out of range
                bad = "not valid JSON";
            }
        }
        if (bad.empty() && !hasHeader_ && j["type"] != "header")
            bad = "the first line is not the journal's header";
        if (bad.empty()) {
            try {
                const std::string type = j["type"];
                if (type == "header") {
                    if (hasHeader_)
                        throw std::runtime_error("a second header");
                    const auto text = [&](const char* a, const char* b) { return j.at(a).at(b).get<std::string>(); };
                    const JournalIdentity found{text("run", "path"), text("run", "data"), text("run", "run_sha256"),
                                                text("dataset", "root"), text("dataset", "train_csv_sha256")};
                    if (found.runSha256 != identity_.runSha256)
                        throw std::invalid_argument(
                            path_ + " belongs to another run: its header names run " + found.runPath + " (settings and labels " +
                            found.runSha256.substr(0, 12) + "), but " + identity_.runPath + " has " +
                            identity_.runSha256.substr(0, 12) + "; move the journal away to start a new review");
                    if (found.trainCsvSha256 != identity_.trainCsvSha256)
                        throw std::invalid_argument(
                            path_ + " was made on another dataset: its header names " + found.datasetRoot +
                            "/train.csv (" + found.trainCsvSha256.substr(0, 12) + "), but " + identity_.datasetRoot +
                            "/train.csv is now " + identity_.trainCsvSha256.substr(0, 12) +
                            " (train.csv changed); move the journal away to start a new review");
                    hasHeader_ = true;
                } else if (type == "decision") {
                    ReviewStep step;
                    step.time = j.value("time", std::string());
                    if (j.contains("items")) {
                        for (const auto& it : j.at("items"))
                            step.items.push_back(itemFrom(it));
                    } else {
                        step.items.push_back(itemFrom(j));
                    }
                    if (step.items.empty())
                        throw std::runtime_error("a decision without images");
                    apply(step);
                    redo_.clear();
                } else if (type == "undo") {
                    if (!applyUndo())
                        warnings_.push_back(where + ": undo with nothing to undo; ignored");
                } else if (type == "redo") {
                    if (!applyRedo())
                        warnings_.push_back(where + ": redo with nothing to redo; ignored");
                } else {
                    throw std::runtime_error("unknown line type '" + type + "'");
                }
            } catch (const std::invalid_argument&) {
                throw;  // a foreign journal: refused whatever line it is on
            } catch (const std::exception& e) {
                bad = std::string("not a journal line: ") + e.what();
            }
        }
        if (!bad.empty()) {
            if (!last)
                throw std::runtime_error(where + ": " + bad);
            warnings_.push_back(where + ": " + bad + "; ignored (a process killed while writing it)");
            tornBytes_ = static_cast<long long>(text.size()) - cleanSize_;
            return;  // cleanSize_ stays at the end of the last good line
        }
        cleanSize_ = static_cast<long long>(line.end);
    }
}

void ReviewJournal::apply(const ReviewStep& step)
{
    Applied a{step, {}};
    for (const ReviewItem& item : step.items) {
        const auto it = current_.find(item.imageId);
        a.previous.push_back(it == current_.end() ? std::nullopt : std::optional<ReviewItem>(it->second));
        current_[item.imageId] = item;
    }
    undo_.push_back(std::move(a));
}

bool ReviewJournal::applyUndo()
{
    if (undo_.empty())
        return false;
    Applied a = std::move(undo_.back());
    undo_.pop_back();
    // Restored in reverse so that an image named twice in one step gets its state before the step.
    for (size_t i = a.step.items.size(); i-- > 0;) {
        if (a.previous[i])
            current_[a.step.items[i].imageId] = *a.previous[i];
        else
            current_.erase(a.step.items[i].imageId);
    }
    redo_.push_back(std::move(a.step));
    return true;
}

bool ReviewJournal::applyRedo()
{
    if (redo_.empty())
        return false;
    ReviewStep step = std::move(redo_.back());
    redo_.pop_back();
    apply(step);
    return true;
}

const ReviewItem* ReviewJournal::decisionOf(const std::string& imageId) const
{
    const auto it = current_.find(imageId);
    return it == current_.end() ? nullptr : &it->second;
}

int ReviewJournal::givenLabel(const std::string& imageId) const
{
    const auto it = given_.find(imageId);
    return it == given_.end() ? -1 : it->second;
}

std::vector<ReviewStep> ReviewJournal::undoSteps() const
{
    std::vector<ReviewStep> steps;
    for (const auto& a : undo_)
        steps.push_back(a.step);
    return steps;
}

ReviewItem ReviewJournal::item(const std::string& imageId, ReviewDecision decision, int label) const
{
    ReviewItem item{imageId, givenLabel(imageId), decision, label};
    if (item.given < 0)
        throw std::runtime_error(imageId + " is not an image of the run (" + RunDir(identity_.runPath).labelsPath() +
                                 ")");
    switch (decision) {
    case ReviewDecision::Keep:
    case ReviewDecision::Skip: item.label = item.given; break;
    case ReviewDecision::Exclude: item.label = -1; break;
    case ReviewDecision::Accept:
    case ReviewDecision::Relabel:
        if (!dataset_.labels().contains(label))
            throw std::runtime_error(std::string(reviewDecisionName(decision)) + " of " + imageId + ": label " +
                                     std::to_string(label) + " is not a class of the dataset (0.." +
                                     std::to_string(dataset_.numClasses() - 1) + ")");
        break;
    }
    return item;
}

void ReviewJournal::append(const std::string& jsonLine)
{
    const std::string line = jsonLine + "\n";
    std::error_code ec;
    fs::create_directories(reviewDir_, ec);
    if (ec)
        throw std::runtime_error(reviewDir_ + ": cannot create the review folder: " + ec.message());
    const bool existed = fs::exists(path_);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error(path_ + ": cannot open for appending: " + std::strerror(errno));
    auto fail = [&](const std::string& what) {
        const int err = errno;
        ::close(fd);
        throw std::runtime_error(path_ + ": " + what + ": " + std::strerror(err));
    };
    // Another process appending through its own ReviewJournal waits here (and is then refused below).
    if (::flock(fd, LOCK_EX) != 0)
        fail("cannot lock");
    struct stat st{};
    if (::fstat(fd, &st) != 0)
        fail("cannot read its size");
    if (st.st_size != cleanSize_ + tornBytes_) {
        ::close(fd);
        throw std::runtime_error(path_ + " changed since it was read (another review of the run?); reopen it");
    }
    // A torn last line (or a torn header) is cut off first, so that the file stays whole lines.
    if (tornBytes_ > 0 && ::ftruncate(fd, cleanSize_) != 0)
        fail("cannot cut off its torn last line");
    std::string bytes;
    if (!hasHeader_) {
        nlohmann::json header = identityJson(identity_);
        header["type"] = "header";
        header["version"] = 1;
        header["time"] = nowUtc();
        bytes = header.dump() + "\n";
    }
    bytes += line;
    // One write call: the line is in the file whole or (killed mid-write) torn at its end.
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n != static_cast<ssize_t>(bytes.size()))
        fail("cannot append");
    if (::fsync(fd) != 0)
        fail("cannot flush to disk");
    ::close(fd);
    if (!existed) {
        syncFolder(reviewDir_);
        syncFolder(identity_.runPath);
    }
    hasHeader_ = true;
    tornBytes_ = 0;
    cleanSize_ += static_cast<long long>(bytes.size());
}

void ReviewJournal::decide(const std::vector<ReviewItem>& items)
{
    if (items.empty())
        throw std::runtime_error("a decision needs at least one image");
    ReviewStep step{items, nowUtc()};
    nlohmann::json line = {{"type", "decision"}, {"time", step.time}, {"items", nlohmann::json::array()}};
    for (const auto& item : items) {
        if (givenLabel(item.imageId) < 0)
            throw std::runtime_error(item.imageId + " is not an image of the run");
        line["items"].push_back(itemJson(item));
    }
    append(line.dump());
    apply(step);
    redo_.clear();
}

bool ReviewJournal::undo()
{
    if (undo_.empty())
        return false;
    append(nlohmann::json{{"type", "undo"}, {"time", nowUtc()}}.dump());
    return applyUndo();
}

bool ReviewJournal::redo()
{
    if (redo_.empty())
        return false;
    append(nlohmann::json{{"type", "redo"}, {"time", nowUtc()}}.dump());
    return applyRedo();
}

std::string ReviewJournal::decisionsCsv() const
{
    std::string out = "image_id,given,decision,label\n";
    for (const auto& [id, item] : current_)
        if (item.decision != ReviewDecision::Skip)
            out += csvField(id) + "," + std::to_string(item.given) + "," + reviewDecisionName(item.decision) + "," +
                   std::to_string(item.label) + "\n";
    return out;
}

std::string ReviewJournal::cleanedTrainCsv() const
{
    std::string out = "image_id,label\n";
    for (const Sample& s : dataset_.samples()) {
        int label = s.label;
        if (const ReviewItem* d = decisionOf(s.imageId); d && d->decision != ReviewDecision::Skip) {
            if (d->decision == ReviewDecision::Exclude)
                continue;
            label = d->label;
        }
        out += csvField(s.imageId) + "," + std::to_string(label) + "\n";
    }
    return out;
}

void exportReview(const ReviewJournal& journal, const ReviewExport& options)
{
    if (options.decisionsCsv.empty())
        throw std::runtime_error("no output file for decisions.csv");
    const std::string own = canonical(journal.dataset().root() + "/train.csv");
    std::vector<std::pair<std::string, std::string>> outputs = {{options.decisionsCsv, journal.decisionsCsv()}};
    if (!options.trainCsv.empty())
        outputs.push_back({options.trainCsv, journal.cleanedTrainCsv()});
    if (outputs.size() == 2 && canonical(outputs[0].first) == canonical(outputs[1].first))
        throw std::runtime_error(outputs[0].first + " and " + outputs[1].first + " are the same file");
    for (const auto& [path, text] : outputs) {
        if (canonical(path) == own)
            throw std::runtime_error(path + " is the dataset's own train.csv (" + own +
                                     "), which is never overwritten; choose another file");
        if (!options.force && fs::exists(path))
            throw std::runtime_error(path + " already exists; choose another file or pass --force to replace it");
    }
    for (const auto& [path, text] : outputs)
        writeFileAtomically(path, text);
}

}  // namespace cassava
