#include "Terminal.h"

#include "Cli.h"

#include <cstdio>
#include <unistd.h>

namespace cassava::cli {

int usageError(const Args& args)
{
    std::fprintf(stderr, "cassava: %s\n", args.error().c_str());
    return Usage;
}

int printUsage(const Args& args)
{
    std::fputs(args.usage().c_str(), stdout);
    return Ok;
}

void printProblems(const ProblemList& problems, size_t limit)
{
    for (size_t i = 0; i < problems.size() && i < limit; ++i)
        std::fprintf(stderr, "%s\n", problems[i].toString().c_str());
    if (problems.size() > limit)
        std::fprintf(stderr, "... and %zu more problems (cassava inspect lists them all)\n",
                     problems.size() - limit);
}

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now())
{
}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(int done, int total, const std::string& extra)
{
    if (!enabled_ || total <= 0)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && done < total && now - lastDraw_ < std::chrono::milliseconds(100))
        return;
    lastDraw_ = now;
    shown_ = true;
    const double fraction = static_cast<double>(done) / total;
    const int width = 30;
    const int filled = static_cast<int>(fraction * width + 0.5);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double eta = done > 0 ? elapsed * (total - done) / done : 0.0;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d  %3.0f%%  ETA %4.0fs %s\x1b[K", label_.c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), '.').c_str(), done, total,
                 100.0 * fraction, eta, extra.c_str());
    std::fflush(stderr);
}

void ProgressLine::finish()
{
    if (enabled_ && shown_) {
        std::fprintf(stderr, "\r\x1b[K");
        std::fflush(stderr);
        shown_ = false;
    }
}

}  // namespace cassava::cli
