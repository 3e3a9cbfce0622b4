#include "RunDir.h"

#include "AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace cassava {

RunDir::RunDir(std::string path) : path_(std::move(path))
{
    while (path_.size() > 1 && path_.back() == '/')
        path_.pop_back();
}

void RunDir::create() const
{
    std::error_code ec;
    fs::create_directories(path_, ec);
    if (ec || !fs::is_directory(path_))
        throw std::runtime_error(path_ + ": cannot create the run folder: " +
                                 (ec ? ec.message() : std::string("not a folder")));
}

bool RunDir::exists() const
{
    std::error_code ec;
    return fs::is_directory(path_, ec);
}

bool RunDir::hasConfig() const
{
    std::error_code ec;
    return fs::exists(configPath(), ec);
}

std::vector<int> RunDir::foldsWithBest() const
{
    std::vector<int> folds;
    for (int k = 0; k < 100; ++k) {
        std::error_code ec;
        if (fs::exists(bestCheckpoint(k), ec))
            folds.push_back(k);
        else if (!fs::exists(foldDir(k), ec))
            break;
    }
    return folds;
}

bool RunDir::holdsNothingButAnInterruptedStart() const
{
    std::error_code ec;
    for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (!it->is_regular_file(typeError) ||
            (it->path() != fs::path(lockPath()) && !isTemporaryOfAtomicWrite(it->path().filename().string())))
            return false;
    }
    return !ec;
}

std::vector<std::string> RunDir::removeInterruptedWrites() const
{
    // Only the temporaries of the trainer's own files: another program may be writing, say,
    // RUN/submission.csv right now.
    std::set<fs::path> owned = {configPath(), statusPath(), labelsPath(), foldsPath(), metricsPath(), oofPath(),
                                summaryPath()};
    std::vector<std::string> folders = {path_};
    for (int k = 0; k < 100; ++k) {
        std::error_code ec;
        if (!fs::is_directory(foldDir(k), ec))
            continue;
        folders.push_back(foldDir(k));
        owned.insert({lastCheckpoint(k), bestCheckpoint(k), resumePath(k), foldOofPath(k)});
    }
    std::vector<std::string> removed;
    for (const auto& folder : folders) {
        std::error_code ec;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            std::error_code typeError;
            if (isTemporaryOfAtomicWrite(name) && owned.count(it->path().parent_path() / name.substr(0, name.rfind(".tmp-"))) &&
                it->is_regular_file(typeError) && fs::remove(it->path(), typeError))
                removed.push_back(it->path().string());
        }
    }
    return removed;
}

void RunDir::writeJson(const std::string& path, const nlohmann::json& value) const
{
    writeFileAtomically(path, value.dump(2) + "\n");
}

nlohmann::json RunDir::readJson(const std::string& path) const
{
    const std::string text = readFile(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        int line = 1;
        for (size_t i = 0; i < e.byte && i < text.size(); ++i)
            line += text[i] == '\n';
        throw std::runtime_error(path + ":" + std::to_string(line) + ": not valid JSON");
    } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
        throw std::runtime_error(path + ": not valid JSON (" + e.what() + ")");
    }
}

void RunDir::appendMetrics(const nlohmann::json& line) const
{
    const std::string text = line.dump() + "\n";
    const int fd = ::open(metricsPath().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0)
        throw std::runtime_error(metricsPath() + ": cannot open for appending: " + std::strerror(errno));
    // One write call per line: appends of a line are not interleaved with another writer's.
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int err = errno;
    ::fdatasync(fd);
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
        throw std::runtime_error(metricsPath() + ": cannot append: " + std::strerror(err));
}

std::vector<nlohmann::json> RunDir::readMetrics(int* skipped) const
{
    std::vector<nlohmann::json> lines;
    int bad = 0;
    std::error_code ec;
    if (fs::exists(metricsPath(), ec)) {
        std::istringstream in(readFile(metricsPath()));
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            try {
                lines.push_back(nlohmann::json::parse(line));
            } catch (const nlohmann::json::exception&) {
                ++bad;  // a line torn by a killed process (or one the parser refuses)
            }
        }
    }
    if (skipped)
        *skipped = bad;
    return lines;
}

void RunDir::rewriteMetrics(const std::vector<nlohmann::json>& lines) const
{
    std::string text;
    for (const auto& line : lines)
        text += line.dump() + "\n";
    writeFileAtomically(metricsPath(), text);
}

}  // namespace cassava
