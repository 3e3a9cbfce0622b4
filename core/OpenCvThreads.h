#pragma once
// OpenCV's own thread pool is switched off for the whole process before our threads use OpenCV.
// The loader, the generator and inspection already work one image per thread, so OpenCV's pool
// (oneTBB in Debian 12's build) only oversubscribes the cores. It is also a crash: with the TBB
// backend cv::setNumThreads re-creates a global task arena, so calling it from each worker thread as
// it starts (as the loader once did, every epoch) races on that arena; the result was an occasional
// segfault in libtbb.so after many epochs. So it is called once, here, with 0: OpenCV then runs
// every function on the calling thread and never enters TBB.
namespace cassava {

void disableOpenCvThreadPool();  // idempotent, thread-safe

}  // namespace cassava
