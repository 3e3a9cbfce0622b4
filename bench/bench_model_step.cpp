// EfficientNet-B0 training step (forward + backward + Adam) and inference throughput, and the peak
// memory of the training process, for our LibTorch network and for torchvision in Debian's Python
// torch, with the same thread count, contiguous (NCHW) and channels_last (NHWC), in one run.
// Each configuration runs in its own process so that its peak RSS is its own; C++ and Python
// configurations alternate so that a noisy neighbour hurts both alike.
//
//   bench_model_step [--threads N] [--batch 16] [--size 224] [--warmup 1] [--iterations 2] [--rounds 1]
//                    [--wait-policy passive|active] [--malloc kept|glibc]
// The C++ children run as `cassava` does: malloc keeps freed memory (core/MallocPolicy.h) unless
// --malloc glibc; Python runs as it comes.
// Throughput is that of the fastest timed iteration (batch / its seconds; inference times three
// times as many iterations as training); peak memory is the
// process's peak RSS after the training iterations (VmHWM in C++, ru_maxrss in Python).
#include "EfficientNet.h"
#include "MallocPolicy.h"
#include "TorchThreads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace cassava;

namespace {

const char* const kTorchvisionStep = R"PY(
import resource, sys, time, torch, torchvision
threads, batch, size, warmup, iterations, channels_last = [int(a) for a in sys.argv[1:7]]
torch.set_num_threads(threads)
torch.manual_seed(0)
fmt = torch.channels_last if channels_last else torch.contiguous_format
model = torchvision.models.efficientnet_b0(num_classes=5).to(memory_format=fmt)
images = torch.randn(batch, 3, size, size).contiguous(memory_format=fmt)
labels = torch.randint(0, 5, (batch,))
adam = torch.optim.Adam(model.parameters(), lr=1e-3)
model.train()
def step():
    adam.zero_grad()
    torch.nn.functional.cross_entropy(model(images), labels).backward()
    adam.step()
def best_rates(run, iterations):
    # Noise from other processes only slows an iteration down: the fastest one is the machine's
    # speed. Process CPU time is also kept: on a shared machine it is the steadier measure.
    wall, cpu = float("inf"), float("inf")
    for _ in range(iterations):
        w, c = time.perf_counter(), time.process_time()
        run()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return batch / wall, batch / cpu
for _ in range(warmup):
    step()
train, train_cpu = best_rates(step, iterations)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
model.eval()
with torch.no_grad():
    for _ in range(warmup):
        model(images)
    infer, infer_cpu = best_rates(lambda: model(images), 3 * iterations)
print("RESULT %f %f %f %f %f" % (train, infer, train_cpu, infer_cpu, peak))
)PY";

struct Settings {
    int threads = 0;
    int batch = 16;
    int size = 224;
    int warmup = 1;
    int iterations = 2;
    int rounds = 1;
    std::string waitPolicy;  // OMP_WAIT_POLICY for every configuration; empty: libgomp's default
    bool keepFreedMemory = true;  // the C++ configurations' malloc, as cassava sets it
};

struct Result {
    double trainImagesPerSecond = 0, inferImagesPerSecond = 0;
    double trainImagesPerCpuSecond = 0, inferImagesPerCpuSecond = 0;
    double peakMegabytes = 0;
    bool ok = false;
};

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double processCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

double peakRssMegabytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}

