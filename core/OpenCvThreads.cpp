#include "OpenCvThreads.h"

#include <opencv2/core/utility.hpp>

#include <mutex>

namespace cassava {

void disableOpenCvThreadPool()
{
    static std::once_flag once;
    std::call_once(once, [] { cv::setNumThreads(0); });
}

}  // namespace cassava
