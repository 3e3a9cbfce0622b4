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

std::vector<int> drawFlippedLabels(const std::vector<int>& trueLabels, int classes, double fraction, Random& rng)
{
    const int flips = static_cast<int>(std::llround(fraction * static_cast<double>(trueLabels.size())));
    std::vector<int> order(trueLabels.size());
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order);
    std::vector<int> given = trueLabels;
    for (int k = 0; k < flips; ++k) {
        const auto i = static_cast<size_t>(order[static_cast<size_t>(k)]);
        given[i] = (trueLabels[i] + static_cast<int>(rng.uniformInt(1, classes - 1))) % classes;
    }
    return given;
}

std::string noiseTruthCsv(const std::vector<std::string>& imageIds, const std::vector<int>& trueLabels,
                          const std::vector<int>& givenLabels)
{
    std::string out = "image_id,true_label,given_label\n";
    for (size_t i = 0; i < imageIds.size(); ++i)
        out += csvField(imageIds[i]) + ',' + std::to_string(trueLabels[i]) + ',' + std::to_string(givenLabels[i]) + '\n';
    return out;
}

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

    Random rng(seed);
    const std::vector<int> truth = source.labelsOfSamples();
    const std::vector<int> given = drawFlippedLabels(truth, classes, fraction, rng);
    FlipReport report;
    report.images = images;
    report.flipped = flips;
    report.perClassFlipped.assign(static_cast<size_t>(std::max(classes, 0)), 0);
    for (size_t i = 0; i < truth.size(); ++i)
        if (given[i] != truth[i])
            ++report.perClassFlipped[static_cast<size_t>(truth[i])];

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

    std::vector<std::string> ids;
    std::string trainCsv = "image_id,label\n";
    for (size_t i = 0; i < samples.size(); ++i) {
        ids.push_back(samples[i].imageId);
        trainCsv += csvField(samples[i].imageId) + ',' + std::to_string(given[i]) + '\n';
    }
    writeFileAtomically((out / "noise_truth.csv").string(), noiseTruthCsv(ids, truth, given));
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
