#include "Inspection.h"

#include "ImageIo.h"
#include "OpenCvThreads.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace cassava {
namespace {

struct ProbeOutcome {
    bool ok = false;
    ImageInfo info;
    int64_t bytes = 0;
    std::string error;
};

std::vector<std::pair<std::string, int>> mostCommon(const std::map<std::string, int>& counts, size_t keep)
{
    std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (sorted.size() > keep)
        sorted.resize(keep);
    return sorted;
}

std::string percent(int part, int whole)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%5.1f%%", whole ? 100.0 * part / whole : 0.0);
    return buffer;
}

}  // namespace

Inspection inspectDataset(const Dataset& dataset, const InspectOptions& options,
                          const InspectProgress& progress, const std::atomic<bool>* cancel)
{
    Inspection r;
    r.name = dataset.name();
    r.root = dataset.root();
    r.rows = static_cast<int>(dataset.samples().size());
    r.testImages = static_cast<int>(dataset.testImages().size());
    r.classNames = dataset.labels().names();
    r.classCounts = dataset.classCounts();
    r.problems = dataset.problems();
    r.usable = dataset.usable();

    // Which samples to probe: all, or an even spread over the list.
    const auto& samples = dataset.samples();
    std::vector<size_t> chosen;
    const size_t limit = options.probeLimit < 0 ? samples.size()
                                                : std::min(samples.size(), static_cast<size_t>(options.probeLimit));
    for (size_t k = 0; k < limit; ++k)
        chosen.push_back(limit == samples.size() ? k : k * samples.size() / limit);

    std::vector<ProbeOutcome> outcomes(chosen.size());
    std::atomic<size_t> nextItem{0};
    std::atomic<int> done{0};
    std::mutex progressMutex;
    auto worker = [&] {
        for (size_t k; (k = nextItem++) < chosen.size();) {
            if (cancel && cancel->load())
                return;
            const Sample& s = samples[chosen[k]];
            const std::string relative = "train_images/" + s.imageId;
            const ProbeResult probe = ImageIo::probe(dataset.imagePath(s), relative);
            ProbeOutcome& out = outcomes[k];
            out.ok = probe.ok() && !probe.info.truncated;
            out.info = probe.info;
            if (!probe.ok())
                out.error = probe.error;
            else if (probe.info.truncated)
                out.error = relative + ": truncated " + probe.info.format + " file";
            std::error_code ec;
            out.bytes = static_cast<int64_t>(std::filesystem::file_size(dataset.imagePath(s), ec));
            const int finished = ++done;
            if (progress && (finished % 64 == 0 || finished == static_cast<int>(chosen.size()))) {
                std::lock_guard<std::mutex> lock(progressMutex);
                progress(finished, static_cast<int>(chosen.size()));
            }
        }
    };
    const unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                                 : std::max(1u, std::thread::hardware_concurrency());
    disableOpenCvThreadPool();
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();

    std::map<std::string, int> sizes, formats;
    ImageSizeStats& st = r.sizes;
    double sumW = 0, sumH = 0;
    for (size_t k = 0; k < outcomes.size(); ++k) {
        const ProbeOutcome& o = outcomes[k];
        if (o.info.format.empty() && o.error.empty())
            continue;  // not reached (cancelled)
        st.totalBytes += o.bytes;
        if (!o.ok) {
            ++st.unreadable;
            r.problems.push_back({Problem::Severity::Error, "train.csv", samples[chosen[k]].line, o.error});
            continue;
        }
        const int w = o.info.displayWidth(), h = o.info.displayHeight();
        if (st.probed == 0) {
            st.minWidth = st.maxWidth = w;
            st.minHeight = st.maxHeight = h;
        }
        ++st.probed;
        st.minWidth = std::min(st.minWidth, w);
        st.maxWidth = std::max(st.maxWidth, w);
        st.minHeight = std::min(st.minHeight, h);
        st.maxHeight = std::max(st.maxHeight, h);
        sumW += w;
        sumH += h;
        ++sizes[std::to_string(w) + "x" + std::to_string(h)];
        ++formats[o.info.format];
    }
    if (st.probed) {
        st.meanWidth = sumW / st.probed;
        st.meanHeight = sumH / st.probed;
    }
    st.commonSizes = mostCommon(sizes, 5);
    st.formats = mostCommon(formats, 8);
    return r;
}

