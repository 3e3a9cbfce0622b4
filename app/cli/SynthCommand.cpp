// cassava synth: the built-in demo dataset (core/Synth.h) from the command line.
#include "Args.h"
#include "Cli.h"
#include "LabelMap.h"
#include "Synth.h"
#include "Terminal.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace cassava::cli {
namespace {

std::atomic<bool> interrupted{false};

void onInterrupt(int) { interrupted.store(true); }

int badOption(const std::string& message)
{
    std::fprintf(stderr, "cassava synth: %s (see 'cassava synth --help')\n", message.c_str());
    return Usage;
}

}  // namespace

int synthCommand(int argc, char** argv)
{
    Args a("synth",
           "Writes a Kaggle-layout dataset of procedurally drawn cassava leaves (the built-in demo):\n"
           "train.csv, label_num_to_disease_map.json, train_images/, and with --noise a\n"
           "noise_truth.csv (image_id,true_label,given_label for every image); with --test-count\n"
           "test_images/ and sample_submission.csv. Classes are equally frequent unless --mix real.\n"
           "The same options and seed give the same files, whatever the number of threads.");
    a.option("out", "DIR", "output folder: new, empty, or an earlier synth output")
        .option("count", "N", "training images", "1000")
        .option("size", "WxH", "picture size", "800x600")
        .option("noise", "RATE", "fraction of labels flipped to another class", "0")
        .option("seed", "S", "random seed", "1")
        .option("test-count", "N", "test images (test_images/, sample_submission.csv)", "0")
        .option("quality", "Q", "JPEG quality 1..100", "90")
        .option("threads", "T", "worker threads; 0 = all cores (two per core)", "0")
        .option("mix", "equal|real", "class mix: equal counts, or the competition's 5/10/11/62/12 %",
                "equal");
    if (!a.parse(argc, argv))
        return usageError(a);
    if (a.helpRequested())
        return printUsage(a);

    SynthOptions o;
    o.outDir = a.get("out");
    if (o.outDir.empty())
        return badOption("--out DIR is required");
    o.count = a.getInt("count", o.count);
    o.noiseRate = a.getDouble("noise", o.noiseRate);
    const int64_t seed = a.getInt64("seed", 1);
    o.testCount = a.getInt("test-count", o.testCount);
    o.jpegQuality = a.getInt("quality", o.jpegQuality);
    o.threads = a.getInt("threads", o.threads);
    a.getSize("size", o.width, o.height);
    if (!a.error().empty())
        return badOption(a.error());
    if (seed < 0)
        return badOption("--seed: must be 0 or more");
    o.seed = static_cast<uint64_t>(seed);
    const std::string mix = a.get("mix");
    if (mix == "real" || mix == "competition")
        o.mix = SynthMix::Competition;
    else if (mix != "equal")
        return badOption("--mix: '" + mix + "' is not 'equal' or 'real'");
    try {
        validateSynthOptions(o);
    } catch (const std::invalid_argument& e) {
        return badOption(e.what());
    }

    ProgressLine bar("drawing leaves");
    auto progress = [&](int done, int total) { bar.update(done, total); };
    interrupted.store(false);
    const auto previous = std::signal(SIGINT, onInterrupt);
    const auto start = std::chrono::steady_clock::now();
    SynthReport report;
    try {
        report = synthesize(o, progress, &interrupted);
    } catch (const std::exception& e) {
        std::signal(SIGINT, previous);
        bar.finish();
        std::fprintf(stderr, "cassava synth: %s\n", e.what());
        return Failed;
    }
    std::signal(SIGINT, previous);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.finish();
    const int pictures = report.written + report.testWritten;
    if (report.cancelled) {
        std::fprintf(stderr, "cassava synth: interrupted after %d pictures; %s is incomplete "
                             "(run the same command again to finish it)\n",
                     pictures, o.outDir.c_str());
        return Cancelled;
    }

    const LabelMap labels = LabelMap::standard();
    std::printf("Wrote %d training pictures (%dx%d, JPEG quality %d) to %s\n", report.written, o.width,
                o.height, o.jpegQuality, o.outDir.c_str());
    std::printf("  classes (%s mix):", o.mix == SynthMix::Equal ? "equal" : "competition");
    for (size_t c = 0; c < report.classCounts.size(); ++c)
        std::printf("%s %s %d", c ? "," : "", labels.shortName(static_cast<int>(c)).c_str(), report.classCounts[c]);
    std::printf("\n");
    if (o.noiseRate > 0)
        std::printf("  flipped labels: %d (%.1f%%), ground truth in noise_truth.csv\n", report.flipped,
                    100.0 * report.flipped / report.written);
    else
        std::printf("  flipped labels: 0\n");
    if (report.testWritten > 0)
        std::printf("  test pictures: %d (test_images/, sample_submission.csv)\n", report.testWritten);
    std::printf("  %.1f s, %.1f pictures/s with %d worker thread%s, seed %llu\n", seconds,
                seconds > 0 ? pictures / seconds : 0.0, report.workers, report.workers == 1 ? "" : "s",
                static_cast<unsigned long long>(o.seed));
    return Ok;
}

}  // namespace cassava::cli
