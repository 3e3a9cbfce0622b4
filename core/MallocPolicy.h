#pragma once
// How glibc's malloc gives freed memory back to the kernel, set for network work. By default it
// trims the top of each heap and unmaps large blocks as soon as they are freed, and adapts its
// thresholds only slowly; a training step frees and reallocates hundreds of megabytes of
// activations and gradients, so the same pages go back to the kernel and fault in again, zeroed,
// every step. Measured on the real photos (bench/bench_malloc_policy.sh, BENCHMARKS.md): 7-12
// million minor page faults in a 1.5-minute run, and fold 0's epochs 25 % slower than later
// folds', whose heaps happened to stay grown; keeping freed memory for reuse took that to 0.22
// million faults and the run 1.13x faster.
#include <string>
#include <vector>

namespace cassava {

// The user's own malloc setting in an environment ("NAME=value" entries): a glibc MALLOC_*
// variable, malloc tunables in GLIBC_TUNABLES, or an allocator in LD_PRELOAD. Empty when none;
// otherwise the setting's name, and theirs wins.
std::string userMallocSetting(const std::vector<std::string>& environment);

// Keeps freed memory in the process for reuse (no trimming of heap tops, large blocks from the
// heap up to glibc's largest threshold, 64 MB of padding per heap extension), unless the user set
// malloc up; call before heavy allocation. Returns the description mallocPolicyDescription() gives.
std::string keepFreedMemoryForReuse();

// For the run's device line: "malloc keeps freed memory", "malloc as set by NAME", or empty when
// keepFreedMemoryForReuse() was not called (or this is not glibc).
std::string mallocPolicyDescription();

// Bytes malloc has handed out and not had back (all arenas, mapped blocks included), in MB: what
// the process really holds, as opposed to its resident pages, which freed memory kept for reuse
// also counts. -1 where malloc cannot say (not glibc 2.33 or later).
double mallocInUseMegabytes();

}  // namespace cassava
