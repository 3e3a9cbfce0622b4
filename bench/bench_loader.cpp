// The training data pipeline against the Python baseline, in one run, on the real photos:
//   ours:    Loader (threads, reduced JPEG decoding, one-affine augmentation, fused normalize),
//            with reduced decoding off, on, and from the cache (a later epoch)
//   Python:  PIL + torchvision transforms (RandomResizedCrop, flips, ToTensor, Normalize) +
//            torch DataLoader with the same number of workers and batch size (Debian's torch)
// Each prints images/s over one epoch of the 1,000 photos; the ratio is ours / Python's.
//
//   build/bench/bench_loader [DATA] [WORKERS]      (DATA: ../shared/data/cassava-sample)
#include "Dataset.h"
#include "Loader.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace cassava;

namespace {

double epochImagesPerSecond(const std::vector<LoaderItem>& items, const LoaderOptions& options,
                            const std::shared_ptr<ImageCache>& cache, int epochs = 1)
{
    Loader loader(items, options, cache);
    double rate = 0;
    for (int e = 0; e < epochs; ++e) {
        const auto start = std::chrono::steady_clock::now();
        loader.startEpoch(e);
        Batch b;
        size_t n = 0;
        while (loader.next(b))
            n += static_cast<size_t>(b.count);
        rate = n / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return rate;  // of the last epoch
}

double pythonImagesPerSecond(const std::string& data, int size, int workers, int batch)
{
    const std::string script = R"PY(
import sys, time, csv, torch
from PIL import Image
from torchvision import transforms
root, size, workers, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(1)
rows = list(csv.DictReader(open(root + '/train.csv')))
tf = transforms.Compose([transforms.RandomResizedCrop(size, scale=(0.35, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.RandomVerticalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
class DS(torch.utils.data.Dataset):
    def __len__(self): return len(rows)
    def __getitem__(self, i):
        return tf(Image.open(root + '/train_images/' + rows[i]['image_id']).convert('RGB')), int(rows[i]['label'])
loader = torch.utils.data.DataLoader(DS(), batch_size=batch, shuffle=True, num_workers=workers, prefetch_factor=4)
t = time.perf_counter(); n = 0
for x, y in loader: n += x.shape[0]
print(n / (time.perf_counter() - t))
)PY";
    const std::string path = std::filesystem::temp_directory_path() / "bench_loader_baseline.py";
    std::ofstream(path) << script;
    const std::string command = "/usr/bin/python3 " + path + " '" + data + "' " + std::to_string(size) + " " +
                                std::to_string(workers) + " " + std::to_string(batch) + " 2>/dev/null";
    FILE* p = ::popen(command.c_str(), "r");
    char buffer[64] = {0};
    const bool got = p && std::fgets(buffer, sizeof buffer, p);
    if (p)
        ::pclose(p);
    std::filesystem::remove(path);
    return got ? std::atof(buffer) : -1;
}

}  // namespace

int main(int argc, char** argv)
{
    const std::string data = argc > 1 ? argv[1] : CASSAVA_SHARED_DATA "/cassava-sample";
    const int workers = argc > 2 ? std::atoi(argv[2]) : static_cast<int>(std::thread::hardware_concurrency());
    const Dataset dataset = Dataset::open(data);
    if (!dataset.usable()) {
        std::fprintf(stderr, "bench_loader: %s is not a usable dataset (see ../shared/data/README.md)\n", data.c_str());
        return 1;
    }
    std::vector<LoaderItem> items;
    for (size_t i = 0; i < dataset.samples().size(); ++i)
        items.push_back({dataset.imagePath(dataset.samples()[i]), dataset.samples()[i].imageId,
                         dataset.samples()[i].label, static_cast<int>(i)});

    std::printf("Training pipeline on %zu photos of %s, %d workers, batch 16, one epoch each\n\n", items.size(),
                data.c_str(), workers);
    std::printf("%-5s %-46s %10s %8s\n", "size", "pipeline", "images/s", "vs py");
    for (const int size : {224, 512}) {
        LoaderOptions o;
        o.batchSize = 16;
        o.workers = workers;
        o.augment.size = size;
        o.augment.crop = AugmentOptions::Crop::Resized;  // as torchvision's RandomResizedCrop
        o.augment.rotationTurns = 0;
        o.augment.zoomMin = o.augment.zoomMax = 0;
        o.augment.contrast = 0;
        const double python = pythonImagesPerSecond(data, size, workers, 16);
        o.reducedDecoding = false;
        const double full = epochImagesPerSecond(items, o, nullptr);
        o.reducedDecoding = true;
        const double reduced = epochImagesPerSecond(items, o, nullptr);
        const double cached = epochImagesPerSecond(items, o, std::make_shared<ImageCache>(int64_t(4) << 30), 2);
        o.augment.rotationTurns = 0.25;
        o.augment.zoomMin = -0.2;
        o.augment.contrast = 0.2;
        const double recipe = epochImagesPerSecond(items, o, std::make_shared<ImageCache>(int64_t(4) << 30), 2);
        auto row = [&](const char* name, double v) {
            if (python > 0)
                std::printf("%-5d %-46s %10.1f %7.2fx\n", size, name, v, v / python);
            else
                std::printf("%-5d %-46s %10.1f %8s\n", size, name, v, "n/a");
        };
        row("Python: PIL + torchvision + DataLoader", python);
        row("ours, full decoding", full);
        row("ours, reduced decoding", reduced);
        row("ours, reduced decoding, cached (epoch 2)", cached);
        row("ours, + rotation, zoom, contrast, cached", recipe);
    }
    return 0;
}
