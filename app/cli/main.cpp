#include "Cli.h"

#include <cstdlib>
#include <unistd.h>

int main(int argc, char** argv)
{
    // LibTorch's OpenMP threads spin while they wait by default. On a machine whose cores are
    // shared (our own loader threads, other jobs) that makes training up to 20x slower (see
    // BENCHMARKS.md). libgomp reads the policy once, when it is loaded, so the process re-executes
    // itself once with the policy set, unless the user chose one.
    if (!std::getenv("OMP_WAIT_POLICY")) {
        ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
        ::execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
    }
    return cassava::cli::run(argc, argv);
}
