// Opening the competition's full train.csv (21,397 rows): parse, validate and index.
// Side by side in one run: Dataset::open, the obvious C++ (ifstream + getline + stringstream +
// std::map), and Python's csv module into a dict (what a notebook does), timed by Python itself.
//
//   build/bench/bench_dataset_open [path/to/kaggle_train_full.csv] [repetitions]
#include "Dataset.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double medianMs(int repetitions, F&& f)
{
    std::vector<double> times;
    for (int i = 0; i < repetitions; ++i) {
        const auto start = Clock::now();
        f();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

size_t naiveOpen(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header
    std::map<std::string, int> labels;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string id, label;
        std::getline(ss, id, ',');
        std::getline(ss, label, ',');
        labels[id] = std::stoi(label);
    }
    return labels.size();
}

double pythonMs(const std::string& path, int repetitions)
{
    const std::string script =
        "import csv, time, statistics, sys\n"
        "ts = []\n"
        "for _ in range(" + std::to_string(repetitions) + "):\n"
        "    t = time.perf_counter()\n"
        "    with open(sys.argv[1], newline='') as f:\n"
        "        labels = {r['image_id']: int(r['label']) for r in csv.DictReader(f)}\n"
        "    ts.append((time.perf_counter() - t) * 1000)\n"
        "print(statistics.median(ts))\n";
    const std::string scriptPath = std::filesystem::temp_directory_path() / "bench_dataset_open.py";
    std::ofstream(scriptPath) << script;
    FILE* p = ::popen(("/usr/bin/python3 " + scriptPath + " '" + path + "' 2>/dev/null").c_str(), "r");
    if (!p)
        return -1;
    char buffer[64] = {0};
    const bool got = std::fgets(buffer, sizeof buffer, p) != nullptr;
    ::pclose(p);
    std::filesystem::remove(scriptPath);
    return got ? std::atof(buffer) : -1;
}

}  // namespace

int main(int argc, char** argv)
{
    const std::string csv = argc > 1 ? argv[1] : CASSAVA_SHARED_DATA "/kaggle_train_full.csv";
    const int repetitions = argc > 2 ? std::atoi(argv[2]) : 21;
    if (!std::filesystem::exists(csv)) {
        std::fprintf(stderr, "bench_dataset_open: %s not found (see ../shared/data/README.md)\n", csv.c_str());
        return 1;
    }
    cassava::Dataset::OpenOptions options;
    options.checkImageFiles = false;
    options.trainCsv = std::filesystem::absolute(csv).string();
    size_t rows = 0;
    const double ours = medianMs(repetitions, [&] {
        rows = cassava::Dataset::open(std::filesystem::temp_directory_path().string(), options).samples().size();
    });
    size_t naiveRows = 0;
    const double naive = medianMs(repetitions, [&] { naiveRows = naiveOpen(csv); });
    const double python = pythonMs(csv, repetitions);

    std::printf("Opening %s (%zu rows), median of %d runs\n\n", csv.c_str(), rows, repetitions);
    std::printf("%-52s %10s %8s\n", "method", "ms", "ratio");
    std::printf("%-52s %10.2f %8s\n", "Dataset::open (parse + validate + index)", ours, "1.00x");
    std::printf("%-52s %10.2f %7.2fx\n", "naive C++ (getline + stringstream + std::map)", naive, naive / ours);
    if (python > 0)
        std::printf("%-52s %10.2f %7.2fx\n", "Python csv.DictReader into a dict", python, python / ours);
    else
        std::printf("%-52s %10s\n", "Python csv.DictReader into a dict", "n/a (/usr/bin/python3 absent)");
    std::printf("\nratio = baseline time / Dataset::open time (higher is better for us)\n");
    return rows == naiveRows ? 0 : 1;
}
