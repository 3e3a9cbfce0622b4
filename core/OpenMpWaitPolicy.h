#pragma once
// How LibTorch's OpenMP threads (libgomp) wait between parallel regions, chosen before libgomp is
// loaded (it reads its environment once). Measured on a 2-core machine (bench/bench_wait_policy.sh,
// BENCHMARKS.md): a training step issues thousands of short parallel regions, and a thread that
// sleeps at once (OMP_WAIT_POLICY=PASSIVE) pays a wake-up on each; spinning 10,000 rounds first
// trains 1.4-1.6x faster when the cores are ours. When other work wants the cores, that spinning
// steals them from it (1.7x slower than sleeping) and libgomp's default (300,000 rounds) is far
// worse, while 1,000 rounds is as fast as sleeping. So: spin 10,000 rounds when nothing else is
// running as the process starts, 1,000 otherwise.
#include <string>
#include <utility>
#include <vector>

namespace cassava {

struct OpenMpWaitPolicy {
    std::string waitPolicy;  // OMP_WAIT_POLICY
    std::string spinCount;   // GOMP_SPINCOUNT
    bool idle = false;       // what the choice was based on
};

// `runningSamples`: the system's runnable task count (the caller's thread included) sampled a few
// times. Idle when most samples see only the caller.
OpenMpWaitPolicy chooseOpenMpWaitPolicy(const std::vector<int>& runningSamples);

// The runnable count from /proc/loadavg's text ("0.12 0.30 0.41 1/123 4567"); -1 if unreadable.
int runnableTasks(const std::string& loadavg);

// The environment assignments to make before LibTorch is loaded: empty when the user set
// OMP_WAIT_POLICY or GOMP_SPINCOUNT (theirs wins). Samples /proc/loadavg five times over ~40 ms.
std::vector<std::pair<std::string, std::string>> openMpEnvironmentToSet();

// For a program that is about to run networks: sets openMpEnvironmentToSet() and starts this
// program again with it (libgomp reads its environment once, as it is loaded). Returns only when
// there was nothing to set (the user chose, or this is the second start) or the restart failed.
void restartWithOpenMpWaitPolicy(char** argv);

}  // namespace cassava
