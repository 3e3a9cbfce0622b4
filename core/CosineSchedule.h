#pragma once
// The learning rate over training: linear warm-up, then cosine decay to a floor, as recipe A's
// Keras CosineDecay(1e-4, alpha=0.3):  lr = lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * t / T)) + alpha).
#include <cmath>
#include <cstdint>

namespace cassava {

class CosineSchedule {
public:
    CosineSchedule(double baseRate, int64_t totalSteps, double alpha = 0.0, int64_t warmupSteps = 0)
        : baseRate_(baseRate), totalSteps_(totalSteps), alpha_(alpha), warmupSteps_(warmupSteps)
    {
    }

    // Rate for optimizer step `step` (0-based).
    double rate(int64_t step) const
    {
        if (step < warmupSteps_)
            return baseRate_ * static_cast<double>(step + 1) / static_cast<double>(warmupSteps_);
        const int64_t decaySteps = totalSteps_ - warmupSteps_;
        if (decaySteps <= 0)
            return baseRate_;
        const double t = std::min<double>(static_cast<double>(step - warmupSteps_), static_cast<double>(decaySteps));
        const double cosine = 0.5 * (1.0 + std::cos(3.14159265358979323846 * t / static_cast<double>(decaySteps)));
        return baseRate_ * ((1.0 - alpha_) * cosine + alpha_);
    }

    double baseRate() const { return baseRate_; }
    int64_t totalSteps() const { return totalSteps_; }
    double alpha() const { return alpha_; }
    int64_t warmupSteps() const { return warmupSteps_; }

private:
    double baseRate_;
    int64_t totalSteps_;
    double alpha_;
    int64_t warmupSteps_;
};

}  // namespace cassava
