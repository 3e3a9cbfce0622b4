#include "TestTimeViews.h"

#include "Random.h"

#include <algorithm>
#include <cmath>

namespace cassava {
namespace {

// Evenly spread positions of `count` windows of `side` along a length.
std::vector<double> spread(double length, double side, int count)
{
    std::vector<double> at;
    for (int i = 0; i < count; ++i)
        at.push_back(count == 1 ? (length - side) / 2 : (length - side) * i / (count - 1));
    return at;
}

}  // namespace

int TtaOptions::sourceShortSide(int size) const
{
    double window = crops <= 1 ? 1.0 : std::clamp(cropFraction, 0.05, 1.0);
    if (runs > 4)
        window *= 1.0 + std::min(0.0, zoomMin);  // zooming in reads a smaller window
    return static_cast<int>(std::ceil(size / std::max(window, 0.05) - 1e-6));
}

std::vector<cv::Rect2d> cropWindows(int width, int height, int crops, double fraction)
{
    const double W = width, H = height;
    if (crops <= 1) {
        const double side = std::min(W, H);
        return {cv::Rect2d((W - side) / 2, (H - side) / 2, side, side)};
    }
    const double side = std::clamp(fraction, 0.05, 1.0) * std::min(W, H);
    std::vector<cv::Rect2d> windows;
    if (crops == 5) {  // the classic five-crop: four corners and the centre
        for (double y : spread(H, side, 2))
            for (double x : spread(W, side, 2))
                windows.emplace_back(x, y, side, side);
        windows.emplace_back((W - side) / 2, (H - side) / 2, side, side);
        return windows;
    }
    // A grid with the photo's aspect: rows x cols >= crops, the last row spread over the width.
    const bool wide = W >= H;
    const double aspect = wide ? W / H : H / W;
    int across = std::max(1, static_cast<int>(std::lround(std::sqrt(crops * aspect))));
    across = std::min(across, crops);
    const int lines = (crops + across - 1) / across;
    across = (crops + lines - 1) / lines;
    int left = crops;
    const std::vector<double> lineAt = spread(wide ? H : W, side, lines);
    for (int l = 0; l < lines; ++l) {
        const int here = std::min(across, left);
        left -= here;
        for (double a : spread(wide ? W : H, side, here))
            windows.push_back(wide ? cv::Rect2d(a, lineAt[static_cast<size_t>(l)], side, side)
                                   : cv::Rect2d(lineAt[static_cast<size_t>(l)], a, side, side));
    }
    return windows;
}

std::vector<View> planViews(int width, int height, const TtaOptions& options, uint64_t item)
{
    const std::vector<cv::Rect2d> windows = cropWindows(width, height, options.crops, options.cropFraction);
    const int runs = std::max(1, options.runs);
    Random rng = Random::forItem(options.seed ^ 0x7474615F76696577ull, item);
    std::vector<View> views;
    views.reserve(windows.size() * static_cast<size_t>(runs));
    for (const cv::Rect2d& window : windows) {
        for (int run = 0; run < runs; ++run) {
            View v;
            v.window = window;
            if (run < 4) {
                // The dihedral flips first: every run adds a view the others lack.
                v.flipHorizontal = options.flips && (run == 1 || run == 3);
                v.flipVertical = options.flips && (run == 2 || run == 3);
            } else {
                v.flipHorizontal = options.flips && rng.chance(0.5);
                v.flipVertical = options.flips && rng.chance(0.5);
                v.zoom = rng.uniform(options.zoomMin, options.zoomMax);
                v.contrast = options.contrast > 0
                    ? static_cast<float>(rng.uniform(1.0 - options.contrast, 1.0 + options.contrast))
                    : 1.0f;
            }
            views.push_back(v);
        }
    }
    return views;
}

AugmentDraw viewDraw(const View& view, int size)
{
    // Output pixel (u, v) -> window, mirrored when flipped, scaled about the window's centre.
    const double S = size;
    const double scale = 1.0 + view.zoom;
    const double a = (view.flipHorizontal ? -1.0 : 1.0) * view.window.width * scale / S;
    const double d = (view.flipVertical ? -1.0 : 1.0) * view.window.height * scale / S;
    const double cx = view.window.x + view.window.width / 2, cy = view.window.y + view.window.height / 2;
    const double o = 0.5 - S / 2;
    AugmentDraw draw;
    draw.outputToSource = cv::Matx23d(a, 0, a * o + cx - 0.5, 0, d, d * o + cy - 0.5);
    draw.contrast = view.contrast;
    return draw;
}

void renderViewInto(const cv::Mat& rgb, const View& view, int size, const Normalization& normalization, float* out)
{
    renderDrawInto(rgb, viewDraw(view, size), size, normalization, out);
}

void renderViewsInto(const cv::Mat& rgb, const std::vector<View>& views, int size, const Normalization& normalization,
                     float* out)
{
    const size_t plane = static_cast<size_t>(size) * static_cast<size_t>(size);
    const size_t image = 3 * plane;
    for (size_t v = 0; v < views.size(); ++v) {
        float* target = out + v * image;
        // An earlier view with the same window, zoom and contrast differs at most by flips.
        size_t base = v;
        for (size_t u = 0; u < v && base == v; ++u)
            if (views[u].window == views[v].window && views[u].zoom == views[v].zoom &&
                views[u].contrast == views[v].contrast && !views[u].flipHorizontal && !views[u].flipVertical)
                base = u;
        if (base == v) {
            renderViewInto(rgb, views[v], size, normalization, target);
            continue;
        }
        // Mirroring the output is exact: a flipped view samples the mirrored pixel centres.
        const float* source = out + base * image;
        const bool h = views[v].flipHorizontal, vert = views[v].flipVertical;
        for (size_t c = 0; c < 3; ++c)
            for (int y = 0; y < size; ++y) {
                const float* from = source + c * plane + static_cast<size_t>(vert ? size - 1 - y : y) * size;
                float* to = target + c * plane + static_cast<size_t>(y) * size;
                if (h)
                    std::reverse_copy(from, from + size, to);
                else
                    std::copy(from, from + size, to);
            }
    }
}

cv::Mat renderViewPreview(const cv::Mat& rgb, const View& view, int size)
{
    return renderDrawPreview(rgb, viewDraw(view, size), size);
}

}  // namespace cassava
