#include "RunLock.h"

#include "JsonNumbers.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace cassava {

RunLock RunLock::acquire(const RunDir& run)
{
    const std::string path = run.lockPath();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error(path + ": cannot be opened to lock the run: " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error != EWOULDBLOCK)
            throw std::runtime_error(path + ": cannot be locked: " + std::strerror(error));
        std::string holder = "another process";
        try {
            const nlohmann::json status = run.readJson(run.statusPath());
            if (status.contains("pid"))
                holder = "process " + std::to_string(wholeValue(status, "pid", 0L)) + " on " + status.value("host", std::string("?"));
        } catch (const std::exception&) {
            // status.json is being replaced or absent: the lock alone says the run is busy.
        }
        throw std::runtime_error(run.path() + " is being trained by " + holder + " (it holds " + path +
                                 "); wait for it to finish, or cancel it");
    }
    return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& other) noexcept
{
    if (this != &other) {
        release();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

RunLock::~RunLock() { release(); }

void RunLock::release()
{
    if (fd_ >= 0) {
        ::close(fd_);  // closing the only descriptor drops the flock
        fd_ = -1;
    }
}

}  // namespace cassava