std::string Inspection::toText() const
{
    std::ostringstream out;
    out << "Dataset " << name << " (" << root << ")\n";
    out << "  " << rows << " labelled images";
    if (testImages)
        out << ", " << testImages << " test images";
    out << "\n\nClasses\n";
    int maxCount = 1;
    for (int c : classCounts)
        maxCount = std::max(maxCount, c);
    for (size_t c = 0; c < classNames.size(); ++c) {
        const int n = classCounts[c];
        char line[160];
        std::snprintf(line, sizeof line, "  %zu  %-38s %6d %s  ", c, classNames[c].c_str(), n,
                      percent(n, rows).c_str());
        out << line << std::string(static_cast<size_t>(30.0 * n / maxCount + 0.5), '#') << "\n";
    }
    out << "\nImages";
    if (sizes.probed + sizes.unreadable == 0) {
        out << "\n  (headers not read)\n";
    } else {
        char line[200];
        std::snprintf(line, sizeof line,
                      " (%d headers read, %d unreadable, %.1f MB)\n  size min %dx%d, max %dx%d, mean %.0fx%.0f\n",
                      sizes.probed, sizes.unreadable, sizes.totalBytes / 1e6, sizes.minWidth,
                      sizes.minHeight, sizes.maxWidth, sizes.maxHeight, sizes.meanWidth, sizes.meanHeight);
        out << line << "  most common:";
        for (const auto& [size, n] : sizes.commonSizes)
            out << " " << size << " (" << n << ")";
        out << "\n  formats:";
        for (const auto& [format, n] : sizes.formats)
            out << " " << format << " (" << n << ")";
        out << "\n";
    }
    const int fatal = countSeverity(problems, Problem::Severity::Fatal);
    const int errors = countSeverity(problems, Problem::Severity::Error);
    const int warnings = countSeverity(problems, Problem::Severity::Warning);
    out << "\nProblems: ";
    if (problems.empty())
        out << "none\n";
    else
        out << fatal << " fatal, " << errors << " errors, " << warnings << " warnings\n";
    for (const auto& p : problems)
        out << "  " << p.toString() << "\n";
    out << "\n" << (usable ? "The dataset is usable." : "The dataset is NOT usable.") << "\n";
    return out.str();
}

std::string Inspection::toJson() const
{
    nlohmann::json j;
    j["name"] = name;
    j["root"] = root;
    j["usable"] = usable;
    j["images"] = rows;
    j["test_images"] = testImages;
    auto& classes = j["classes"] = nlohmann::json::array();
    for (size_t c = 0; c < classNames.size(); ++c)
        classes.push_back({{"label", c}, {"name", classNames[c]}, {"count", classCounts[c]}});
    j["image_sizes"] = {{"probed", sizes.probed},        {"unreadable", sizes.unreadable},
                        {"min_width", sizes.minWidth},   {"min_height", sizes.minHeight},
                        {"max_width", sizes.maxWidth},   {"max_height", sizes.maxHeight},
                        {"mean_width", sizes.meanWidth}, {"mean_height", sizes.meanHeight},
                        {"total_bytes", sizes.totalBytes}};
    auto& common = j["image_sizes"]["most_common"] = nlohmann::json::array();
    for (const auto& [size, n] : sizes.commonSizes)
        common.push_back({{"size", size}, {"count", n}});
    auto& formatList = j["image_sizes"]["formats"] = nlohmann::json::object();
    for (const auto& [format, n] : sizes.formats)
        formatList[format] = n;
    auto& list = j["problems"] = nlohmann::json::array();
    for (const auto& p : problems)
        list.push_back({{"severity", severityName(p.severity)},
                        {"file", p.file},
                        {"line", p.line},
                        {"message", p.message}});
    return j.dump(2);
}

}  // namespace cassava
