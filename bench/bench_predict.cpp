// Prediction throughput with test-time augmentation (EfficientNet-B0, TTA x4 by default), photos
// decoded from JPEG, three ways in one run:
//   raw      the network's forward rate on pre-made tensors, in views/s divided by the views per
//            photo: the ceiling, as if decoding and augmentation cost nothing
//   recipe   the notebooks' way: per photo, decode, make its TTA copies, one forward on them
//   ours     Predictor: loader threads decode and render views while the network computes
// for several batch sizes (views per forward pass), so the CPU default can be chosen by measurement.
// Rounds alternate the three so a noisy neighbour hurts all alike; each rate is the best round's.
//
//   bench_predict [--photos 32] [--size 224] [--tta 4] [--batches 4,8,16,32] [--rounds 2] [--threads 0]
#include "Checkpoint.h"
#include "EfficientNet.h"
#include "Evaluate.h"
#include "ImageIo.h"
#include "Predictor.h"
#include "TestTimeViews.h"
#include "TorchThreads.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace cassava;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

struct Settings {
    int photos = 32;
    int size = 224;
    int tta = 4;
    std::vector<int> batches = {4, 8, 16, 32};
    int rounds = 2;
    int threads = 0;
};

double rawForward(EfficientNet& net, int batch, int views, int size)
{
    torch::NoGradGuard noGrad;
    const auto x = torch::randn({batch, 3, size, size}).contiguous(torch::MemoryFormat::ChannelsLast);
    net->forward(x);  // warm-up
    const int passes = std::max(2, (views + batch - 1) / batch);
    const auto start = Clock::now();
    for (int i = 0; i < passes; ++i)
        torch::softmax(net->forward(x), 1);
    return passes * batch / seconds(start);
}

double recipeWay(EfficientNet& net, const std::vector<std::string>& photos, const TtaOptions& tta, int size,
                 const Normalization& n)
{
    torch::NoGradGuard noGrad;
    const int views = tta.viewsPerImage();
    std::vector<float> buffer(static_cast<size_t>(views) * 3 * size * size);
    const auto start = Clock::now();
    for (size_t i = 0; i < photos.size(); ++i) {
        // The notebook's decode: the whole photo, resized by the framework.
        const DecodedImage image = ImageIo::decode(photos[i]);
        const auto plan = planViews(image.rgb.cols, image.rgb.rows, tta, i);
        for (size_t v = 0; v < plan.size(); ++v)
            renderViewInto(image.rgb, plan[v], size, n, buffer.data() + v * 3 * size * size);
        const auto x = torch::from_blob(buffer.data(), {views, 3, size, size}).contiguous(torch::MemoryFormat::ChannelsLast);
        torch::softmax(net->forward(x), 1).mean(0);
    }
    return static_cast<double>(photos.size()) / seconds(start);
}

}  // namespace

int main(int argc, char** argv)
{
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const char* v = argv[i + 1];
        if (name == "--photos")
            s.photos = std::atoi(v);
        else if (name == "--size")
            s.size = std::atoi(v);
        else if (name == "--tta")
            s.tta = std::atoi(v);
        else if (name == "--rounds")
            s.rounds = std::atoi(v);
        else if (name == "--threads")
            s.threads = std::atoi(v);
        else if (name == "--batches") {
            s.batches.clear();
            for (char* p = std::strtok(const_cast<char*>(v), ","); p; p = std::strtok(nullptr, ","))
                s.batches.push_back(std::atoi(p));
        } else {
            std::fprintf(stderr, "unknown option %s\n", name.c_str());
            return 2;
        }
    }
    const std::string images = std::string(CASSAVA_SHARED_DATA) + "/cassava-sample/train_images";
    std::vector<std::string> photos;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(images, ec))
        photos.push_back(e.path().string());
    if (photos.empty()) {
        std::printf("reference photos absent: %s (see ../shared/data/README.md); benchmark skipped\n", images.c_str());
        return 0;
    }
    std::sort(photos.begin(), photos.end());
    photos.resize(std::min<size_t>(photos.size(), static_cast<size_t>(s.photos)));
    for (const auto& p : photos)
        ImageIo::decode(p);  // the files in the page cache, for every contender alike

    const int threads = configureTorchThreads(s.threads);
    const std::string model = (fs::temp_directory_path() / "bench_predict_b0.ckpt").string();
    {
        torch::manual_seed(0);
        EfficientNetOptions o;
        o.numClasses = 5;
        EfficientNet net(o);
        CheckpointMetadata m = CheckpointMetadata::forVariant("b0", 5);
        m.inputSize = s.size;
        writeCheckpoint(model, net, m);
    }
    CheckpointMetadata meta;
    CheckpointLoadOptions load;
    load.channelsLast = true;
    EfficientNet net = loadCheckpoint(model, &meta, load);
    TtaOptions tta;
    tta.runs = s.tta;
    Normalization n;
    const int views = static_cast<int>(photos.size()) * tta.viewsPerImage();

    std::printf("EfficientNet-B0 at %d px, TTA x%d, %zu JPEG photos (800x600), %d torch threads, best of %d rounds\n",
                s.size, s.tta, photos.size(), threads, s.rounds);
    std::map<int, double> raw, ours;
    double recipe = 0;
    for (int round = 0; round < s.rounds; ++round) {
        recipe = std::max(recipe, recipeWay(net, photos, tta, s.size, n));
        for (int b : s.batches) {
            raw[b] = std::max(raw[b], rawForward(net, b, views, s.size) / tta.viewsPerImage());
            PredictorOptions po;
            po.views = tta;
            po.batch = b;
            po.threads = threads;
            const Predictor predictor = Predictor::fromCheckpoint(model, po);
            const auto start = Clock::now();
            const auto r = predictor.predict(photos);
            ours[b] = std::max(ours[b], static_cast<double>(r.size()) / seconds(start));
        }
    }
    std::printf("\nrecipe's way (one forward per photo on its %d copies): %.2f photos/s\n\n", tta.viewsPerImage(), recipe);
    std::printf("views/pass   raw forward / %d   Predictor   Predictor/raw   Predictor/recipe\n", tta.viewsPerImage());
    for (int b : s.batches)
        std::printf("%10d   %15.2f   %9.2f   %13.3f   %16.2f\n", b, raw[b], ours[b], ours[b] / raw[b], ours[b] / recipe);
    fs::remove(model, ec);
    return 0;
}