// The measurement itself, in a child process.
int runCpp(const Settings& s, bool channelsLast)
{
    if (s.keepFreedMemory)
        keepFreedMemoryForReuse();
    configureTorchThreads(s.threads);
    torch::manual_seed(0);
    EfficientNetOptions options;
    options.variant = "b0";
    options.numClasses = 5;
    options.channelsLast = channelsLast;
    EfficientNet net(options);
    auto images = torch::randn({s.batch, 3, s.size, s.size});
    if (channelsLast)
        images = images.contiguous(torch::MemoryFormat::ChannelsLast);
    const auto labels = torch::randint(0, 5, {s.batch}, torch::kLong);
    torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
    net->train();
    const auto step = [&] {
        adam.zero_grad();
        torch::nn::functional::cross_entropy(net->forward(images), labels).backward();
        adam.step();
    };
    // Noise from other processes only slows an iteration down: the fastest one is the machine's
    // speed. Process CPU time is also kept: on a shared machine it is the steadier measure.
    const auto bestRates = [&](const auto& run, int iterations) {
        double wall = 1e300, cpu = 1e300;
        for (int i = 0; i < iterations; ++i) {
            const auto start = std::chrono::steady_clock::now();
            const double cpuStart = processCpuSeconds();
            run();
            wall = std::min(wall, seconds(start));
            cpu = std::min(cpu, processCpuSeconds() - cpuStart);
        }
        return std::make_pair(s.batch / wall, s.batch / cpu);
    };
    for (int i = 0; i < s.warmup; ++i)
        step();
    const auto [train, trainCpu] = bestRates(step, s.iterations);
    const double peak = peakRssMegabytes();

    net->eval();
    torch::NoGradGuard noGrad;
    const auto infer1 = [&] { net->forward(images); };
    for (int i = 0; i < s.warmup; ++i)
        infer1();
    const auto [infer, inferCpu] = bestRates(infer1, 3 * s.iterations);  // inference is cheap
    std::printf("RESULT %f %f %f %f %f\n", train, infer, trainCpu, inferCpu, peak);
    return 0;
}

Result runProcess(const std::string& command)
{
    Result r;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return r;
    char line[512];
    while (std::fgets(line, sizeof line, pipe))
        if (std::sscanf(line, "RESULT %lf %lf %lf %lf %lf", &r.trainImagesPerSecond, &r.inferImagesPerSecond,
                        &r.trainImagesPerCpuSecond, &r.inferImagesPerCpuSecond, &r.peakMegabytes) == 5)
            r.ok = true;
    r.ok = ::pclose(pipe) == 0 && r.ok;
    return r;
}

std::string quoted(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string common(const Settings& s)
{
    return std::to_string(s.threads) + " " + std::to_string(s.batch) + " " + std::to_string(s.size) + " " +
           std::to_string(s.warmup) + " " + std::to_string(s.iterations);
}

}  // namespace

