#include "LabelNoise.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Dataset.h"
#include "Random.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cassava {
namespace {

std::string firstFatal(const Dataset& dataset)
{
    for (const auto& p : dataset.problems())
        if (p.severity == Problem::Severity::Fatal)
            return p.toString();
    return "no usable rows";
}

void requireEmptyOrAbsent(const fs::path& out)
{
    std::error_code ec;
    if (!fs::exists(out, ec))
        return;
    if (!fs::is_directory(out, ec))
        throw std::runtime_error(out.string() + ": exists and is not a folder; choose a new output folder");
    if (!fs::is_empty(out, ec) || ec)
        throw std::runtime_error(out.string() + ": exists and is not empty; choose a new output folder");
}

}  // namespace

FlipReport flipLabels(const std::string& datasetRoot, const std::string& outRoot, double fraction, uint64_t seed)
{
    if (!(fraction >= 0.0 && fraction < 1.0))
        throw std::runtime_error("flip fraction " + std::to_string(fraction) + " is outside [0,1)");
    const fs::path out(outRoot);
    requireEmptyOrAbsent(out);
    const Dataset source = Dataset::open(datasetRoot);
    if (!source.usable())
        throw std::runtime_error(datasetRoot + ": the dataset cannot be used: " + firstFatal(source));
    const int classes = source.numClasses();
    const auto& samples = source.samples();
    const int images = static_cast<int>(samples.size());
    const int flips = static_cast<int>(std::llround(fraction * images));
    if (flips > 0 && classes < 2)
        throw std::runtime_error(datasetRoot + ": labels cannot be flipped with only one class");

    // Which rows: the first `flips` of a seeded shuffle; the new label: given + 1..classes-1 (mod
    // classes), uniform among the other classes. Same scheme as Synth's noise.
    std::vector<size_t> order(samples.size());
    std::iota(order.begin(), order.end(), size_t{0});
    Random rng(seed);
    rng.shuffle(order);
    FlipReport report;
    report.images = images;
    report.flipped = flips;
    report.perClassFlipped.assign(static_cast<size_t>(std::max(classes, 0)), 0);
    std::vector<int> given = source.labelsOfSamples();
    for (int k = 0; k < flips; ++k) {
        const size_t i = order[static_cast<size_t>(k)];
        const int truth = samples[i].label;
        given[i] = (truth + static_cast<int>(rng.uniformInt(1, classes - 1))) % classes;
        ++report.perClassFlipped[static_cast<size_t>(truth)];
    }

    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec)
        throw std::runtime_error(outRoot + ": cannot create the folder: " + ec.message());
    const fs::path imagesFolder = fs::canonical(fs::path(source.root()) / "train_images", ec);
    if (ec)
        throw std::runtime_error(source.root() + "/train_images: " + ec.message());
    fs::create_directory_symlink(imagesFolder, out / "train_images", ec);
    if (ec)
        throw std::runtime_error((out / "train_images").string() + ": cannot link to " + imagesFolder.string() +
                                 ": " + ec.message());
    const fs::path labelMap = fs::path(source.root()) / "label_num_to_disease_map.json";
    if (fs::exists(labelMap, ec))
        writeFileAtomically((out / labelMap.filename()).string(), readFile(labelMap.string()));

    std::string truthCsv = "image_id,true_label,given_label\n";
    std::string trainCsv = "image_id,label\n";
    for (size_t i = 0; i < samples.size(); ++i) {
        const std::string id = csvField(samples[i].imageId);
        truthCsv += id + ',' + std::to_string(samples[i].label) + ',' + std::to_string(given[i]) + '\n';
        trainCsv += id + ',' + std::to_string(given[i]) + '\n';
    }
    writeFileAtomically((out / "noise_truth.csv").string(), truthCsv);
    const nlohmann::json flip = {{"source", fs::absolute(source.root()).lexically_normal().string()},
                                 {"fraction", fraction},
                                 {"seed", seed},
                                 {"images", images},
                                 {"flipped", flips},
                                 {"flipped_per_class", report.perClassFlipped}};
    writeFileAtomically((out / "flip.json").string(), flip.dump(2) + '\n');
    // Last, so a folder with train.csv is a complete one.
    writeFileAtomically((out / "train.csv").string(), trainCsv);
    return report;
}

}  // namespace cassava
