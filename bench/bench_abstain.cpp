// Abstaining: what a diagnosis gains by saying "not sure" instead of naming a disease, measured
// (BENCHMARKS.md, "Abstaining"):
//   leaf check  the share of real cassava photos that LeafCheck takes for leaves (all of DATA),
//               (and of --leaves folders, e.g. the demo's drawn leaves), beside the share of each
//               folder of pictures that are not cassava leaves, and the provisional check it
//               replaced (the baseline), with the check's cost per photo
//   hold-out    the validation photos of a run (RUN/oof.csv) predicted by the run's model the way
//               the GUI does (Predictor, the recipe's views: --tta/--crops), then over confidence
//               thresholds: the share abstained on and the accuracy on the rest against the
//               accuracy on all, with the leaf check on
//   non-leaves  each folder's pictures predicted by the same model: the share abstained on by the
//               leaf check, by confidence, by either; every picture that fooled both is listed
//
//   bench_abstain --generate DIR
//       writes the generated non-leaf pictures (flat colours, gradients, noise, text, skin, sky,
//       walls, soil, and green things that are not leaves) into DIR and exits
//   bench_abstain --run RUN [--data DATA] [--tta 1] [--crops 1] [--confidence T]
//                 [--thresholds 0.3,0.35,...] [--leaves DIR] [--csv OUT.csv] [NONLEAF_DIR...]
//       T defaults to kDefaultAbstainConfidence; bench/bench_abstain.sh gathers the folders.
#include "AbstainPictures.h"
#include "Denoise.h"
#include "Diagnosis.h"
#include "ImageIo.h"
#include "LeafCheck.h"
#include "Predictor.h"
#include "Problem.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace cassava;

