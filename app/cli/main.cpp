#include "Cli.h"
#include "OpenMpWaitPolicy.h"

#include <cstdlib>
#include <unistd.h>

int main(int argc, char** argv)
{
    // How LibTorch's OpenMP threads wait matters more than anything else on a few shared cores
    // (core/OpenMpWaitPolicy.h, BENCHMARKS.md). libgomp reads it once, when it is loaded, so the
    // process re-executes itself once with the policy set, unless the user chose one.
    if (const auto env = cassava::openMpEnvironmentToSet(); !env.empty()) {
        for (const auto& [name, value] : env)
            ::setenv(name.c_str(), value.c_str(), 1);
        ::execv("/proc/self/exe", argv);  // returns only on failure: carry on as we are
    }
    return cassava::cli::run(argc, argv);
}
