// cassava verify: is every file of a run folder whole (engine/RunCheck.h)? For a run copied from a
// server or left by a crash, and the kill -9 campaign's check after each kill.
#include "Args.h"
#include "Cli.h"
#include "Terminal.h"

#include "RunCheck.h"

#include <cstdio>
#include <stdexcept>

namespace cassava::cli {

int verifyCommand(int argc, char** argv)
{
    Args a("verify",
           "Reads every file of a run folder the way Cassava Studio reads it (JSON, JSON lines, CSV,\n"
           "checkpoints and the resume file with their zip checksums) and says which are whole.\n"
           "Exit status 0 when nothing is damaged, 1 otherwise. Temporaries of interrupted writes\n"
           "are listed apart: they are never read and the next resume removes them.");
    a.option("run", "RUN", "the run folder").flag("quiet", "print only what is not whole");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);
    if (!a.has("run")) {
        std::fprintf(stderr, "cassava verify: --run RUN is required (see 'cassava verify --help')\n");
        return Usage;
    }
    try {
        const auto checks = checkRunFiles(a.get("run"));
        int counts[5] = {};
        for (const auto& c : checks) {
            ++counts[static_cast<int>(c.verdict)];
            if (!a.has("quiet") || c.verdict != RunFileCheck::Verdict::Whole)
                std::printf("%-9s %s: %s\n", verdictName(c.verdict), c.path.c_str(), c.detail.c_str());
        }
        using V = RunFileCheck::Verdict;
        std::printf("%s: %d whole, %d damaged, %d tolerated, %d leftover temporaries, %d unchecked\n",
                    a.get("run").c_str(), counts[static_cast<int>(V::Whole)], counts[static_cast<int>(V::Damaged)],
                    counts[static_cast<int>(V::Tolerated)], counts[static_cast<int>(V::Leftover)],
                    counts[static_cast<int>(V::Unchecked)]);
        return counts[static_cast<int>(V::Damaged)] ? Failed : Ok;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava verify: %s\n", e.what());
        return Failed;
    }
}

}  // namespace cassava::cli
