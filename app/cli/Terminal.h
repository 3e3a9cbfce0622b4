#pragma once
// Terminal output shared by the commands: usage errors, problem lists, and a progress line that
// redraws itself on a terminal and stays silent in logs and pipes.
#include "Args.h"

#include "Problem.h"

#include <chrono>
#include <string>

namespace cassava::cli {

int usageError(const Args& args);   // prints the error to stderr, returns Usage
int printUsage(const Args& args);   // prints the usage page to stdout, returns Ok
void printProblems(const ProblemList& problems, size_t limit = 50);

class ProgressLine {
public:
    explicit ProgressLine(std::string label);
    ~ProgressLine();
    void update(int done, int total, const std::string& extra = {});
    void finish();

private:
    std::string label_;
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, lastDraw_;
};

}  // namespace cassava::cli
