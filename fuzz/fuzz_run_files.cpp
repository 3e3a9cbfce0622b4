// The run folder's CSVs a user may hand around or edit: oof.csv (readProbabilityCsv),
// noise_truth.csv, folds.csv, and suspects.csv / decisions.csv as TrainingSet reads them. The first
// input byte picks the reader; the rest is the file.
#include "FuzzSupport.h"

#include "Dataset.h"
#include "Denoise.h"
#include "Split.h"
#include "TrainingSet.h"

#include <filesystem>

namespace {

const cassava::Dataset& dataset()
{
    static const cassava::Dataset d = [] {
        namespace fs = std::filesystem;
        const std::string root = fuzzsupport::scratch() + "/runfiles-data";
        fs::create_directories(root + "/train_images");
        std::string csv = "image_id,label\n";
        for (int i = 0; i < 10; ++i) {
            const std::string id = std::to_string(i) + ".jpg";
            fuzzsupport::writeFile(root + "/train_images/" + id, "x");
            csv += id + "," + std::to_string(i % 5) + "\n";
        }
        fuzzsupport::writeFile(root + "/train.csv", csv);
        return cassava::Dataset::open(root);
    }();
    return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const std::string path = fuzzsupport::scratch() + "/run-file.csv";
    fuzzsupport::writeFile(path, fuzzsupport::view(data + 1, size - 1));
    try {
        cassava::ProblemList problems;
        switch (data[0] % 5) {
        case 0: {
            const cassava::ProbabilityTable t = cassava::readProbabilityCsv(path, problems);
            if (t.probabilities.size() != t.rows() * static_cast<size_t>(t.classes))
                __builtin_trap();
            (void)cassava::findSuspects(t, {cassava::DenoiseMethod::Recipe, 0.8});
            (void)cassava::findSuspects(t, {cassava::DenoiseMethod::Confident, 0.8});
            break;
        }
        case 1: (void)cassava::readNoiseTruth(path, problems); break;
        case 2: (void)cassava::readFoldsCsv(path); break;
        case 3: (void)cassava::buildTrainingSet(dataset(), {path, {}, 0, 2, 0.2, 1}); break;
        case 4: (void)cassava::buildTrainingSet(dataset(), {{}, path, 0, 2, 0.2, 1}); break;
        }
    } catch (const std::exception&) {
        // refused with a message naming the file: fine
    }
    return 0;
}
