#include "RunPredictions.h"

#include "Dataset.h"
#include "Denoise.h"
#include "RunDir.h"

#include <QDir>
#include <QFile>
#include <QObject>

#include <algorithm>
#include <exception>
#include <limits>

namespace cassava::ui {

RunPredictions loadRunPredictions(const QString& runDir, const Dataset& dataset)
{
    RunPredictions out;
    out.runDir = runDir;
    const std::string path = RunDir(QFile::encodeName(runDir).toStdString()).oofPath();
    if (!QFile::exists(QFile::decodeName(path.c_str()))) {
        out.error = QObject::tr("%1: not found (the run has no out-of-fold predictions yet)")
                        .arg(QDir::toNativeSeparators(QFile::decodeName(path.c_str())));
        return out;
    }
    ProblemList problems;
    ProbabilityTable table;
    try {
        table = readProbabilityCsv(path, problems);
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(e.what());
        return out;
    }
    out.rows = static_cast<int>(table.rows());
    out.skipped = static_cast<int>(problems.size());
    if (!problems.empty())
        out.firstProblem = QString::fromStdString(problems.front().toString());

    const size_t samples = dataset.samples().size();
    out.predicted.assign(samples, -1);
    out.confidence.assign(samples, std::numeric_limits<float>::quiet_NaN());
    out.loss.assign(samples, std::numeric_limits<float>::quiet_NaN());
    for (size_t i = 0; i < table.rows(); ++i) {
        const int sample = dataset.indexOf(table.imageIds[i]);
        if (sample < 0)
            continue;
        const float* p = table.row(i);
        const auto best = static_cast<int>(std::max_element(p, p + table.classes) - p);
        const int label = table.labels[i];
        const auto s = static_cast<size_t>(sample);
        out.predicted[s] = static_cast<signed char>(best);
        out.confidence[s] = p[best];
        // The label the run trained on (after its relabels), as its validation loss used.
        out.loss[s] = -std::log(std::max(p[label], 1e-7f));
        ++out.matched;
    }
    return out;
}

}  // namespace cassava::ui
