#include "PredictorArgs.h"

namespace cassava::cli {

void addComputeOptions(Args& args)
{
    args.option("seed", "S", "seed of the random TTA runs", "0")
        .option("batch", "V", "views per forward pass (0: the device's default)", "0")
        .option("device", "DEV", "auto, cpu or cuda", "auto")
        .option("amp", "MODE", "off, fp16 or bf16", "off")
        .option("workers", "N", "decoding threads (0: all cores)", "0")
        .option("threads", "N", "torch threads (0: all cores)", "0");
}

void readComputeOptions(Args& args, PredictorOptions& options)
{
    options.views.seed = static_cast<uint64_t>(args.getInt64("seed", 0));
    options.batch = args.getInt("batch", 0);
    options.device = args.get("device");
    options.amp = args.get("amp");
    options.workers = args.getInt("workers", 0);
    options.threads = args.getInt("threads", 0);
}

}  // namespace cassava::cli
