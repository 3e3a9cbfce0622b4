#pragma once
// The options every command that runs a Predictor shares (predict, diagnose, denoise): the seed of
// the random TTA runs and where and how the network computes.
#include "Args.h"

#include "Predictor.h"

namespace cassava::cli {

void addComputeOptions(Args& args);  // --seed --batch --device --amp --workers --threads
// Reads them into `options`; a malformed value is recorded in args.error().
void readComputeOptions(Args& args, PredictorOptions& options);

}  // namespace cassava::cli
