// `cassava predict` (a Kaggle submission for a folder of photos) and `cassava diagnose` (the
// disease in each photo, with a Grad-CAM heatmap, a plant's consensus and abstaining): both thin
// clients of Predictor.
#include "Cli.h"
#include "Terminal.h"

#include "AtomicFile.h"
#include "Diagnosis.h"
#include "ImageIo.h"
#include "LabelMap.h"
#include "LeafCheck.h"
#include "Predictor.h"
#include "PredictorArgs.h"
#include "Submission.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace cassava::cli {
namespace {

void addModelOptions(Args& args)
{
    args.option("run", "RUN", "a training run: the ensemble of its folds' best models")
        .option("model", "CKPT", "one checkpoint instead of a run")
        .option("folds", "LIST", "with --run: only these folds, e.g. 0,2")
        .option("tta", "N", "test-time augmentation runs per crop (flips, then zoom and contrast)", "1")
        .option("crops", "K", "local crops per photo (4: the recipe's four corners of 512 px in 800x600)", "1")
        .option("crop-fraction", "F", "with --crops >= 2: crop side / short side", "0.8533");
    addComputeOptions(args);
}

// The Predictor the options describe; prints the error and returns false when it cannot be built.
bool makePredictor(Args& args, const char* command, std::optional<Predictor>& predictor)
{
    PredictorOptions o;
    o.views.runs = args.getInt("tta", 1);
    o.views.crops = args.getInt("crops", 1);
    o.views.cropFraction = args.getDouble("crop-fraction", o.views.cropFraction);
    readComputeOptions(args, o);
    const std::vector<int> folds = args.getIntList("folds");
    if (!args.error().empty()) {
        usageError(args);
        return false;
    }
    if (o.views.runs < 1 || o.views.runs > 64 || o.views.crops < 1 || o.views.crops > 64) {
        std::fprintf(stderr, "cassava %s: --tta and --crops must be between 1 and 64\n", command);
        return false;
    }
    if (args.has("run") == args.has("model")) {
        std::fprintf(stderr, "cassava %s: give either --run RUN or --model CKPT\n", command);
        return false;
    }
    try {
        predictor.emplace(args.has("run") ? Predictor::fromRun(args.get("run"), o, folds)
                                          : Predictor::fromCheckpoint(args.get("model"), o));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava %s: %s\n", command, e.what());
        return false;
    }
    return true;
}

std::string className(const CheckpointMetadata& m, int label)
{
    return label >= 0 && label < static_cast<int>(m.classNames.size()) ? m.classNames[static_cast<size_t>(label)]
                                                                        : "class " + std::to_string(label);
}

}  // namespace

int predictCommand(int argc, char** argv)
{
    Args args("predict", "Predicts a folder of photos and writes a Kaggle submission (image_id,label), in\n"
                         "sample_submission.csv order when one is given. Averages the probabilities over\n"
                         "test-time views (crops x TTA runs) and over a run's fold models.");
    args.option("images", "DIR", "folder of photos (JPEG, PNG, WebP, BMP, TIFF)")
        .option("data", "DIR", "a dataset: its test_images/ and sample_submission.csv")
        .option("sample", "CSV", "sample_submission.csv: the rows and their order")
        .option("out", "CSV", "submission to write", "submission.csv")
        .option("probs", "CSV", "also write every class probability (image_id,label,p0..)");
    addModelOptions(args);
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    std::string images = args.get("images"), sample = args.get("sample");
    if (args.has("data")) {
        const std::string root = args.get("data");
        if (images.empty())
            images = datasetTestImages(root);
        if (sample.empty())
            sample = datasetSample(root);
    }
    if (images.empty()) {
        std::fprintf(stderr, "cassava predict: --images DIR (or --data DIR) is required\n");
        return Usage;
    }
    std::optional<Predictor> predictor;
    if (!makePredictor(args, "predict", predictor))
        return args.error().empty() ? Failed : Usage;

    const SubmissionPlan plan = planSubmission(images, sample);
    if (!plan.note.empty())
        std::fprintf(stderr, "cassava predict: %s\n", plan.note.c_str());
    if (!plan.ok()) {
        std::fprintf(stderr, "cassava predict: %s\n", plan.error.c_str());
        return Failed;
    }

    std::fprintf(stderr, "predicting %zu photos with %s\n", plan.ids.size(), predictor->description().c_str());
    ProgressLine line("predict");
    double rate = 0;
    const auto results = predictSubmission(*predictor, plan, [&](const PredictProgress& p) {
        rate = p.imagesPerSecond;
        char extra[64];
        std::snprintf(extra, sizeof extra, "%.1f photos/s", p.imagesPerSecond);
        line.update(static_cast<int>(p.done), static_cast<int>(p.total), extra);
    });
    line.finish();

    const SubmissionTables tables = formatSubmission(plan, results, predictor->metadata().numClasses);
    for (const std::string& error : tables.errors)
        std::fprintf(stderr, "%s\n", error.c_str());
    const int failed = static_cast<int>(tables.errors.size());
    try {
        writeFileAtomically(args.get("out"), tables.submission);
        if (args.has("probs"))
            writeFileAtomically(args.get("probs"), tables.probabilities);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cassava predict: %s\n", e.what());
        return Failed;
    }
    std::printf("wrote %s: %zu photos (%.1f photos/s)\n", args.get("out").c_str(), results.size() - failed, rate);
    if (failed) {
        std::fprintf(stderr, "cassava predict: %d photos could not be read and are missing from %s\n", failed,
                     args.get("out").c_str());
        return Failed;
    }
    return Ok;
}

