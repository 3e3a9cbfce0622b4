// Training-step throughput of EfficientNet-B0 on a CPU: one network using every core for each
// operation (intra-op threads) against one replica per core, each on its own thread with one
// intra-op thread, training on its share of the batch (data parallel; gradients summed).
//
//   bench_model_replicas [--batch 16] [--sizes 96,128,224] [--iterations 4]
#include "EfficientNet.h"
#include "TorchInclude.h"
#include "TorchThreads.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace cassava;

namespace {

EfficientNet makeNet()
{
    EfficientNetOptions options;
    options.variant = "b0";
    options.numClasses = 5;
    options.channelsLast = true;
    return EfficientNet(options);
}

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv)
{
    int batch = 16, iterations = 4;
    std::vector<int> sizes = {96, 128, 224};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--batch")
            batch = std::atoi(argv[i + 1]);
        else if (a == "--iterations")
            iterations = std::atoi(argv[i + 1]);
        else if (a == "--sizes") {
            sizes.clear();
            for (const char* p = argv[i + 1]; *p;) {
                sizes.push_back(std::atoi(p));
                while (*p && *p != ',')
                    ++p;
                if (*p)
                    ++p;
            }
        }
    }
    const int cores = configureTorchThreads(0);
    std::printf("size  batch  intra-op (%d threads)  %d replicas x 1 thread   ratio\n", cores, cores);
    for (int size : sizes) {
        torch::manual_seed(0);
        EfficientNet net = makeNet();
        net->train();
        const auto images = torch::randn({batch, 3, size, size}).contiguous(torch::MemoryFormat::ChannelsLast);
        const auto labels = torch::randint(0, 5, {batch}, torch::kLong);
        torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
        auto plainStep = [&] {
            adam.zero_grad();
            torch::nn::functional::cross_entropy(net->forward(images), labels).backward();
            adam.step();
        };

        // Replicas whose parameters alias the network's storage (the optimizer's update is seen by
        // all), each with its own gradients.
        std::vector<EfficientNet> replicas;
        for (int r = 0; r < cores; ++r) {
            replicas.push_back(makeNet());
            replicas.back()->train();
            auto src = net->parameters();
            auto dst = replicas.back()->parameters();
            torch::NoGradGuard noGrad;
            for (size_t p = 0; p < src.size(); ++p)
                dst[p].set_(src[p]);
        }
        auto replicaStep = [&] {
            adam.zero_grad();
            std::vector<std::thread> threads;
            const int64_t share = (batch + cores - 1) / cores;
            for (int r = 0; r < cores; ++r) {
                threads.emplace_back([&, r] {
                    // LibTorch sets a new thread's OpenMP thread count at its first parallel
                    // operation: let it, then keep this thread to itself.
                    torch::ones({2}).add_(1);
                    omp_set_num_threads(1);
                    const int64_t from = r * share, to = std::min<int64_t>(batch, from + share);
                    for (auto& p : replicas[static_cast<size_t>(r)]->parameters())
                        p.mutable_grad() = torch::Tensor();
                    auto loss = torch::nn::functional::cross_entropy(
                        replicas[static_cast<size_t>(r)]->forward(images.slice(0, from, to)), labels.slice(0, from, to));
                    (loss * static_cast<double>(to - from) / batch).backward();
                });
            }
            for (auto& t : threads)
                t.join();
            auto params = net->parameters();
            torch::NoGradGuard noGrad;
            for (size_t p = 0; p < params.size(); ++p) {
                torch::Tensor sum;
                for (auto& rep : replicas) {
                    const auto& g = rep->parameters()[p].grad();
                    if (g.defined())
                        sum = sum.defined() ? sum + g : g.clone();
                }
                params[p].mutable_grad() = sum;
            }
            adam.step();
        };
        auto best = [&](auto& step) {
            step();  // warm-up
            double b = 1e300;
            for (int i = 0; i < iterations; ++i) {
                const auto t = std::chrono::steady_clock::now();
                step();
                b = std::min(b, secondsSince(t));
            }
            return batch / b;
        };
        // Alternate so that a noisy neighbour hurts both alike.
        double plain = 0, rep = 0;
        for (int round = 0; round < 2; ++round) {
            plain = std::max(plain, best(plainStep));
            rep = std::max(rep, best(replicaStep));
        }
        std::printf("%4d  %5d  %14.1f img/s  %15.1f img/s   %.2fx\n", size, batch, plain, rep, rep / plain);
        std::fflush(stdout);
    }
    return 0;
}
