#pragma once
// The generated pictures of bench_abstain: 800x600 pictures that are not cassava leaves, drawn
// deterministically from one seed (flat colours, gradients, noise, text and screens, skin, sky,
// walls, soil, sand and wood, and green things meant to fool a colour check: paint, plastic,
// fabric, grass-like textures). Header-only: one program includes it.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace abstain_pictures {
inline constexpr int kW = 800, kH = 600;

inline cv::Mat flat(cv::Scalar rgb) { return cv::Mat(kH, kW, CV_8UC3, rgb); }

inline cv::Mat gradient(cv::Scalar a, cv::Scalar b, bool vertical)
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
inline cv::Mat texture(cv::RNG& rng, cv::Scalar base, double amount, double scale, bool grey = false)
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

inline cv::Mat textPage(cv::RNG& rng, cv::Scalar paper, cv::Scalar ink, double fontScale)
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

inline cv::Mat skin(cv::RNG& rng, cv::Scalar tone, cv::Scalar background)
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

inline cv::Mat sky(cv::RNG& rng)
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

inline cv::Mat bricks(cv::RNG& rng, cv::Scalar brick, cv::Scalar mortar)
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
inline cv::Mat grass(cv::RNG& rng, cv::Scalar ground, int blades)
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

inline cv::Mat stripes(cv::RNG& rng, int n)
{
    cv::Mat m(kH, kW, CV_8UC3);
    const int w = kW / n;
    for (int i = 0; i < n; ++i)
        cv::rectangle(m, cv::Rect(i * w, 0, w + 1, kH),
                      cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256)), cv::FILLED);
    return m;
}

inline cv::Mat screen(cv::RNG& rng, bool dark)
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

inline std::vector<Generated> generatedPictures()
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

inline int writeGenerated(const std::string& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
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

}  // namespace abstain_pictures