namespace {

struct Photo {
    std::string path;
    int label = -1;        // -1: not a cassava leaf
    double share = 0;      // LeafCheck
    double texture = 0;
    bool leaf = false;
    bool provisionalLeaf = false;  // the baseline below
    float confidence = 0;  // the model's most likely class
    int predicted = -1;
    std::string error;
};

// The baseline: the provisional check this project had before it was measured (a share of pixels of
// 24-100 degrees hue, saturation >= 40, value >= 30, at least 0.15 of the photo).
bool provisionalLooksLikeLeaf(const cv::Mat& rgb)
{
    cv::Mat small = rgb;
    const int longSide = std::max(rgb.cols, rgb.rows);
    if (longSide > 128)
        cv::resize(rgb, small, cv::Size(), 128.0 / longSide, 128.0 / longSide, cv::INTER_AREA);
    cv::Mat hsv;
    cv::cvtColor(small, hsv, cv::COLOR_RGB2HSV);
    int plant = 0;
    for (int y = 0; y < hsv.rows; ++y)
        for (int x = 0; x < hsv.cols; ++x) {
            const cv::Vec3b v = hsv.at<cv::Vec3b>(y, x);
            plant += v[0] >= 12 && v[0] <= 50 && v[1] >= 40 && v[2] >= 30;
        }
    return static_cast<double>(plant) / static_cast<double>(hsv.total()) >= 0.15;
}

// Time spent in decoding for the check and in checkLeaf itself, over every call.
struct CheckCost {
    double decodeSeconds = 0, checkSeconds = 0;
    size_t calls = 0;
};
CheckCost g_cost;

// The leaf check the way the GUI runs it: on the photo decoded for a thumbnail (at least 128 px).
void checkPhoto(Photo& p)
{
    using Clock = std::chrono::steady_clock;
    DecodeOptions o;
    o.minShortSide = 128;
    const auto start = Clock::now();
    const DecodedImage image = ImageIo::decode(p.path, o);
    const auto decoded = Clock::now();
    if (!image.ok()) {
        p.error = image.error;
        return;
    }
    const LeafCheck c = checkLeaf(image.rgb);
    g_cost.decodeSeconds += std::chrono::duration<double>(decoded - start).count();
    g_cost.checkSeconds += std::chrono::duration<double>(Clock::now() - decoded).count();
    ++g_cost.calls;
    p.share = c.plantShare;
    p.texture = c.texture;
    p.leaf = c.looksLikeLeaf;
    p.provisionalLeaf = provisionalLooksLikeLeaf(image.rgb);
}

void predictPhotos(const Predictor& predictor, std::vector<Photo>& photos)
{
    std::vector<std::string> paths;
    for (const Photo& p : photos)
        paths.push_back(p.path);
    const std::vector<PhotoPrediction> r = predictor.predict(paths);
    for (size_t i = 0; i < photos.size(); ++i) {
        if (!r[i].ok()) {
            photos[i].error = r[i].error;
            continue;
        }
        photos[i].predicted = r[i].predicted;
        photos[i].confidence = r[i].probabilities[static_cast<size_t>(r[i].predicted)];
    }
}

std::vector<std::string> imagesUnder(const std::string& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
        if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp" || ext == ".bmp" || ext == ".tif" ||
            ext == ".tiff")
            out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

double quantile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const size_t i = static_cast<size_t>(pos);
    const double f = pos - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

std::vector<double> parseList(const char* text)
{
    std::vector<double> out;
    std::string s = text;
    size_t start = 0;
    while (start <= s.size()) {
        const size_t comma = s.find(',', start);
        const std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty())
            out.push_back(std::atof(item.c_str()));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

void printCues(const char* what, const std::vector<Photo>& photos)
{
    std::vector<double> shares, textures;
    size_t leaves = 0, colourPass = 0, texturePass = 0, provisional = 0;
    for (const Photo& p : photos)
        if (p.error.empty()) {
            shares.push_back(p.share);
            textures.push_back(p.texture);
            leaves += p.leaf;
            provisional += p.provisionalLeaf;
            colourPass += p.share >= kLeafMinPlantShare;
            texturePass += p.texture >= kLeafMinTexture;
        }
    const double n = shares.empty() ? 1.0 : static_cast<double>(shares.size());
    std::printf("%-28s %5zu   %5.3f %5.3f %5.3f   %5.1f %5.1f %5.1f   %6.1f %%  %6.1f %%  %6.1f %%     %6.1f %%\n", what,
                shares.size(), quantile(shares, 0.01), quantile(shares, 0.05), quantile(shares, 0.5),
                quantile(textures, 0.01), quantile(textures, 0.05), quantile(textures, 0.5), 100.0 * colourPass / n,
                100.0 * texturePass / n, 100.0 * leaves / n, 100.0 * provisional / n);
}

}  // namespace

int main(int argc, char** argv)
{
    std::string run, data = std::string(CASSAVA_SHARED_DATA) + "/cassava-sample", csv;
    int tta = 1, crops = 1;
    float chosen = kDefaultAbstainConfidence;
    std::vector<double> thresholds = {0,    0.3,  0.32, 0.34, 0.36, 0.38, 0.4, 0.42,
                                      0.44, 0.46, 0.5,  0.55, 0.6,  0.7,  0.8, 0.9};
    std::vector<std::string> nonLeafDirs, leafDirs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--generate" && hasValue)
            return abstain_pictures::writeGenerated(argv[i + 1]);
        if (a == "--run" && hasValue)
            run = argv[++i];
        else if (a == "--data" && hasValue)
            data = argv[++i];
        else if (a == "--tta" && hasValue)
            tta = std::atoi(argv[++i]);
        else if (a == "--crops" && hasValue)
            crops = std::atoi(argv[++i]);
        else if (a == "--confidence" && hasValue)
            chosen = static_cast<float>(std::atof(argv[++i]));
        else if (a == "--thresholds" && hasValue)
            thresholds = parseList(argv[++i]);
        else if (a == "--leaves" && hasValue)
            leafDirs.push_back(argv[++i]);
        else if (a == "--csv" && hasValue)
            csv = argv[++i];
        else if (!a.empty() && a[0] != '-')
            nonLeafDirs.push_back(a);
        else {
            std::fprintf(stderr, "usage: bench_abstain --generate DIR | --run RUN [--data DATA] [--tta N] [--crops K]\n"
                                 "       [--confidence T] [--thresholds a,b,...] [--leaves DIR] [--csv OUT] [NONLEAF_DIR...]\n");
            return 2;
        }
    }
    if (run.empty()) {
        std::fprintf(stderr, "bench_abstain: --run RUN is needed (a run trained with a hold-out, e.g. --preset quick)\n");
        return 2;
    }
    const std::string oofPath = run + "/oof.csv";
    if (!fs::exists(data + "/train_images") || !fs::exists(oofPath)) {
        std::printf("photos (%s/train_images) or the run's oof.csv (%s) absent; benchmark skipped\n", data.c_str(),
                    oofPath.c_str());
        return 0;
    }

