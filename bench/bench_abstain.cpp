// Abstaining: what a diagnosis gains by saying "not sure" instead of naming a disease, measured
// (BENCHMARKS.md, "Abstaining"):
//   leaf check  the share of real cassava photos that LeafCheck takes for leaves (all of DATA),
//               beside the share of each folder of pictures that are not cassava leaves
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
//   bench_abstain --run RUN [--data DATA] [--tta 1] [--crops 1] [--confidence 0.5]
//                 [--thresholds 0.3,0.35,...] [--csv OUT.csv] [NONLEAF_DIR...]
#include "Denoise.h"
#include "Diagnosis.h"
#include "ImageIo.h"
#include "LeafCheck.h"
#include "Predictor.h"
#include "Problem.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace cassava;

namespace {

// ---------------------------------------------------------------------------------------------
// Generated pictures that are not cassava leaves. Deterministic (one seed), 800x600 like the
// real photos. The green ones are there to fool a colour check on purpose.

constexpr int kW = 800, kH = 600;

cv::Mat flat(cv::Scalar rgb) { return cv::Mat(kH, kW, CV_8UC3, rgb); }

cv::Mat gradient(cv::Scalar a, cv::Scalar b, bool vertical)
{
    cv::Mat m(kH, kW, CV_8UC3);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const double t = vertical ? y / double(kH - 1) : x / double(kW - 1);
            for (int c = 0; c < 3; ++c)
                m.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(a[c] * (1 - t) + b[c] * t);
        }
    return m;
}

// Smooth random texture around `base`: noise blurred at `scale` px, `amount` of spread per channel.
cv::Mat texture(cv::RNG& rng, cv::Scalar base, double amount, double scale, bool grey = false)
{
    cv::Mat noise(kH, kW, grey ? CV_32FC1 : CV_32FC3);
    rng.fill(noise, cv::RNG::NORMAL, 0, 1);
    if (scale > 0.5)
        cv::GaussianBlur(noise, noise, cv::Size(), scale);
    cv::normalize(noise, noise, -1, 1, cv::NORM_MINMAX);
    if (grey)
        cv::cvtColor(noise, noise, cv::COLOR_GRAY2RGB);
    cv::Mat m = flat(base);
    cv::Mat f;
    m.convertTo(f, CV_32FC3);
    f += noise * amount;
    f.convertTo(m, CV_8UC3);
    return m;
}

cv::Mat textPage(cv::RNG& rng, cv::Scalar paper, cv::Scalar ink, double fontScale)
{
    cv::Mat m = flat(paper);
    const char* words[] = {"cassava", "report", "the", "of", "yield", "season", "2024", "field",
                           "table", "and", "figure", "results", "district", "rain", "price", "total"};
    const int lineHeight = static_cast<int>(34 * fontScale) + 6;
    for (int y = 40; y < kH - 20; y += lineHeight) {
        std::string line;
        while (line.size() < static_cast<size_t>(60 / fontScale))
            line += std::string(words[rng.uniform(0, 16)]) + " ";
        cv::putText(m, line, cv::Point(30, y), cv::FONT_HERSHEY_SIMPLEX, fontScale, ink, 2, cv::LINE_AA);
    }
    return m;
}

cv::Mat skin(cv::RNG& rng, cv::Scalar tone, cv::Scalar background)
{
    cv::Mat m = texture(rng, background, 10, 20);
    // A hand or a face filling most of the frame, shaded from one side.
    cv::Mat mask = cv::Mat::zeros(kH, kW, CV_8UC1);
    cv::ellipse(mask, cv::Point(kW / 2 + rng.uniform(-80, 80), kH / 2 + rng.uniform(-40, 40)),
                cv::Size(rng.uniform(250, 340), rng.uniform(200, 260)), rng.uniform(0, 180), 0, 360,
                cv::Scalar(255), cv::FILLED);
    cv::Mat shade = gradient(tone * 1.1, tone * 0.75, false);
    cv::GaussianBlur(mask, mask, cv::Size(), 6);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const double a = mask.at<uchar>(y, x) / 255.0;
            cv::Vec3b& p = m.at<cv::Vec3b>(y, x);
            const cv::Vec3b& s = shade.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c)
                p[c] = cv::saturate_cast<uchar>(p[c] * (1 - a) + s[c] * a);
        }
    return m;
}

