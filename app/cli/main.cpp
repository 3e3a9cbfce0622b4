#include "Cli.h"
#include "MallocPolicy.h"
#include "OpenMpWaitPolicy.h"

#include <csignal>

int main(int argc, char** argv)
{
    // Past a file-size limit (ulimit -f) a write fails with EFBIG and is reported naming the file;
    // by default SIGXFSZ would end the process instead.
    std::signal(SIGXFSZ, SIG_IGN);
    // How LibTorch's OpenMP threads wait matters more than anything else on a few shared cores
    // (core/OpenMpWaitPolicy.h, BENCHMARKS.md). libgomp reads it once, when it is loaded, so a
    // command that runs a network re-executes itself once with the policy set, unless the user
    // chose one; the others need neither the sampling nor the second start.
    if (cassava::cli::runsNetwork(argc, argv)) {
        cassava::restartWithOpenMpWaitPolicy(argv);
        // A training step frees and reallocates its activations every step: glibc's malloc
        // would return them to the kernel each time (core/MallocPolicy.h).
        cassava::keepFreedMemoryForReuse();
    }
    return cassava::cli::run(argc, argv);
}
