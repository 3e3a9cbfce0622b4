#include "RunCatalog.h"

#include "JsonNumbers.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cassava {
namespace {

std::string firstLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string hostName()
{
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0)
        return {};
    return buffer;
}

std::string bootId() { return firstLine("/proc/sys/kernel/random/boot_id"); }

// Field 22 of /proc/PID/stat: the process's start time in clock ticks since boot. With the pid
// it names one process for the life of a boot. The command name (field 2) may hold spaces and
// parentheses, so fields are counted after its last ')'.
std::string processStartTime(long pid)
{
    const std::string stat = firstLine("/proc/" + std::to_string(pid) + "/stat");
    const size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return {};
    std::istringstream fields(stat.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22)
            return field;
    return {};
}

int64_t secondsNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int64_t modifiedSeconds(const std::string& path)
{
    std::error_code ec;
    const auto t = fs::last_write_time(path, ec);
    if (ec)
        return 0;
    const auto system = std::chrono::time_point_cast<std::chrono::seconds>(
        t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    return system.time_since_epoch().count();
}

int64_t folderBytes(const std::string& path)
{
    int64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code sizeError;
        if (it->is_regular_file(sizeError))
            total += static_cast<int64_t>(it->file_size(sizeError));
    }
    return total;
}

nlohmann::json readJsonOrNull(const RunDir& run, const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return nullptr;
    try {
        return run.readJson(path);
    } catch (const std::exception&) {
        return nullptr;  // a damaged file says nothing; the other files still do
    }
}

}  // namespace

std::string runStateName(RunState state)
{
    switch (state) {
    case RunState::Running: return "running";
    case RunState::Finished: return "finished";
    case RunState::Cancelled: return "cancelled";
    case RunState::Failed: return "failed";
    case RunState::Unfinished: return "unfinished";
    }
    return "unfinished";
}

bool runHolderAlive(const nlohmann::json& status)
{
    if (!status.is_object())
        return false;
    const long pid = wholeValue(status, "pid", 0L);
    if (pid <= 0 || status.value("host", std::string()) != hostName() || status.value("boot", std::string()) != bootId())
        return false;
    const std::string started = processStartTime(pid);
    return !started.empty() && started == status.value("process_start", std::string());
}

void markRunRunning(const RunDir& run)
{
    const long pid = static_cast<long>(::getpid());
    run.writeJson(run.statusPath(), {{"state", "running"},
                                     {"pid", pid},
                                     {"host", hostName()},
                                     {"boot", bootId()},
                                     {"process_start", processStartTime(pid)},
                                     {"started", secondsNow()}});
}

void markRunEnded(const RunDir& run, RunState state, const std::string& error)
{
    nlohmann::json status = readJsonOrNull(run, run.statusPath());
    if (!status.is_object())
        status = nlohmann::json::object();
    status["state"] = runStateName(state);
    status["ended"] = secondsNow();
    if (!error.empty())
        status["error"] = error;
    else
        status.erase("error");
    run.writeJson(run.statusPath(), status);
}

RunInfo inspectRun(const std::string& path)
{
    const RunDir run(path);
    if (!run.hasConfig())
        throw std::runtime_error(path + ": not a run folder (no config.json)");
    RunInfo info;
    info.path = run.path();
    info.name = fs::path(run.path()).filename().string();

    const nlohmann::json config = readJsonOrNull(run, run.configPath());
    if (config.is_object()) {
        info.model = config.value("model", std::string());
        info.size = wholeValue(config, "size", 0);
        const int folds = wholeValue(config, "folds", 1);
        const auto runFolds = config.value("run_folds", nlohmann::json::array());
        info.folds = runFolds.is_array() && !runFolds.empty() ? static_cast<int>(runFolds.size()) : std::max(1, folds >= 2 ? folds : 1);
        info.epochs = wholeValue(config, "epochs", 0);
    }

    std::set<std::pair<int, int>> epochsSeen;
    for (const auto& line : run.readMetrics()) {
        if (line.value("type", std::string()) != "epoch")
            continue;
        epochsSeen.emplace(wholeValue(line, "fold", 0), wholeValue(line, "epoch", 0));
        const double accuracy = line.value("val_accuracy", -1.0), loss = line.value("val_loss", -1.0);
        info.bestValAccuracy = std::max(info.bestValAccuracy, accuracy);
        if (loss >= 0 && (info.bestValLoss < 0 || loss < info.bestValLoss))
            info.bestValLoss = loss;
    }
    info.epochsDone = static_cast<int>(epochsSeen.size());

    const nlohmann::json summary = readJsonOrNull(run, run.summaryPath());
    if (summary.is_object())
        info.oofAccuracy = summary.value("oof_accuracy", -1.0);

    const nlohmann::json status = readJsonOrNull(run, run.statusPath());
    const std::string state = status.is_object() ? status.value("state", std::string()) : std::string();
    if (state == "running")
        info.state = runHolderAlive(status) ? RunState::Running : RunState::Unfinished;
    else if (state == "finished")
        info.state = RunState::Finished;
    else if (state == "cancelled")
        info.state = RunState::Cancelled;
    else if (state == "failed")
        info.state = RunState::Failed;
    else if (summary.is_object())
        info.state = summary.value("completed", false) ? RunState::Finished : RunState::Cancelled;
    else
        info.state = RunState::Unfinished;
    if (status.is_object())
        info.error = status.value("error", std::string());
    info.startedAt = status.is_object() && status.contains("started") ? wholeValue(status, "started", int64_t{0})
                                                                      : modifiedSeconds(run.configPath());
    info.bytes = folderBytes(run.path());
    return info;
}

std::vector<RunInfo> listRuns(const std::string& folder)
{
    std::vector<RunInfo> runs;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (!it->is_directory(typeError) || !RunDir(it->path().string()).hasConfig())
            continue;
        try {
            runs.push_back(inspectRun(it->path().string()));
        } catch (const std::exception&) {
            // raced with a deletion: not listed
        }
    }
    sortRunsNewestFirst(runs);
    return runs;
}

void sortRunsNewestFirst(std::vector<RunInfo>& runs)
{
    std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) {
        return a.startedAt != b.startedAt ? a.startedAt > b.startedAt : a.name < b.name;
    });
}

}  // namespace cassava
