#include "RunCheck.h"

#include "AtomicFile.h"
#include "Checkpoint.h"
#include "Csv.h"
#include "RunDir.h"
#include "ZipChecksums.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cassava {
namespace {

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void checkJson(const std::string& bytes, RunFileCheck& c)
{
    try {
        const auto j = nlohmann::json::parse(bytes);
        if (!j.is_object())
            throw std::runtime_error("not a JSON object");
        c.verdict = RunFileCheck::Verdict::Whole;
        c.detail = std::to_string(j.size()) + " keys";
    } catch (const std::exception& e) {
        c.verdict = RunFileCheck::Verdict::Damaged;
        c.detail = e.what();
    }
}

void checkJsonLines(const std::string& bytes, RunFileCheck& c)
{
    size_t pos = 0, lines = 0;
    int lineNo = 0;
    while (pos < bytes.size()) {
        const size_t end = bytes.find('\n', pos);
        const bool last = end == std::string::npos;
        const std::string line = bytes.substr(pos, last ? std::string::npos : end - pos);
        pos = last ? bytes.size() : end + 1;
        ++lineNo;
        if (line.empty())
            continue;
        bool ok = !last;  // a line is complete only with its newline
        if (ok) {
            try {
                ok = nlohmann::json::parse(line).is_object();
            } catch (const nlohmann::json::exception&) {
                ok = false;
            }
        }
        if (!ok && pos < bytes.size()) {
            c.verdict = RunFileCheck::Verdict::Damaged;
            c.detail = "line " + std::to_string(lineNo) + " is not a JSON object";
            return;
        }
        if (!ok) {
            c.verdict = RunFileCheck::Verdict::Tolerated;
            c.detail = std::to_string(lines) + " lines; a torn last line (ignored when read; a resume drops it)";
            return;
        }
        ++lines;
    }
    c.verdict = RunFileCheck::Verdict::Whole;
    c.detail = std::to_string(lines) + " lines";
}

void checkCsv(const std::string& bytes, const std::string& name, RunFileCheck& c)
{
    c.verdict = RunFileCheck::Verdict::Damaged;
    if (bytes.empty()) {
        c.detail = "empty";
        return;
    }
    if (bytes.back() != '\n') {
        c.detail = "the last line has no newline (cut short)";
        return;
    }
    CsvReader reader(bytes, name);
    CsvRecord record;
    size_t fields = 0, records = 0;
    while (reader.next(record)) {
        if (records == 0)
            fields = record.fields.size();
        else if (record.fields.size() != fields) {
            c.detail = "line " + std::to_string(record.line) + " has " + std::to_string(record.fields.size()) +
                       " fields, the header " + std::to_string(fields);
            return;
        }
        ++records;
    }
    if (!reader.problems().empty()) {
        c.detail = reader.problems().front().toString();
        return;
    }
    c.verdict = RunFileCheck::Verdict::Whole;
    c.detail = std::to_string(records > 0 ? records - 1 : 0) + " records";
}

}  // namespace

const char* verdictName(RunFileCheck::Verdict verdict)
{
    switch (verdict) {
    case RunFileCheck::Verdict::Whole: return "whole";
    case RunFileCheck::Verdict::Tolerated: return "tolerated";
    case RunFileCheck::Verdict::Leftover: return "leftover";
    case RunFileCheck::Verdict::Damaged: return "DAMAGED";
    case RunFileCheck::Verdict::Unchecked: return "unchecked";
    }
    return "?";
}

std::vector<RunFileCheck> checkRunFiles(const std::string& runDir)
{
    std::error_code ec;
    if (!fs::is_directory(runDir, ec))
        throw std::runtime_error(runDir + ": not a folder");
    // The two names the file's extension does not tell, as RunDir knows them.
    const RunDir run(runDir);
    const std::string lockName = fs::path(run.lockPath()).filename().string();
    const std::string resumeName = fs::path(run.resumePath(0)).filename().string();
    std::vector<RunFileCheck> checks;
    fs::recursive_directory_iterator it(runDir, fs::directory_options::none, ec), end;
    if (ec)
        throw std::runtime_error(runDir + ": cannot list: " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec)
            throw std::runtime_error(runDir + ": cannot list: " + ec.message());
        std::error_code typeError;
        if (!it->is_regular_file(typeError))
            continue;
        RunFileCheck c;
        c.path = fs::relative(it->path(), runDir, typeError).string();
        const std::string name = it->path().filename().string();
        const std::string full = it->path().string();
        try {
            if (isTemporaryOfAtomicWrite(name)) {
                c.verdict = RunFileCheck::Verdict::Leftover;
                c.detail = "the temporary of an interrupted write (never read; the next resume removes it)";
            } else if (name == lockName) {
                c.verdict = RunFileCheck::Verdict::Whole;
                c.detail = "the trainer's lock (holds no data)";
            } else if (endsWith(name, ".jsonl")) {
                checkJsonLines(readFile(full), c);
            } else if (endsWith(name, ".json")) {
                checkJson(readFile(full), c);
            } else if (endsWith(name, ".csv")) {
                checkCsv(readFile(full), c.path, c);
            } else if (endsWith(name, ".ckpt")) {
                const CheckpointMetadata m = readCheckpointMetadata(full);
                c.verdict = RunFileCheck::Verdict::Whole;
                c.detail = "checkpoint efficientnet_" + m.variant + ", checksums match";
            } else if (name == resumeName) {
                verifyZipChecksums(readFile(full));
                c.verdict = RunFileCheck::Verdict::Whole;
                c.detail = "checksums match";
            } else {
                c.detail = "not a run file this check knows";
            }
        } catch (const std::exception& e) {
            c.verdict = RunFileCheck::Verdict::Damaged;
            c.detail = e.what();
        }
        checks.push_back(std::move(c));
    }
    std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return checks;
}

}  // namespace cassava
