#include "Synth.h"

#include "AtomicFile.h"
#include "FieldScene.h"
#include "LabelMap.h"
#include "LabelNoise.h"
#include "OpenCvThreads.h"
#include "Random.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

namespace fs = std::filesystem;

namespace cassava {
namespace {

constexpr int kClasses = 5;
const char* const kMarker = "synth.json";
const char* const kTrainPrefix = "synth_";
const char* const kTestPrefix = "synth_test_";

// Streams of the plan, far from the picture indices 0..count-1 that Random::forItem also serves.
constexpr uint64_t kLabelStream = 0x8000'0000'0000'0001ull;
constexpr uint64_t kNoiseStream = 0x8000'0000'0000'0002ull;
constexpr uint64_t kTestLabelStream = 0x8000'0000'0000'0003ull;
constexpr uint64_t kTestPictureSalt = 0x7E57'7E57'7E57'7E57ull;

// The competition's class mix (Kaggle train.csv: 1087 / 2189 / 2386 / 13158 / 2577).
constexpr double kCompetitionMix[kClasses] = {0.051, 0.102, 0.112, 0.615, 0.120};

// "synth_000123.jpg": six digits cover the largest allowed count, and sort like the index.
std::string imageId(const char* prefix, int index)
{
    char number[16];
    std::snprintf(number, sizeof number, "%06d", index);
    return prefix + std::string(number) + ".jpg";
}

// Labels for `count` pictures in the requested mix, shuffled.
std::vector<int> drawLabels(int count, SynthMix mix, Random& rng)
{
    std::vector<int> perClass(kClasses, count / kClasses);
    if (mix == SynthMix::Equal) {
        for (int c = 0; c < count % kClasses; ++c)
            ++perClass[static_cast<size_t>(c)];
    } else {
        // Largest remainder, so the counts add up exactly.
        int assigned = 0;
        std::vector<std::pair<double, int>> remainders;
        for (int c = 0; c < kClasses; ++c) {
            const double exact = kCompetitionMix[c] * count;
            perClass[static_cast<size_t>(c)] = static_cast<int>(std::floor(exact));
            assigned += perClass[static_cast<size_t>(c)];
            remainders.emplace_back(exact - std::floor(exact), c);
        }
        std::stable_sort(remainders.begin(), remainders.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (int i = 0; assigned < count; ++i, ++assigned)
            ++perClass[static_cast<size_t>(remainders[static_cast<size_t>(i % kClasses)].second)];
    }
    std::vector<int> labels;
    labels.reserve(static_cast<size_t>(count));
    for (int c = 0; c < kClasses; ++c)
        labels.insert(labels.end(), static_cast<size_t>(perClass[static_cast<size_t>(c)]), c);
    rng.shuffle(labels);
    return labels;
}

std::string csvOf(const std::vector<std::string>& ids, const std::vector<int>& labels)
{
    std::string out = "image_id,label\n";
    for (size_t i = 0; i < ids.size(); ++i)
        out += ids[i] + ',' + std::to_string(labels[i]) + '\n';
    return out;
}

std::string markerJson(const SynthOptions& o, bool complete)
{
    nlohmann::ordered_json j;
    j["generator"] = "cassava synth";
    j["format"] = 1;
    j["complete"] = complete;
    j["seed"] = o.seed;
    j["count"] = o.count;
    j["test_count"] = o.testCount;
    j["width"] = o.width;
    j["height"] = o.height;
    j["noise_rate"] = o.noiseRate;
    j["mix"] = o.mix == SynthMix::Equal ? "equal" : "competition";
    j["jpeg_quality"] = o.jpegQuality;
    return j.dump(2) + "\n";
}

std::string formatNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

std::string reasonOf(const std::error_code& ec) { return ec.message(); }

// Makes `root` ready: created if absent; refused if it holds anything but an earlier synth output.
void prepareFolder(const SynthOptions& o)
{
    const fs::path root(o.outDir);
    std::error_code ec;
    if (fs::exists(root, ec)) {
        if (!fs::is_directory(root, ec))
            throw std::runtime_error(o.outDir + ": exists and is not a folder");
        const bool empty = fs::is_empty(root, ec);
        if (ec)
            throw std::runtime_error(o.outDir + ": cannot read the folder: " + reasonOf(ec));
        if (!empty && !fs::exists(root / kMarker, ec))
            throw std::runtime_error(o.outDir + ": the folder is not empty and was not written by "
                                                "'cassava synth'; choose an empty or new folder "
                                                "(nothing was written)");
    }
    for (const fs::path& folder : {root, root / "train_images"}) {
        fs::create_directories(folder, ec);
        if (ec)
            throw std::runtime_error(folder.string() + ": cannot create the folder: " + reasonOf(ec));
    }
    if (o.testCount > 0) {
        fs::create_directories(root / "test_images", ec);
        if (ec)
            throw std::runtime_error((root / "test_images").string() + ": cannot create the folder: " + reasonOf(ec));
    }
}

// Removes what an earlier synth run wrote here and this one does not: pictures named like ours
// that are not in the new plan, and the noise / test files when this run has none.
void removeLeftovers(const SynthOptions& o, const SynthPlan& plan)
{
    const fs::path root(o.outDir);
    auto sweep = [](const fs::path& folder, const char* prefix, const std::vector<std::string>& keep,
                    const char* otherPrefix) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            return;
        const std::unordered_set<std::string> wanted(keep.begin(), keep.end());
        const std::string p = prefix;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.size() <= p.size() + 4 || name.compare(0, p.size(), p) != 0 ||
                name.compare(name.size() - 4, 4, ".jpg") != 0)
                continue;
            if (otherPrefix && name.compare(0, std::string(otherPrefix).size(), otherPrefix) == 0)
                continue;
            const std::string digits = name.substr(p.size(), name.size() - p.size() - 4);
            if (digits.find_first_not_of("0123456789") != std::string::npos || wanted.count(name))
                continue;
            std::error_code removeError;
            if (entry.is_regular_file(removeError))
                fs::remove(entry.path(), removeError);
        }
    };
    sweep(root / "train_images", kTrainPrefix, plan.trainIds, kTestPrefix);
    sweep(root / "test_images", kTestPrefix, plan.testIds, nullptr);
    std::error_code ec;
    if (o.noiseRate <= 0)
        fs::remove(root / "noise_truth.csv", ec);
    if (o.testCount == 0)
        fs::remove(root / "sample_submission.csv", ec);
}