    // The leaf check over every real photo of the dataset: none of them should be refused.
    std::vector<Photo> allReal;
    for (const std::string& p : imagesUnder(data + "/train_images"))
        allReal.push_back(Photo{p, -1, 0, 0, false, false, 0, -1, {}});
    for (Photo& p : allReal)
        checkPhoto(p);
    const CheckCost realCost = g_cost;  // the real photos alone (800x600 JPEG)

    // Other pictures of leaves (e.g. the built-in demo's drawn ones: `cassava synth`): checked only.
    std::vector<std::pair<std::string, std::vector<Photo>>> leafSets;
    for (const std::string& dir : leafDirs) {
        std::vector<Photo> photos;
        for (const std::string& p : imagesUnder(dir))
            photos.push_back(Photo{p, -1, 0, 0, false, false, 0, -1, {}});
        for (Photo& p : photos)
            checkPhoto(p);
        leafSets.emplace_back(dir, std::move(photos));
    }

    // The hold-out.
    ProblemList problems;
    const ProbabilityTable oof = readProbabilityCsv(oofPath, problems);
    std::vector<Photo> holdOut;
    for (size_t i = 0; i < oof.rows(); ++i) {
        Photo p;
        p.path = data + "/train_images/" + oof.imageIds[i];
        p.label = oof.labels[i];
        holdOut.push_back(p);
    }
    PredictorOptions po;
    po.views.runs = tta;
    po.views.crops = crops;
    const Predictor predictor = Predictor::fromRun(run, po);
    std::printf("model: %s\n", predictor.description().c_str());
    predictPhotos(predictor, holdOut);
    for (Photo& p : holdOut)
        checkPhoto(p);

    // Pictures that are not cassava leaves, one set per folder.
    std::vector<std::pair<std::string, std::vector<Photo>>> sets;
    for (const std::string& dir : nonLeafDirs) {
        std::vector<Photo> photos;
        for (const std::string& p : imagesUnder(dir))
            photos.push_back(Photo{p, -1, 0, 0, false, false, 0, -1, {}});
        for (Photo& p : photos)
            checkPhoto(p);
        predictPhotos(predictor, photos);
        sets.emplace_back(dir, std::move(photos));
    }

    std::printf("\nLeaf check: plant colour share >= %.2f and texture >= %.1f\n", kLeafMinPlantShare, kLeafMinTexture);
    std::printf("%-28s %5s   %-17s   %-17s   %-8s  %-8s  %-8s   %s\n", "", "", "plant share", "texture", "colour",
                "texture", "both", "provisional check");
    std::printf("%-28s %5s   %5s %5s %5s   %5s %5s %5s   %8s  %8s  %8s   %s\n", "pictures", "n", "q01", "q05", "q50",
                "q01", "q05", "q50", "passes", "passes", "(leaf)", "(baseline) passes");
    printCues("real photos (all of DATA)", allReal);
    printCues("real photos (hold-out)", holdOut);
    for (const auto& [dir, photos] : leafSets)
        printCues(("leaves: " + fs::path(dir).filename().string()).c_str(), photos);
    for (const auto& [dir, photos] : sets)
        printCues(fs::path(dir).filename().string().c_str(), photos);

