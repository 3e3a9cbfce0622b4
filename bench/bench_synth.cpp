// Speed of the built-in demo generator (core/Synth.h): pictures per second written by
// cassava::synthesize on one thread (the baseline) and on all cores, plus where one picture's time
// goes. Usage: bench_synth [COUNT] [WIDTHxHEIGHT]   (defaults: 100 pictures, 800x600)
#include "AtomicFile.h"
#include "Synth.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this thread: what a picture costs, whatever else the machine is doing.
double threadCpuSeconds()
{
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

double runSynth(const std::string& dir, int count, int width, int height, int threads)
{
    cassava::SynthOptions o;
    o.outDir = dir;
    o.count = count;
    o.width = width;
    o.height = height;
    o.threads = threads;
    const auto start = Clock::now();
    cassava::synthesize(o);
    return secondsSince(start);
}

}  // namespace

int main(int argc, char** argv)
{
    const int count = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    int width = 800, height = 600;
    if (argc > 2 && std::sscanf(argv[2], "%dx%d", &width, &height) != 2) {
        std::fprintf(stderr, "usage: bench_synth [COUNT] [WIDTHxHEIGHT]\n");
        return 2;
    }
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    char pattern[] = "/tmp/bench_synth-XXXXXX";
    if (!::mkdtemp(pattern)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string root = pattern;

    // Where one picture's time goes, on this thread (averaged over a few pictures).
    const int probes = std::min(count, 20);
    double draw = 0, encode = 0, write = 0, drawCpu = 0, encodeCpu = 0, writeCpu = 0;
    for (int i = 0; i < probes; ++i) {
        auto t = Clock::now();
        double c = threadCpuSeconds();
        const cv::Mat rgb = cassava::drawLeaf(i % 5, width, height, 1, static_cast<uint64_t>(i));
        draw += secondsSince(t);
        drawCpu += threadCpuSeconds() - c;
        t = Clock::now();
        c = threadCpuSeconds();
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<uchar> bytes;
        cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, 90});
        encode += secondsSince(t);
        encodeCpu += threadCpuSeconds() - c;
        t = Clock::now();
        c = threadCpuSeconds();
        cassava::writeFileAtomically(root + "/probe.jpg", std::string(bytes.begin(), bytes.end()));
        write += secondsSince(t);
        writeCpu += threadCpuSeconds() - c;
    }

    const double single = runSynth(root + "/one", count, width, height, 1);
    const double perCore = runSynth(root + "/cores", count, width, height, cores);
    const double all = runSynth(root + "/all", count, width, height, 0);
    fs::remove_all(root);

    std::printf("cassava synth: %d pictures at %dx%d, JPEG quality 90, %d cores\n\n", count, width, height, cores);
    std::printf("%-30s %10s %12s %8s\n", "workers", "seconds", "pictures/s", "ratio");
    std::printf("%-30s %10.2f %12.1f %8.2f\n", "1 (baseline)", single, count / single, 1.0);
    std::printf("%-30s %10.2f %12.1f %8.2f\n", (std::to_string(cores) + " (one per core)").c_str(), perCore,
                count / perCore, single / perCore);
    std::printf("%-30s %10.2f %12.1f %8.2f\n", (std::to_string(2 * cores) + " (default: all cores)").c_str(), all,
                count / all, single / all);
    std::printf("\none picture on one thread, mean of %d (ms wall / ms CPU):\n", probes);
    std::printf("  draw %.1f / %.1f, encode %.1f / %.1f, write with fsync %.1f / %.1f\n", 1000 * draw / probes,
                1000 * drawCpu / probes, 1000 * encode / probes, 1000 * encodeCpu / probes, 1000 * write / probes,
                1000 * writeCpu / probes);
    return 0;
}