std::string encodeJpeg(const cv::Mat& rgb, int quality, const std::string& id)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> bytes;
    if (!cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
        throw std::runtime_error(id + ": JPEG encoding failed");
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

void validateSynthOptions(const SynthOptions& o)
{
    auto bad = [](const std::string& message) { throw std::invalid_argument(message); };
    if (o.outDir.empty())
        bad("no output folder given");
    if (o.count < 1 || o.count > 1'000'000)
        bad("count " + std::to_string(o.count) + " is outside 1..1000000");
    if (o.testCount < 0 || o.testCount > 1'000'000)
        bad("test count " + std::to_string(o.testCount) + " is outside 0..1000000");
    // Each worker holds a float canvas of 12 bytes a pixel; 4096x4096 is 200 MB.
    if (o.width < 8 || o.height < 8 || o.width > 4096 || o.height > 4096)
        bad("size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
            " is outside 8x8..4096x4096");
    if (!(o.noiseRate >= 0.0 && o.noiseRate <= 1.0))
        bad("noise rate " + formatNumber(o.noiseRate) + " is outside 0..1");
    if (o.jpegQuality < 1 || o.jpegQuality > 100)
        bad("JPEG quality " + std::to_string(o.jpegQuality) + " is outside 1..100");
    if (o.threads < 0 || o.threads > 1024)
        bad("thread count " + std::to_string(o.threads) + " is outside 0..1024");
}

SynthPlan planSynth(const SynthOptions& o)
{
    validateSynthOptions(o);
    SynthPlan plan;
    for (int i = 0; i < o.count; ++i)
        plan.trainIds.push_back(imageId(kTrainPrefix, i));
    Random labelRng = Random::forItem(o.seed, kLabelStream);
    plan.trueLabels = drawLabels(o.count, o.mix, labelRng);

    // Flip exactly round(rate * count) labels, each to one of the four other classes.
    const int flips = static_cast<int>(std::llround(o.noiseRate * o.count));
    Random noiseRng = Random::forItem(o.seed, kNoiseStream);
    plan.givenLabels = drawFlippedLabels(plan.trueLabels, kClasses, o.noiseRate, noiseRng);
    plan.flipped = flips;

    for (int i = 0; i < o.testCount; ++i)
        plan.testIds.push_back(imageId(kTestPrefix, i));
    Random testRng = Random::forItem(o.seed, kTestLabelStream);
    plan.testLabels = drawLabels(o.testCount, o.mix, testRng);
    return plan;
}

cv::Mat drawLeaf(int label, int width, int height, uint64_t seed, uint64_t index)
{
    return renderFieldScene(label, cv::Size(width, height), seed, index).rgb;
}

SynthReport synthesize(const SynthOptions& options, const SynthProgress& progress,
                       const std::atomic<bool>* cancel)
{
    const SynthPlan plan = planSynth(options);
    prepareFolder(options);
    const fs::path root(options.outDir);
    writeFileAtomically((root / kMarker).string(), markerJson(options, false));
    writeFileAtomically((root / "label_num_to_disease_map.json").string(), LabelMap::standard().toJson());

    const int total = options.count + options.testCount;
    // By default two workers per core: each picture ends with an fsync (writeFileAtomically), and
    // while one worker waits for the disk the other keeps the core busy drawing.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = std::max(1, std::min(total, options.threads > 0 ? options.threads : 2 * cores));
    std::atomic<int> nextJob{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::condition_variable changed;
    int done = 0, trainDone = 0, running = threads;
    std::exception_ptr failure;

    auto work = [&] {
        try {
            for (int job = nextJob++; job < total && !stop; job = nextJob++) {
                const bool train = job < options.count;
                const int i = train ? job : job - options.count;
                const std::string& id = train ? plan.trainIds[static_cast<size_t>(i)] : plan.testIds[static_cast<size_t>(i)];
                const cv::Mat rgb = train ? drawLeaf(plan.trueLabels[static_cast<size_t>(i)], options.width,
                                                     options.height, options.seed, static_cast<uint64_t>(i))
                                          : drawLeaf(plan.testLabels[static_cast<size_t>(i)], options.width,
                                                     options.height, options.seed ^ kTestPictureSalt,
                                                     static_cast<uint64_t>(i));
                const fs::path path = root / (train ? "train_images" : "test_images") / id;
                writeFileAtomically(path.string(), encodeJpeg(rgb, options.jpegQuality, id));
                std::lock_guard<std::mutex> lock(mutex);
                ++done;
                trainDone += train ? 1 : 0;
                changed.notify_all();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
        std::lock_guard<std::mutex> lock(mutex);
        --running;
        changed.notify_all();
    };
    disableOpenCvThreadPool();
    std::vector<std::thread> pool;
    try {
        for (int t = 0; t < threads; ++t)
            pool.emplace_back(work);
    } catch (...) {  // out of threads: stop the ones started, then report
        stop = true;
        for (auto& t : pool)
            t.join();
        throw;
    }

    // The calling thread reports progress and watches the cancel flag.
    int reported = -1;
    {
        std::unique_lock<std::mutex> lock(mutex);
        while (running > 0) {
            changed.wait_for(lock, std::chrono::milliseconds(50));
            if (cancel && cancel->load())
                stop = true;
            if (done != reported && progress && !failure) {
                reported = done;
                const int now = done;
                lock.unlock();
                try {
                    progress(now, total);
                } catch (...) {  // the workers must be joined before the exception leaves
                    lock.lock();
                    failure = std::current_exception();
                    stop = true;
                    continue;
                }
                lock.lock();
            }
        }
    }
    for (auto& t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
    if (progress && done != reported)
        progress(done, total);

    SynthReport report;
    report.workers = threads;
    report.classCounts.assign(kClasses, 0);
    for (int label : plan.trueLabels)
        ++report.classCounts[static_cast<size_t>(label)];
    report.written = trainDone;
    report.testWritten = done - trainDone;
    if (done < total) {  // cancelled: train.csv is not written, synth.json says incomplete
        report.cancelled = true;
        return report;
    }
    report.flipped = plan.flipped;

    removeLeftovers(options, plan);
    if (options.noiseRate > 0) {
        writeFileAtomically((root / "noise_truth.csv").string(),
                            noiseTruthCsv(plan.trainIds, plan.trueLabels, plan.givenLabels));
    }
    if (options.testCount > 0)
        writeFileAtomically((root / "sample_submission.csv").string(),
                            csvOf(plan.testIds, std::vector<int>(plan.testIds.size(), 0)));
    writeFileAtomically((root / "train.csv").string(), csvOf(plan.trainIds, plan.givenLabels));
    writeFileAtomically((root / kMarker).string(), markerJson(options, true));
    return report;
}

}  // namespace cassava