namespace {

// What --abstain decides for one leaf, and why, in words for the terminal.
struct LeafVerdict {
    Verdict verdict = Verdict::Diagnosed;
    std::string reason;  // empty when diagnosed
};

LeafVerdict judgeLeaf(float confidence, const LeafCheck& leaf, const AbstainOptions& options)
{
    LeafVerdict v;
    v.verdict = verdictFor(confidence, leaf.looksLikeLeaf, options);
    char reason[160];
    if (v.verdict == Verdict::NotALeaf)
        std::snprintf(reason, sizeof reason, "does not look like a cassava leaf: %.0f %% leaf-coloured pixels",
                      100.0 * leaf.plantShare);
    else if (v.verdict == Verdict::NotSure)
        std::snprintf(reason, sizeof reason, "confidence %.1f %% is below %.1f %%", 100.0 * static_cast<double>(confidence),
                      100.0 * static_cast<double>(options.minConfidence));
    else
        reason[0] = '\0';
    v.reason = reason;
    return v;
}

// The photo as checkLeaf sees it. It looks at no more than 128 px, so a JPEG is decoded reduced
// in the DCT (1/4 for 800x600) unless the full photo is needed for a heatmap anyway.
LeafCheck checkLeafOf(const std::string& path, const DecodedImage* decoded)
{
    if (decoded && decoded->ok())
        return checkLeaf(decoded->rgb);
    DecodeOptions reduced;
    reduced.minShortSide = 128;
    return checkLeaf(ImageIo::decode(path, reduced).rgb);  // an empty image is not a leaf
}

nlohmann::json probabilitiesJson(const CheckpointMetadata& meta, const std::vector<float>& probabilities)
{
    nlohmann::json probs = nlohmann::json::object();
    for (size_t c = 0; c < probabilities.size(); ++c)
        probs[className(meta, static_cast<int>(c))] = probabilities[c];
    return probs;
}

// "  63.20 %  Cassava Mosaic Disease (CMD)", most likely first.
void printProbabilities(const CheckpointMetadata& meta, const std::vector<float>& probabilities)
{
    std::vector<size_t> order(probabilities.size());
    for (size_t c = 0; c < order.size(); ++c)
        order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return probabilities[a] > probabilities[b]; });
    for (size_t c : order)
        std::printf("  %6.2f %%  %s\n", 100.0 * static_cast<double>(probabilities[c]),
                    className(meta, static_cast<int>(c)).c_str());
}

std::string shortClassName(const CheckpointMetadata& m, int label)
{
    const LabelMap labels(m.classNames);
    return labels.contains(label) ? labels.shortName(label) : className(m, label);
}

// Heatmaps keep a photo's size down to this short side (a phone photo's 3000 px become 1500).
constexpr int kHeatmapShortSide = 1080;

