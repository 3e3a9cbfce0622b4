#include "MallocPolicy.h"

#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

extern char** environ;

namespace cassava {
namespace {

std::mutex descriptionMutex;
std::string description;

std::vector<std::string> processEnvironment()
{
    std::vector<std::string> entries;
    for (char** e = environ; e && *e; ++e)
        entries.emplace_back(*e);
    return entries;
}

}  // namespace

std::string userMallocSetting(const std::vector<std::string>& environment)
{
    for (const auto& entry : environment) {
        const auto equals = entry.find('=');
        const std::string name = entry.substr(0, equals);
        const std::string value = equals == std::string::npos ? std::string() : entry.substr(equals + 1);
        if (name.rfind("MALLOC_", 0) == 0)
            return name;
        if (name == "GLIBC_TUNABLES" && value.find("glibc.malloc.") != std::string::npos)
            return name;
        if (name == "LD_PRELOAD" && value.find("malloc") != std::string::npos)
            return name;  // jemalloc, tcmalloc, mimalloc...
    }
    return {};
}

std::string keepFreedMemoryForReuse()
{
    std::string what;
#if defined(__GLIBC__)
    const std::string user = userMallocSetting(processEnvironment());
    if (!user.empty()) {
        what = "malloc as set by " + user;
    } else {
        // Setting the thresholds also stops glibc adapting them. The largest mmap threshold glibc
        // accepts is 32 MB on 64-bit (larger blocks are still mapped and unmapped); below it,
        // blocks come from heaps that are never trimmed.
        mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
        mallopt(M_TOP_PAD, 64 * 1024 * 1024);
        what = "malloc keeps freed memory";
    }
#endif
    std::lock_guard<std::mutex> lock(descriptionMutex);
    description = what;
    return what;
}

double mallocInUseMegabytes()
{
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
#else
    return -1;
#endif
}

std::string mallocPolicyDescription()
{
    std::lock_guard<std::mutex> lock(descriptionMutex);
    return description;
}

}  // namespace cassava