    std::printf("cost on the real photos: checkLeaf %.0f us per photo on its thumbnail decode (%.0f us per decode "
                "at >= 128 px)\n",
                1e6 * realCost.checkSeconds / std::max<size_t>(realCost.calls, 1),
                1e6 * realCost.decodeSeconds / std::max<size_t>(realCost.calls, 1));

    // Other thresholds of the same two cues: the share that would pass.
    std::printf("\nLeaf check at other thresholds: %% passing (real photos, each leaves folder, all non-leaves)\n");
    auto passing = [](const std::vector<Photo>& photos, double share, double texture) {
        size_t n = 0, k = 0;
        for (const Photo& p : photos)
            if (p.error.empty()) {
                ++n;
                k += p.share >= share && p.texture >= texture;
            }
        return std::make_pair(n, k);
    };
    for (double share : {0.10, 0.15, 0.20, 0.25})
        for (double texture : {0.0, 5.0, 7.0, 10.0, 12.0, 15.0}) {
            auto [n, k] = passing(allReal, share, texture);
            std::printf("  share >= %.2f, texture >= %4.1f:  %5.1f", share, texture, 100.0 * k / std::max<size_t>(n, 1));
            for (const auto& [dir, photos] : leafSets) {
                auto [ln, lk] = passing(photos, share, texture);
                std::printf("  %5.1f", 100.0 * lk / std::max<size_t>(ln, 1));
            }
            size_t nn = 0, nk = 0;
            for (const auto& [dir, photos] : sets) {
                auto [m, mk] = passing(photos, share, texture);
                nn += m;
                nk += mk;
            }
            std::printf("  %5.1f\n", 100.0 * nk / std::max<size_t>(nn, 1));
        }

    // Over confidence thresholds, with the leaf check on.
    size_t n = 0, right = 0;
    for (const Photo& p : holdOut)
        if (p.error.empty()) {
            ++n;
            right += p.predicted == p.label;
        }
    std::printf("\nHold-out: %zu photos, accuracy on all %.3f (TTA %d, crops %d)\n", n, n ? double(right) / n : 0.0,
                tta, crops);
    std::printf("threshold  abstained  (not a leaf)  kept  accuracy on kept  right-wrong kept  wrong answers avoided"
                "  non-leaves abstained\n");
    size_t wrongAll = n - right;
    for (double t : thresholds) {
        AbstainOptions ao;
        ao.minConfidence = static_cast<float>(t);
        size_t kept = 0, keptRight = 0, notLeaf = 0;
        for (const Photo& p : holdOut) {
            if (!p.error.empty())
                continue;
            const Verdict v = verdictFor(p.confidence, p.leaf, ao);
            notLeaf += v == Verdict::NotALeaf;
            if (v == Verdict::Diagnosed) {
                ++kept;
                keptRight += p.predicted == p.label;
            }
        }
        size_t others = 0, othersAbstained = 0;
        for (const auto& [dir, photos] : sets)
            for (const Photo& p : photos)
                if (p.error.empty()) {
                    ++others;
                    othersAbstained += verdictFor(p.confidence, p.leaf, ao) != Verdict::Diagnosed;
                }
        const size_t wrongKept = kept - keptRight;
        std::printf("%9.2f  %8.1f %%  %9zu      %4zu  %16.3f  %16ld  %13zu of %zu  %17.1f %%\n", t,
                    100.0 * double(n - kept) / double(n), notLeaf, kept, kept ? double(keptRight) / kept : 0.0,
                    static_cast<long>(keptRight) - static_cast<long>(wrongKept), wrongAll - wrongKept, wrongAll,
                    others ? 100.0 * double(othersAbstained) / double(others) : 0.0);
    }

