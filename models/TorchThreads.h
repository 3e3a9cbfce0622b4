#pragma once
// LibTorch may start with a single intra-op thread (it does with Debian's build on this machine),
// which makes convolutions several times slower than they need be. Every main that runs a network
// calls configureTorchThreads() once, before the first torch operation.
// This header does not include LibTorch.
namespace cassava {

// threads <= 0: one per hardware thread (std::thread::hardware_concurrency()).
// Returns the number of intra-op threads now in use.
int configureTorchThreads(int threads = 0);

}  // namespace cassava
