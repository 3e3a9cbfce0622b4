#pragma once
// A small, fully specified random generator. The standard library's distributions differ between
// implementations, so anything that must give the same bytes for the same seed (splits, synthetic
// data, augmentation) draws from here.
#include <cmath>
#include <cstdint>
#include <vector>

namespace cassava {

class Random {
public:
    explicit Random(uint64_t seed = 0) { reseed(seed); }

    void reseed(uint64_t seed)
    {
        uint64_t s = seed;
        for (auto& word : state_)
            word = splitMix64(s);
    }

    // Seeds an independent stream for item `index` of a job seeded with `seed`, so items can be
    // produced in any order, on any thread, with the same result.
    static Random forItem(uint64_t seed, uint64_t index)
    {
        uint64_t s = seed ^ (0x9E3779B97F4A7C15ull * (index + 1));
        return Random(splitMix64(s));
    }

    // xoshiro256**
    uint64_t next()
    {
        const uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

    // Uniform integer in [lo, hi] (inclusive), without modulo bias.
    int64_t uniformInt(int64_t lo, int64_t hi)
    {
        const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
        if (range == 0)
            return static_cast<int64_t>(next());
        const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
        uint64_t x;
        do {
            x = next();
        } while (x >= limit);
        return lo + static_cast<int64_t>(x % range);
    }

    bool chance(double p) { return uniform() < p; }

    // Box-Muller; one value per call keeps the stream simple to reason about.
    double normal(double mean = 0.0, double stddev = 1.0)
    {
        double u1 = uniform();
        while (u1 <= 0.0)
            u1 = uniform();
        const double u2 = uniform();
        return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Fisher-Yates, specified here so every platform shuffles alike.
    template <typename T>
    void shuffle(std::vector<T>& items)
    {
        for (size_t i = items.size(); i > 1; --i) {
            const size_t j = static_cast<size_t>(uniformInt(0, static_cast<int64_t>(i - 1)));
            std::swap(items[i - 1], items[j]);
        }
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static uint64_t splitMix64(uint64_t& x)
    {
        uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    uint64_t state_[4];
};

}  // namespace cassava