    // The default's rule (Diagnosis.cpp): the threshold that maximises right - wrong among the photos
    // kept, on a 0.01 grid; and how firmly 200 photos fix it: the same rule over bootstrap resamples.
    {
        std::vector<const Photo*> ok;
        for (const Photo& p : holdOut)
            if (p.error.empty())
                ok.push_back(&p);
        auto bestThreshold = [](const std::vector<const Photo*>& photos) {
            double best = 0;
            long bestScore = 0;
            bool first = true;
            for (int k = 30; k <= 60; ++k) {
                const double t = k / 100.0;
                AbstainOptions o;
                o.minConfidence = static_cast<float>(t);
                long score = 0;
                for (const Photo* p : photos)
                    if (verdictFor(p->confidence, p->leaf, o) == Verdict::Diagnosed)
                        score += p->predicted == p->label ? 1 : -1;
                if (first || score > bestScore) {
                    best = t;
                    bestScore = score;
                    first = false;
                }
            }
            return best;
        };
        std::mt19937_64 rng(0);
        std::uniform_int_distribution<size_t> pick(0, ok.empty() ? 0 : ok.size() - 1);
        std::vector<double> bests;
        for (int b = 0; b < 2000 && !ok.empty(); ++b) {
            std::vector<const Photo*> sample(ok.size());
            for (auto& s : sample)
                s = ok[pick(rng)];
            bests.push_back(bestThreshold(sample));
        }
        std::printf("\nthe rule's threshold (max right - wrong kept, 0.01 grid): %.2f; over 2000 bootstrap resamples: "
                    "q10 %.2f, q25 %.2f, median %.2f, q75 %.2f, q90 %.2f\n",
                    bestThreshold(ok), quantile(bests, 0.1), quantile(bests, 0.25), quantile(bests, 0.5),
                    quantile(bests, 0.75), quantile(bests, 0.9));
    }

    // Non-leaves at the chosen confidence threshold.
    std::printf("\nPictures that are not cassava leaves, confidence threshold %.2f\n", chosen);
    std::printf("%-34s %5s  %12s  %12s  %12s\n", "pictures", "n", "leaf check", "confidence", "either");
    AbstainOptions ao;
    ao.minConfidence = chosen;
    size_t tn = 0, tl = 0, tc = 0, te = 0;
    for (const auto& [dir, photos] : sets) {
        size_t m = 0, byLeaf = 0, byConfidence = 0, either = 0;
        for (const Photo& p : photos) {
            if (!p.error.empty())
                continue;
            ++m;
            byLeaf += !p.leaf;
            byConfidence += p.confidence < chosen;
            either += verdictFor(p.confidence, p.leaf, ao) != Verdict::Diagnosed;
        }
        auto pct = [m](size_t k) { return m ? 100.0 * double(k) / double(m) : 0.0; };
        std::printf("%-34s %5zu  %10.1f %%  %10.1f %%  %10.1f %%\n", fs::path(dir).filename().string().c_str(), m,
                    pct(byLeaf), pct(byConfidence), pct(either));
        tn += m;
        tl += byLeaf;
        tc += byConfidence;
        te += either;
    }
    if (tn)
        std::printf("%-34s %5zu  %10.1f %%  %10.1f %%  %10.1f %%\n", "all", tn, 100.0 * tl / tn, 100.0 * tc / tn,
                    100.0 * te / tn);
    for (const auto& [dir, photos] : sets)
        for (const Photo& p : photos) {
            if (!p.error.empty())
                std::printf("  unreadable: %s\n", p.error.c_str());
            else if (p.leaf)
                std::printf("  %-15s %-62s share %.3f, texture %5.1f, class %d at %.3f\n",
                            p.confidence < chosen ? "by confidence:" : "fooled both:", p.path.c_str(), p.share, p.texture,
                            p.predicted, p.confidence);
        }

    if (!csv.empty()) {
        std::ofstream out(csv);
        out << "set,path,label,predicted,confidence,plant_share,texture,looks_like_leaf,error\n";
        auto write = [&](const std::string& set, const std::vector<Photo>& photos) {
            for (const Photo& p : photos)
                out << set << ',' << p.path << ',' << p.label << ',' << p.predicted << ',' << p.confidence << ','
                    << p.share << ',' << p.texture << ',' << p.leaf << ',' << (p.error.empty() ? "" : "error") << '\n';
        };
        write("real", allReal);
        write("holdout", holdOut);
        for (const auto& [dir, photos] : sets)
            write(fs::path(dir).filename().string(), photos);
    }
    return 0;
}
