#include "AtomicFile.h"

#include "CrashPoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace cassava {
namespace {

std::runtime_error ioError(const std::string& what, const std::string& path, int err)
{
    return std::runtime_error(path + ": " + what + ": " + std::strerror(err));
}

std::string folderOf(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void writeFileAtomically(const std::string& path, std::string_view bytes)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw ioError("cannot create a temporary file beside it", path, errno);
    const std::string tmp = tmpl;

    auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw ioError(what, path, err);
    };

    // The kill -9 campaign's "write:FILE" point: half the bytes reach the disk, then the process dies.
    const auto slash = path.find_last_of('/');
    const bool crash = crashPointReached("write:" + path.substr(slash == std::string::npos ? 0 : slash + 1));
    const size_t size = crash ? bytes.size() / 2 : bytes.size();
    size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, bytes.data() + written, size - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("cannot write");
        }
        written += static_cast<size_t>(n);
    }
    if (crash) {
        ::fsync(fd);
        crashNow();
    }
    // Keep the permissions a user would get from a plain write (mkstemp creates 0600).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    if (::fsync(fd) != 0)
        fail("cannot flush to disk");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw ioError("cannot close", path, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw ioError("cannot replace", path, err);
    }
    // Make the rename itself durable.
    const int dirFd = ::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

bool isTemporaryOfAtomicWrite(const std::string& fileName)
{
    constexpr size_t kSuffix = 11;  // ".tmp-" and mkstemp's six characters
    return fileName.size() > kSuffix && fileName.compare(fileName.size() - kSuffix, 5, ".tmp-") == 0;
}

std::string readFile(const std::string& path)
{
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        throw ioError("cannot open", path, errno);
    std::string data;
    char buffer[1 << 16];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
        data.append(buffer, n);
    const bool failed = std::ferror(f);
    const int err = errno;
    std::fclose(f);
    if (failed)
        throw ioError("cannot read", path, err);
    return data;
}

}  // namespace cassava
