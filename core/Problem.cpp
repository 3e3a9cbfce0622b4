#include "Problem.h"

#include <algorithm>

namespace cassava {

const char* severityName(Problem::Severity severity)
{
    switch (severity) {
    case Problem::Severity::Warning: return "warning";
    case Problem::Severity::Error: return "error";
    case Problem::Severity::Fatal: return "fatal";
    }
    return "error";
}

std::string Problem::toString() const
{
    std::string out = file.empty() ? std::string("<dataset>") : file;
    if (line > 0)
        out += ':' + std::to_string(line);
    out += ": ";
    out += severityName(severity);
    out += ": ";
    out += message;
    return out;
}

bool hasFatal(const ProblemList& problems)
{
    return countSeverity(problems, Problem::Severity::Fatal) > 0;
}

int countSeverity(const ProblemList& problems, Problem::Severity severity)
{
    return static_cast<int>(std::count_if(problems.begin(), problems.end(),
                                          [&](const Problem& p) { return p.severity == severity; }));
}

}  // namespace cassava