cv::Mat sky(cv::RNG& rng)
{
    cv::Mat m = gradient(cv::Scalar(rng.uniform(60, 120), rng.uniform(120, 170), 235),
                         cv::Scalar(rng.uniform(170, 210), rng.uniform(200, 230), 250), true);
    cv::Mat clouds = cv::Mat::zeros(kH, kW, CV_32FC1);
    for (int i = 0; i < 25; ++i)
        cv::circle(clouds, cv::Point(rng.uniform(0, kW), rng.uniform(0, kH)), rng.uniform(20, 90),
                   cv::Scalar(1), cv::FILLED);
    cv::GaussianBlur(clouds, clouds, cv::Size(), 25);
    for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
            const float a = std::min(1.0f, clouds.at<float>(y, x) * 1.5f);
            cv::Vec3b& p = m.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; ++c)
                p[c] = cv::saturate_cast<uchar>(p[c] * (1 - a) + 245 * a);
        }
    return m;
}

cv::Mat bricks(cv::RNG& rng, cv::Scalar brick, cv::Scalar mortar)
{
    cv::Mat m = texture(rng, mortar, 12, 2);
    const int bw = rng.uniform(70, 110), bh = bw / 3;
    for (int row = 0, y = 0; y < kH; ++row, y += bh + 6)
        for (int x = (row % 2) * -bw / 2; x < kW; x += bw + 6) {
            const cv::Scalar c = brick + cv::Scalar(rng.uniform(-20, 20), rng.uniform(-12, 12), rng.uniform(-8, 8));
            cv::rectangle(m, cv::Rect(x, y, bw, bh), c, cv::FILLED);
        }
    cv::Mat f;
    m.convertTo(f, CV_32FC3);
    cv::Mat n(kH, kW, CV_32FC3);
    rng.fill(n, cv::RNG::NORMAL, 0, 8);
    f += n;
    f.convertTo(m, CV_8UC3);
    return m;
}

// Grass-like: thousands of thin blades in greens over soil or a dark green ground: plant colours,
// not a cassava leaf.
cv::Mat grass(cv::RNG& rng, cv::Scalar ground, int blades)
{
    cv::Mat m = texture(rng, ground, 25, 3);
    for (int i = 0; i < blades; ++i) {
        const cv::Point base(rng.uniform(0, kW), rng.uniform(0, kH + 60));
        const double len = rng.uniform(40, 160), lean = rng.uniform(-0.5, 0.5);
        const cv::Point tip(base.x + static_cast<int>(lean * len), base.y - static_cast<int>(len));
        const cv::Scalar c(rng.uniform(40, 140), rng.uniform(110, 210), rng.uniform(20, 80));
        cv::line(m, base, tip, c, rng.uniform(1, 4), cv::LINE_AA);
    }
    return m;
}

cv::Mat stripes(cv::RNG& rng, int n)
{
    cv::Mat m(kH, kW, CV_8UC3);
    const int w = kW / n;
    for (int i = 0; i < n; ++i)
        cv::rectangle(m, cv::Rect(i * w, 0, w + 1, kH),
                      cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256)), cv::FILLED);
    return m;
}

cv::Mat screen(cv::RNG& rng, bool dark)
{
    const cv::Scalar bg = dark ? cv::Scalar(40, 42, 46) : cv::Scalar(246, 246, 246);
    const cv::Scalar panel = dark ? cv::Scalar(58, 60, 66) : cv::Scalar(225, 228, 232);
    cv::Mat m = flat(bg);
    cv::rectangle(m, cv::Rect(0, 0, kW, 36), dark ? cv::Scalar(30, 30, 34) : cv::Scalar(210, 212, 216), cv::FILLED);
    cv::rectangle(m, cv::Rect(0, 36, 180, kH), panel, cv::FILLED);
    const cv::Scalar accent(rng.uniform(0, 80), rng.uniform(90, 160), rng.uniform(180, 240));
    for (int i = 0; i < 8; ++i)
        cv::rectangle(m, cv::Rect(220 + (i % 4) * 140, 70 + (i / 4) * 160, 120, 120), i == 2 ? accent : panel, cv::FILLED);
    for (int y = 420; y < kH - 20; y += 28)
        cv::putText(m, "Settings  Open  Diagnose  Save", cv::Point(220, y), cv::FONT_HERSHEY_SIMPLEX, 0.7,
                    dark ? cv::Scalar(220, 220, 220) : cv::Scalar(30, 30, 30), 1, cv::LINE_AA);
    return m;
}

