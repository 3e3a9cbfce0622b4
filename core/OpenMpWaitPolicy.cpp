#include "OpenMpWaitPolicy.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace cassava {

OpenMpWaitPolicy chooseOpenMpWaitPolicy(const std::vector<int>& runningSamples)
{
    size_t busy = 0, known = 0;
    for (int n : runningSamples) {
        if (n < 0)
            continue;
        ++known;
        busy += n > 1 ? 1 : 0;
    }
    OpenMpWaitPolicy p;
    p.idle = known > 0 && busy * 2 < known;
    // With ACTIVE, libgomp spins GOMP_SPINCOUNT rounds, then sleeps.
    p.waitPolicy = "ACTIVE";
    p.spinCount = p.idle ? "10000" : "1000";
    return p;
}

int runnableTasks(const std::string& loadavg)
{
    std::istringstream in(loadavg);
    std::string oneMinute, fiveMinutes, fifteenMinutes, tasks;
    in >> oneMinute >> fiveMinutes >> fifteenMinutes >> tasks;
    const auto slash = tasks.find('/');
    if (!in || slash == std::string::npos || slash == 0)
        return -1;
    char* end = nullptr;
    const long n = std::strtol(tasks.c_str(), &end, 10);
    return end == tasks.c_str() + slash ? static_cast<int>(n) : -1;
}

std::vector<std::pair<std::string, std::string>> openMpEnvironmentToSet()
{
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT"))
        return {};
    std::vector<int> samples;
    for (int i = 0; i < 5; ++i) {
        if (i > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::ifstream file("/proc/loadavg");
        std::stringstream text;
        text << file.rdbuf();
        samples.push_back(runnableTasks(text.str()));
    }
    const OpenMpWaitPolicy p = chooseOpenMpWaitPolicy(samples);
    return {{"OMP_WAIT_POLICY", p.waitPolicy}, {"GOMP_SPINCOUNT", p.spinCount}};
}

void restartWithOpenMpWaitPolicy(char** argv)
{
    const auto env = openMpEnvironmentToSet();
    for (const auto& [name, value] : env)
        ::setenv(name.c_str(), value.c_str(), 1);
    if (!env.empty())
        ::execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
}

}  // namespace cassava
