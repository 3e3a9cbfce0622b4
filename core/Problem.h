#pragma once
// A problem found in user input is data, not an exception: it names the file and line
// so the CLI can print it and the GUI can list it.
#include <string>
#include <vector>

namespace cassava {

struct Problem {
    enum class Severity {
        Warning,  // the data is usable; something looks off (an unlisted image, say)
        Error,    // one row or file is skipped; the rest is usable
        Fatal     // the dataset cannot be used at all
    };

    Severity severity = Severity::Error;
    std::string file;  // relative to the dataset root where there is one
    int line = 0;      // 1-based; 0 when the problem is not about one line
    std::string message;

    // "train.csv:12: error: label 'x' is not an integer"
    std::string toString() const;
};

using ProblemList = std::vector<Problem>;

const char* severityName(Problem::Severity severity);
bool hasFatal(const ProblemList& problems);
int countSeverity(const ProblemList& problems, Problem::Severity severity);

}  // namespace cassava