int main(int argc, char** argv)
{
    Settings s;
    bool child = false, childChannelsLast = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (arg == "--threads") s.threads = value();
        else if (arg == "--batch") s.batch = value();
        else if (arg == "--size") s.size = value();
        else if (arg == "--warmup") s.warmup = value();
        else if (arg == "--iterations") s.iterations = value();
        else if (arg == "--rounds") s.rounds = value();
        else if (arg == "--wait-policy" && i + 1 < argc) s.waitPolicy = argv[++i];
        else if (arg == "--malloc" && i + 1 < argc) s.keepFreedMemory = std::string(argv[++i]) != "glibc";
        else if (arg == "--child-cpp") { child = true; childChannelsLast = value() != 0; }
        else {
            std::fprintf(stderr, "usage: bench_model_step [--threads N] [--batch 16] [--size 224] [--warmup 1] "
                                 "[--iterations 2] [--rounds 1] [--wait-policy passive|active] [--malloc kept|glibc]\n");
            return 2;
        }
    }
    if (s.threads <= 0)
        s.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (child)
        return runCpp(s, childChannelsLast);

    // libgomp reads OMP_WAIT_POLICY when it is loaded, so it is set in each child's environment.
    const std::string env = s.waitPolicy.empty() ? std::string() : "OMP_WAIT_POLICY=" + s.waitPolicy + " ";
    const std::string self = env + "/proc/" + std::to_string(::getpid()) + "/exe";
    const auto cppCommand = [&](bool channelsLast) {
        return self + " --threads " + std::to_string(s.threads) + " --batch " + std::to_string(s.batch) + " --size " +
               std::to_string(s.size) + " --warmup " + std::to_string(s.warmup) + " --iterations " +
               std::to_string(s.iterations) + " --malloc " + (s.keepFreedMemory ? "kept" : "glibc") +
               " --child-cpp " + (channelsLast ? "1" : "0");
    };
    const std::vector<std::pair<std::string, std::string>> configurations = {
        {"LibTorch C++, ours (contiguous)", cppCommand(false)},
        {"torchvision, Python (contiguous)",
         env + "/usr/bin/python3 -c " + quoted(kTorchvisionStep) + " " + common(s) + " 0"},
        {"LibTorch C++, ours (channels_last)", cppCommand(true)},
        {"torchvision, Python (channels_last)",
         env + "/usr/bin/python3 -c " + quoted(kTorchvisionStep) + " " + common(s) + " 1"},
    };

    // Best of the rounds: noise from other processes only ever slows a run down.
    std::map<std::string, Result> best;
    for (int round = 0; round < s.rounds; ++round) {
        for (const auto& [name, command] : configurations) {
            std::fprintf(stderr, "round %d: %s ...\n", round + 1, name.c_str());
            const Result r = runProcess(command);
            if (!r.ok) {
                std::fprintf(stderr, "  failed: %s\n", command.substr(0, 120).c_str());
                continue;
            }
            Result& b = best[name];
            b.ok = true;
            b.trainImagesPerSecond = std::max(b.trainImagesPerSecond, r.trainImagesPerSecond);
            b.inferImagesPerSecond = std::max(b.inferImagesPerSecond, r.inferImagesPerSecond);
            b.trainImagesPerCpuSecond = std::max(b.trainImagesPerCpuSecond, r.trainImagesPerCpuSecond);
            b.inferImagesPerCpuSecond = std::max(b.inferImagesPerCpuSecond, r.inferImagesPerCpuSecond);
            b.peakMegabytes = b.peakMegabytes == 0 ? r.peakMegabytes : std::min(b.peakMegabytes, r.peakMegabytes);
        }
    }

    std::printf("EfficientNet-B0, %d px, batch %d, %d threads; fastest of %d timed training and %d inference "
                "iterations after %d warm-up, best of %d round(s)%s; C++ malloc: %s\n\n",
                s.size, s.batch, s.threads, s.iterations, 3 * s.iterations, s.warmup, s.rounds,
                s.waitPolicy.empty() ? "" : (", OMP_WAIT_POLICY=" + s.waitPolicy).c_str(),
                s.keepFreedMemory ? "keeps freed memory (as cassava)" : "glibc's defaults");
    const char* row = "%-38s %9s %9s %11s %11s %9s\n";
    std::printf(row, "", "train", "infer", "train", "infer", "train");
    std::printf(row, "configuration", "img/s", "img/s", "img/CPU-s", "img/CPU-s", "peak MB");
    const auto number = [](double v, const char* format) {
        char text[32];
        std::snprintf(text, sizeof text, format, v);
        return std::string(text);
    };
    for (const auto& [name, command] : configurations) {
        const auto it = best.find(name);
        if (it == best.end()) {
            std::printf(row, name.c_str(), "failed", "failed", "-", "-", "-");
            continue;
        }
        const Result& r = it->second;
        std::printf(row, name.c_str(), number(r.trainImagesPerSecond, "%.2f").c_str(),
                    number(r.inferImagesPerSecond, "%.2f").c_str(), number(r.trainImagesPerCpuSecond, "%.2f").c_str(),
                    number(r.inferImagesPerCpuSecond, "%.2f").c_str(), number(r.peakMegabytes, "%.0f").c_str());
    }
    const auto ratio = [&](const std::string& a, const std::string& b, double Result::*field) {
        if (!best.count(a) || !best.count(b) || best[b].*field == 0)
            return std::string("-");
        return number(best[a].*field / best[b].*field, "%.2fx");
    };
    const auto ratioRow = [&](const char* label, const std::string& a, const std::string& b) {
        std::printf(row, label, ratio(a, b, &Result::trainImagesPerSecond).c_str(),
                    ratio(a, b, &Result::inferImagesPerSecond).c_str(), ratio(a, b, &Result::trainImagesPerCpuSecond).c_str(),
                    ratio(a, b, &Result::inferImagesPerCpuSecond).c_str(), ratio(a, b, &Result::peakMegabytes).c_str());
    };
    const std::string cppN = configurations[0].first, pyN = configurations[1].first;
    const std::string cppC = configurations[2].first, pyC = configurations[3].first;
    std::printf("\nratios\n");
    ratioRow("C++ / Python, contiguous", cppN, pyN);
    ratioRow("C++ / Python, channels_last", cppC, pyC);
    ratioRow("C++ channels_last / contiguous", cppC, cppN);
    ratioRow("Python channels_last / contiguous", pyC, pyN);
    return best.size() == configurations.size() ? 0 : 1;
}