struct Generated {
    std::string name;
    cv::Mat rgb;
};

std::vector<Generated> generatedPictures()
{
    cv::RNG rng(20261130);
    std::vector<Generated> out;
    auto add = [&](const std::string& name, cv::Mat m) { out.push_back({name, std::move(m)}); };
    // Flat colours (RGB).
    const std::pair<const char*, cv::Scalar> flats[] = {
        {"white", {255, 255, 255}}, {"black", {0, 0, 0}},          {"grey", {128, 128, 128}},
        {"light-grey", {200, 200, 200}}, {"dark-grey", {50, 50, 50}}, {"sky-blue", {135, 190, 235}},
        {"navy", {20, 30, 90}},     {"red", {200, 30, 30}},        {"skin-light", {235, 195, 170}},
        {"skin-dark", {120, 80, 60}}, {"beige-wall", {225, 210, 185}}, {"purple", {120, 60, 150}}};
    for (const auto& [name, c] : flats)
        add(std::string("flat-") + name, flat(c));
    // Gradients.
    add("gradient-sky", gradient({70, 130, 220}, {200, 225, 250}, true));
    add("gradient-sunset", gradient({250, 150, 60}, {90, 40, 120}, true));
    add("gradient-grey", gradient({20, 20, 20}, {235, 235, 235}, false));
    add("gradient-blue-red", gradient({30, 60, 200}, {210, 40, 40}, false));
    add("gradient-orange-pink", gradient({250, 170, 60}, {240, 120, 170}, false));
    add("gradient-teal", gradient({10, 90, 110}, {150, 220, 230}, true));
    for (int i = 0; i < 6; ++i) {
        cv::Scalar a(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
        cv::Scalar b(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
        add("gradient-random-" + std::to_string(i), gradient(a, b, i % 2 == 0));
    }
    // Noise.
    for (int i = 0; i < 3; ++i) {
        cv::Mat m(kH, kW, CV_8UC3);
        rng.fill(m, cv::RNG::UNIFORM, 0, 256);
        if (i > 0)
            cv::GaussianBlur(m, m, cv::Size(), 2.0 * i);
        add("noise-colour-" + std::to_string(i), m);
    }
    add("noise-grey", texture(rng, {128, 128, 128}, 100, 0, true));
    add("noise-grey-blurred", texture(rng, {128, 128, 128}, 90, 6, true));
    add("noise-colour-blobs", texture(rng, {128, 128, 128}, 120, 30));
    // Text and screens.
    add("text-black-on-white", textPage(rng, {255, 255, 255}, {0, 0, 0}, 0.9));
    add("text-white-on-black", textPage(rng, {0, 0, 0}, {255, 255, 255}, 0.9));
    add("text-small", textPage(rng, {250, 248, 240}, {20, 20, 20}, 0.6));
    add("text-blue-on-grey", textPage(rng, {220, 220, 220}, {20, 40, 160}, 1.2));
    add("text-red-on-yellow", textPage(rng, {250, 240, 150}, {180, 20, 20}, 1.0));
    add("text-green-on-white", textPage(rng, {255, 255, 255}, {20, 140, 40}, 1.0));
    add("screen-light", screen(rng, false));
    add("screen-dark", screen(rng, true));
    add("stripes-4", stripes(rng, 4));
    add("stripes-12", stripes(rng, 12));
    // Skin (a hand or a face filling the frame).
    const cv::Scalar tones[] = {{240, 200, 180}, {225, 175, 140}, {200, 150, 110}, {170, 115, 80},
                                {140, 95, 65}, {100, 65, 45}};
    for (int i = 0; i < 6; ++i)
        add("skin-" + std::to_string(i), skin(rng, tones[i], i % 2 ? cv::Scalar(90, 90, 100) : cv::Scalar(220, 220, 225)));
    // Sky with clouds.
    for (int i = 0; i < 5; ++i)
        add("sky-clouds-" + std::to_string(i), sky(rng));
    // Walls, concrete, plaster.
    add("bricks-red", bricks(rng, {160, 70, 50}, {190, 185, 175}));
    add("bricks-yellow", bricks(rng, {200, 160, 100}, {120, 115, 110}));
    add("bricks-grey", bricks(rng, {120, 120, 125}, {60, 60, 60}));
    add("concrete", texture(rng, {150, 148, 145}, 30, 2, true));
    add("concrete-dark", texture(rng, {90, 90, 92}, 25, 4, true));
    add("plaster-beige", texture(rng, {225, 210, 180}, 14, 8));
    add("plaster-blue", texture(rng, {170, 200, 220}, 14, 8));
    add("plaster-white", texture(rng, {240, 238, 232}, 10, 10, true));
    // Soil, sand, wood: the ground around a cassava plant, without the plant.
    add("soil-brown", texture(rng, {110, 80, 55}, 35, 2));
    add("soil-red", texture(rng, {150, 80, 50}, 35, 3));
    add("soil-dark", texture(rng, {60, 45, 35}, 25, 2));
    add("sand", texture(rng, {215, 190, 150}, 25, 1));
    add("sand-grey", texture(rng, {180, 170, 155}, 30, 1));
    for (int i = 0; i < 3; ++i) {
        // Wood: grain lines along x (noise across rows, stretched over the width), fine noise on top.
        cv::Mat grain(kH, 1, CV_32FC1);
        rng.fill(grain, cv::RNG::NORMAL, 0, 1);
        cv::GaussianBlur(grain, grain, cv::Size(), 1.5);
        cv::normalize(grain, grain, -1, 1, cv::NORM_MINMAX);
        cv::Mat f = texture(rng, cv::Scalar(160 - 30 * i, 110 - 20 * i, 60 - 10 * i), 8, 0);
        for (int y = 0; y < kH; ++y)
            for (int x = 0; x < kW; ++x)
                for (int c = 0; c < 3; ++c)
                    f.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(f.at<cv::Vec3b>(y, x)[c] * (1 + 0.25 * grain.at<float>(y)));
        add("wood-" + std::to_string(i), f);
    }
    // Green things that are not leaves (meant to fool a colour check): painted walls, plastic,
    // fabric, a green gradient, and grass-like textures.
    add("flat-green", flat({40, 160, 60}));
    add("flat-lime", flat({170, 220, 60}));
    add("flat-olive", flat({110, 120, 40}));
    add("flat-dark-green", flat({20, 70, 30}));
    add("gradient-green", gradient({20, 80, 30}, {160, 230, 120}, true));
    add("green-fabric", texture(rng, {60, 140, 70}, 30, 1));
    add("green-plastic", texture(rng, {30, 170, 90}, 20, 30));
    add("green-wall", texture(rng, {120, 170, 110}, 12, 6));
    add("green-noise", texture(rng, {80, 150, 60}, 80, 0));
    add("grass-on-soil-sparse", grass(rng, {120, 90, 60}, 600));
    add("grass-on-soil", grass(rng, {120, 90, 60}, 2500));
    add("grass-dense", grass(rng, {40, 80, 30}, 6000));
    add("grass-dry", grass(rng, {170, 150, 90}, 2000));
    add("grass-dark", grass(rng, {20, 40, 15}, 4000));
    add("green-stripes", gradient({30, 120, 40}, {30, 120, 40}, false));
    for (int x = 0; x < kW; x += 60)
        cv::rectangle(out.back().rgb, cv::Rect(x, 0, 30, kH), cv::Scalar(200, 230, 190), cv::FILLED);
    return out;
}

int writeGenerated(const std::string& dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    int n = 0;
    for (const Generated& g : generatedPictures()) {
        cv::Mat bgr;
        cv::cvtColor(g.rgb, bgr, cv::COLOR_RGB2BGR);
        const std::string path = dir + "/" + g.name + ".png";
        if (!cv::imwrite(path, bgr)) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            return 1;
        }
        ++n;
    }
    std::printf("%d generated pictures written to %s\n", n, dir.c_str());
    return 0;
}

// ---------------------------------------------------------------------------------------------

struct Photo {
    std::string path;
    int label = -1;        // -1: not a cassava leaf
    double share = 0;      // LeafCheck
    double texture = 0;
    bool leaf = false;
    float confidence = 0;  // the model's most likely class
    int predicted = -1;
    std::string error;
};

// The leaf check the way the GUI runs it: on the photo decoded for a thumbnail (at least 128 px).
void checkPhoto(Photo& p)
{
    DecodeOptions o;
    o.minShortSide = 128;
    const DecodedImage image = ImageIo::decode(p.path, o);
    if (!image.ok()) {
        p.error = image.error;
        return;
    }
    const LeafCheck c = checkLeaf(image.rgb);
    p.share = c.plantShare;
    p.texture = c.texture;
    p.leaf = c.looksLikeLeaf;
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
    size_t leaves = 0, colourPass = 0, texturePass = 0;
    for (const Photo& p : photos)
        if (p.error.empty()) {
            shares.push_back(p.share);
            textures.push_back(p.texture);
            leaves += p.leaf;
            colourPass += p.share >= kLeafMinPlantShare;
            texturePass += p.texture >= kLeafMinTexture;
        }
    const double n = shares.empty() ? 1.0 : static_cast<double>(shares.size());
    std::printf("%-28s %5zu   %5.3f %5.3f %5.3f   %5.1f %5.1f %5.1f   %6.1f %%  %6.1f %%  %6.1f %%\n", what,
                shares.size(), quantile(shares, 0.01), quantile(shares, 0.05), quantile(shares, 0.5),
                quantile(textures, 0.01), quantile(textures, 0.05), quantile(textures, 0.5), 100.0 * colourPass / n,
                100.0 * texturePass / n, 100.0 * leaves / n);
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
            return writeGenerated(argv[i + 1]);
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
        allReal.push_back(Photo{p, -1, 0, 0, false, 0, -1, {}});
    for (Photo& p : allReal)
        checkPhoto(p);

    // Other pictures of leaves (e.g. the built-in demo's drawn ones: `cassava synth`): checked only.
    std::vector<std::pair<std::string, std::vector<Photo>>> leafSets;
    for (const std::string& dir : leafDirs) {
        std::vector<Photo> photos;
        for (const std::string& p : imagesUnder(dir))
            photos.push_back(Photo{p, -1, 0, 0, false, 0, -1, {}});
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
            photos.push_back(Photo{p, -1, 0, 0, false, 0, -1, {}});
        for (Photo& p : photos)
            checkPhoto(p);
        predictPhotos(predictor, photos);
        sets.emplace_back(dir, std::move(photos));
    }

    std::printf("\nLeaf check: plant colour share >= %.2f and texture >= %.1f\n", kLeafMinPlantShare, kLeafMinTexture);
    std::printf("%-28s %5s   %-17s   %-17s   %-8s  %-8s  %s\n", "", "", "plant share", "texture", "colour", "texture",
                "both");
    std::printf("%-28s %5s   %5s %5s %5s   %5s %5s %5s   %8s  %8s  %8s\n", "pictures", "n", "q01", "q05", "q50", "q01",
                "q05", "q50", "passes", "passes", "(leaf)");
    printCues("real photos (all of DATA)", allReal);
    printCues("real photos (hold-out)", holdOut);
    for (const auto& [dir, photos] : leafSets)
        printCues(("leaves: " + fs::path(dir).filename().string()).c_str(), photos);
    for (const auto& [dir, photos] : sets)
        printCues(fs::path(dir).filename().string().c_str(), photos);

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