// Writes PHOTO.cam.png into camDir and records it (or why it was not written) in `j`.
void writeHeatmap(Predictor& predictor, const DecodedImage& photo, const PhotoPrediction& r, const std::string& camDir,
                  nlohmann::json& j)
{
    if (!photo.ok())
        return;
    const cv::Mat overlay = overlayHeatmap(photo.rgb, predictor.heatmap(photo.rgb, r.predicted));
    cv::Mat bgr;
    cv::cvtColor(overlay, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> png;
    cv::imencode(".png", bgr, png);
    const std::string out = camDir + "/" + fs::path(r.path).stem().string() + ".cam.png";
    try {
        writeFileAtomically(out, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
        j["cam"] = out;
    } catch (const std::exception& e) {
        j["cam_error"] = e.what();
    }
}

}  // namespace

int diagnoseCommand(int argc, char** argv)
{
    Args args("diagnose", "The disease in each photo: the most likely class and the probability of every\n"
                          "class; with --cam, a Grad-CAM heatmap of where the models looked, over the photo.\n"
                          "Any size, EXIF orientation honoured; JPEG, PNG, WebP, BMP, TIFF.\n"
                          "With --plant, the photos are leaves of one plant: their mean probabilities are\n"
                          "its diagnosis. With --abstain, a photo below the confidence or that does not\n"
                          "look like a cassava leaf is \"not sure\" instead of a disease.");
    char abstainHelp[160];
    std::snprintf(abstainHelp, sizeof abstainHelp,
                  "\"not sure\" below confidence T (0..1, the app's default %.2f) or when not a leaf",
                  static_cast<double>(kDefaultAbstainConfidence));
    args.positional("PHOTO", "photos to diagnose", true, true)
        .option("cam", "DIR", "write PHOTO.cam.png heatmap overlays into this folder")
        .flag("plant", "the photos are leaves of one plant: print its consensus after the leaves")
        .option("abstain", "T", abstainHelp)
        .flag("json", "print JSON");
    addModelOptions(args);
    if (!args.parse(argc, argv))
        return usageError(args);
    if (args.helpRequested())
        return printUsage(args);
    const bool abstain = args.has("abstain"), plant = args.has("plant"), json = args.has("json");
    AbstainOptions abstainOptions;
    abstainOptions.minConfidence = static_cast<float>(args.getDouble("abstain", kDefaultAbstainConfidence));
    if (!args.error().empty())
        return usageError(args);
    if (abstain && !(abstainOptions.minConfidence >= 0)) {  // also refuses NaN
        std::fprintf(stderr, "cassava diagnose: --abstain must be a confidence of 0 or more (1 or more: always)\n");
        return Usage;
    }
    std::optional<Predictor> predictor;
    if (!makePredictor(args, "diagnose", predictor))
        return args.error().empty() ? Failed : Usage;
    const std::vector<std::string>& photos = args.positionals();
    const std::string camDir = args.get("cam");
    if (!camDir.empty()) {
        std::error_code ec;
        fs::create_directories(camDir, ec);
        if (ec) {
            std::fprintf(stderr, "cassava diagnose: cannot create %s: %s\n", camDir.c_str(), ec.message().c_str());
            return Failed;
        }
    }
    const CheckpointMetadata& meta = predictor->metadata();
    const auto results = predictor->predict(photos);
    nlohmann::json leaves = nlohmann::json::array();
    // What the plant is averaged over: a photo that could not be read, or (with --abstain) one that
    // is not a leaf, has no probabilities here.
    std::vector<std::vector<float>> plantLeaves;
    int failed = 0;
    for (const PhotoPrediction& r : results) {
        nlohmann::json j = {{"photo", r.path}};
        if (!r.ok()) {
            ++failed;
            j["error"] = r.error;
            if (!json)
                std::fprintf(stderr, "%s\n", r.error.c_str());
            leaves.push_back(j);
            plantLeaves.emplace_back();
            continue;
        }
        const float confidence = r.probabilities[static_cast<size_t>(r.predicted)];
        j["label"] = r.predicted;
        j["disease"] = className(meta, r.predicted);
        j["confidence"] = confidence;
        j["probabilities"] = probabilitiesJson(meta, r.probabilities);
        // The heatmap is drawn on the photo at a screen's size at most: a 50-MP JPEG is decoded at
        // 1/4 inside libjpeg (BENCHMARKS.md "Memory"), not in full with an overlay as large again.
        DecodeOptions camDecode;
        camDecode.minShortSide = kHeatmapShortSide;
        const DecodedImage photo = camDir.empty() ? DecodedImage{} : ImageIo::decode(r.path, camDecode);
        if (!camDir.empty())
            writeHeatmap(*predictor, photo, r, camDir, j);
        LeafVerdict verdict;
        if (abstain) {
            const LeafCheck leaf = checkLeafOf(r.path, camDir.empty() ? nullptr : &photo);
            verdict = judgeLeaf(confidence, leaf, abstainOptions);
            j["verdict"] = verdictName(verdict.verdict);
            j["plant_share"] = leaf.plantShare;
            if (!verdict.reason.empty())
                j["reason"] = verdict.reason;
        }
        plantLeaves.push_back(verdict.verdict == Verdict::NotALeaf ? std::vector<float>{} : r.probabilities);
        leaves.push_back(j);
        if (json)
            continue;
        if (verdict.verdict == Verdict::Diagnosed)
            std::printf("%s: %s (%.1f %%)\n", r.path.c_str(), j["disease"].get<std::string>().c_str(),
                        100.0 * static_cast<double>(confidence));
        else
            std::printf("%s: not sure (%s); take another photo: one leaf, in daylight, filling the frame\n",
                        r.path.c_str(), verdict.reason.c_str());
        printProbabilities(meta, r.probabilities);
        if (j.contains("cam"))
            std::printf("  heatmap: %s\n", j["cam"].get<std::string>().c_str());
        if (j.contains("cam_error"))
            std::fprintf(stderr, "  heatmap not written: %s\n", j["cam_error"].get<std::string>().c_str());
    }
    if (!plant) {
        if (json)
            std::printf("%s\n", leaves.dump(2).c_str());
        return failed ? Failed : Ok;
    }

    const PlantConsensus consensus = plantConsensus(plantLeaves);
    nlohmann::json p = {{"photos", photos.size()}, {"leaves", consensus.leaves}};
    std::string headline;
    if (consensus.leaves == 0) {
        const bool someRead = failed < static_cast<int>(results.size());
        p["error"] = someRead ? "none of the photos looks like a cassava leaf" : "none of the photos could be read";
        if (someRead)
            p["verdict"] = verdictName(Verdict::NotALeaf);
        headline = "plant: " + p["error"].get<std::string>();
    } else {
        const std::string agreement = std::to_string(consensus.agreeing) + " of " + std::to_string(consensus.leaves) +
                                      (consensus.leaves == 1 ? " leaf: " : " leaves: ") +
                                      shortClassName(meta, consensus.predicted);
        p["label"] = consensus.predicted;
        p["disease"] = className(meta, consensus.predicted);
        p["confidence"] = consensus.confidence;
        p["agreeing"] = consensus.agreeing;
        p["agreement"] = agreement;
        p["probabilities"] = probabilitiesJson(meta, consensus.probabilities);
        // The leaves that are not leaves are already left out, so the plant abstains on confidence.
        LeafCheck plantLooksLikeALeaf;
        plantLooksLikeALeaf.looksLikeLeaf = true;
        const LeafVerdict verdict = abstain ? judgeLeaf(consensus.confidence, plantLooksLikeALeaf, abstainOptions)
                                            : LeafVerdict{};
        if (abstain)
            p["verdict"] = verdictName(verdict.verdict);
        char text[256];
        if (verdict.verdict == Verdict::Diagnosed)
            std::snprintf(text, sizeof text, "plant: %s (%.1f %%), %s", p["disease"].get<std::string>().c_str(),
                          100.0 * static_cast<double>(consensus.confidence), agreement.c_str());
        else
            std::snprintf(text, sizeof text, "plant: not sure (%s), %s; photograph more of its leaves",
                          verdict.reason.c_str(), agreement.c_str());
        headline = text;
        if (!verdict.reason.empty())
            p["reason"] = verdict.reason;
    }
    if (json) {
        std::printf("%s\n", nlohmann::json{{"leaves", leaves}, {"plant", p}}.dump(2).c_str());
    } else {
        std::printf("%s\n", headline.c_str());
        if (consensus.leaves > 0)
            printProbabilities(meta, consensus.probabilities);
    }
    return failed ? Failed : Ok;
}

}  // namespace cassava::cli
