// glibc's malloc kept from handing a training step's memory back to the kernel every step.
#include "TestSupport.h"

#include "MallocPolicy.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

using namespace cassava;

namespace {

long threadMinorFaults()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt;
}

// The shape of a training step on a worker thread: the forward pass keeps 40 activations of up to
// 14 MB alive (with temporaries freed at once); the backward pass frees them in reverse while
// gradients come and go. Returns the page faults of the last `measured` steps.
long trainingStepFaults(int warmUp, int measured)
{
    long faults = 0;
    std::thread worker([&] {
        unsigned seed = 1;
        auto nextSize = [&seed](size_t range) {
            seed = seed * 1103515245u + 12345u;
            return (seed >> 8) % range + (64u << 10);
        };
        auto touched = [](size_t bytes) {
            char* p = static_cast<char*>(std::malloc(bytes));
            std::memset(p, 1, bytes);
            return p;
        };
        long before = 0;
        for (int step = 0; step < warmUp + measured; ++step) {
            if (step == warmUp)
                before = threadMinorFaults();
            std::vector<char*> activations;
            for (int layer = 0; layer < 40; ++layer) {
                const size_t bytes = nextSize(14u << 20);
                activations.push_back(touched(bytes));
                std::free(touched(bytes / 2));
            }
            for (int layer = 39; layer >= 0; --layer) {
                std::free(touched(nextSize(4u << 20)));
                std::free(activations[static_cast<size_t>(layer)]);
            }
        }
        faults = threadMinorFaults() - before;
    });
    worker.join();
    return faults;
}

// In a child process, so that each measurement starts from a fresh malloc.
long faultsInFreshProcess(bool keepFreedMemory)
{
    int pipeFds[2];
    if (pipe(pipeFds) != 0)
        return -1;
    const pid_t child = fork();
    if (child == 0) {
        if (keepFreedMemory)
            keepFreedMemoryForReuse();
        const long faults = trainingStepFaults(3, 10);
        const ssize_t written = write(pipeFds[1], &faults, sizeof faults);
        _exit(written == sizeof faults ? 0 : 1);
    }
    close(pipeFds[1]);
    long faults = -1;
    if (read(pipeFds[0], &faults, sizeof faults) != sizeof faults)
        faults = -1;
    close(pipeFds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return faults;
}

}  // namespace

class MallocPolicyTest : public QObject {
    Q_OBJECT

private slots:
    void theUsersMallocSettingWins()
    {
        QCOMPARE(userMallocSetting({"HOME=/root", "PATH=/usr/bin"}), std::string());
        QCOMPARE(userMallocSetting({"HOME=/root", "MALLOC_ARENA_MAX=2"}), std::string("MALLOC_ARENA_MAX"));
        QCOMPARE(userMallocSetting({"MALLOC_TRIM_THRESHOLD_=0"}), std::string("MALLOC_TRIM_THRESHOLD_"));
        QCOMPARE(userMallocSetting({"GLIBC_TUNABLES=glibc.malloc.trim_threshold=0"}), std::string("GLIBC_TUNABLES"));
        QCOMPARE(userMallocSetting({"GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2"}), std::string());
        QCOMPARE(userMallocSetting({"LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"}), std::string("LD_PRELOAD"));
        QCOMPARE(userMallocSetting({"LD_PRELOAD=/opt/libfoo.so"}), std::string());
        QCOMPARE(userMallocSetting({"NOT_MALLOC_ARENA=1", "MALLOC"}), std::string());
    }

    // Before describesWhatItDid: that applies the policy to this process, which children inherit.
    void trainingStepsStopFaultingPagesBackIn()
    {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer replaces glibc's malloc: its settings (what this measures) do not apply");
#endif
        const long plain = faultsInFreshProcess(false);
        const long kept = faultsInFreshProcess(true);
        qInfo("minor page faults over 10 steps: glibc's defaults %ld, keeping freed memory %ld", plain, kept);
        QVERIFY(plain > 0 && kept >= 0);
        QVERIFY2(kept * 4 < plain, "keeping freed memory should fault far fewer pages back in");
    }

    void describesWhatItDid()
    {
        qunsetenv("MALLOC_ARENA_MAX");
        QCOMPARE(keepFreedMemoryForReuse(), std::string("malloc keeps freed memory"));
        QCOMPARE(mallocPolicyDescription(), std::string("malloc keeps freed memory"));
        qputenv("MALLOC_ARENA_MAX", "4");
        QCOMPARE(keepFreedMemoryForReuse(), std::string("malloc as set by MALLOC_ARENA_MAX"));
        QCOMPARE(mallocPolicyDescription(), std::string("malloc as set by MALLOC_ARENA_MAX"));
        qunsetenv("MALLOC_ARENA_MAX");
    }
};

QTEST_GUILESS_MAIN(MallocPolicyTest)
#include "test_core_malloc_policy.moc"
