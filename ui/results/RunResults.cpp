#include "RunResults.h"

#include "Csv.h"
#include "Denoise.h"
#include "JsonNumbers.h"
#include "LabelMap.h"
#include "RunDir.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <map>

namespace cassava::ui {

namespace {

QString fromPath(const std::string& path) { return QFile::decodeName(path.c_str()); }

QString tr(const char* text) { return QObject::tr(text); }

void setNames(RunResults& r, const std::vector<std::string>& names)
{
    r.classNames.clear();
    r.shortNames.clear();
    const LabelMap labels(names);
    for (int c = 0; c < labels.size(); ++c) {
        r.classNames << QString::fromStdString(labels.name(c));
        r.shortNames << QString::fromStdString(labels.shortName(c));
    }
}

void readSummary(const RunDir& run, RunResults& r)
{
    const nlohmann::json s = run.readJson(run.summaryPath());
    r.completed = s.value("completed", false);
    r.seconds = s.value("seconds", 0.0);
    r.images = wholeValue(s, "images", 0);
    r.excluded = wholeValue(s, "excluded", 0);
    r.relabeled = wholeValue(s, "relabeled", 0);
    if (const auto names = s.find("class_names"); names != s.end() && names->is_array())
        setNames(r, names->get<std::vector<std::string>>());
    if (const auto folds = s.find("folds"); folds != s.end() && folds->is_array())
        for (const auto& f : *folds) {
            FoldBest b;
            b.fold = wholeValue(f, "fold", 0);
            b.bestEpoch = wholeValue(f, "best_epoch", -1);
            b.bestValLoss = f.value("best_val_loss", 0.0);
            b.bestValAccuracy = f.value("best_val_accuracy", 0.0);
            b.stoppedEarly = f.value("stopped_early", false);
            r.folds.push_back(b);
        }
    if (const auto cm = s.find("confusion_matrix"); cm != s.end() && cm->is_object()) {
        r.confusion = ConfusionMatrix::fromJson(*cm);
        r.hasConfusion = r.confusion.classes() > 0;
        r.oofAccuracy = s.value("oof_accuracy", r.confusion.accuracy());
        r.balancedAccuracy = r.confusion.balancedAccuracy();
        r.perClassAccuracy = s.contains("per_class_accuracy") ? s.at("per_class_accuracy").get<std::vector<double>>()
                                                              : r.confusion.perClassAccuracy();
    }
}

// Without a summary: each fold's best epoch so far, as the epoch lines marked it.
void readFoldsFromMetrics(const RunDir& run, RunResults& r)
{
    std::map<int, FoldBest> folds;
    for (const auto& line : run.readMetrics()) {
        if (line.value("type", std::string()) != "epoch")
            continue;
        FoldBest& f = folds[wholeValue(line, "fold", 0)];
        f.fold = wholeValue(line, "fold", 0);
        f.epochsDone = std::max(f.epochsDone, wholeValue(line, "epoch", 0) + 1);
        if (line.value("best", false)) {
            f.bestEpoch = wholeValue(line, "epoch", 0);
            f.bestValLoss = line.value("val_loss", 0.0);
            f.bestValAccuracy = line.value("val_accuracy", 0.0);
        }
    }
    for (auto& [k, f] : folds)
        r.folds.push_back(f);
}

void readOof(const RunDir& run, RunResults& r)
{
    if (!QFileInfo::exists(fromPath(run.oofPath())))
        return;
    ProblemList problems;
    const ProbabilityTable table = readProbabilityCsv(run.oofPath(), problems);
    if (!problems.empty())
        r.oofProblem = QString::fromStdString(problems.front().toString());
    r.oof.reserve(table.rows());
    for (size_t i = 0; i < table.rows(); ++i) {
        const float* p = table.row(i);
        // The first largest, as the trainer's merge counted it into the confusion matrix.
        const auto best = static_cast<int>(std::max_element(p, p + table.classes) - p);
        r.oof.push_back({QString::fromStdString(table.imageIds[i]), table.labels[i], best, p[best]});
    }
}

}  // namespace

std::vector<OofImage> RunResults::cellImages(int given, int predicted) const
{
    std::vector<OofImage> out;
    for (const OofImage& o : oof)
        if (o.given == given && o.predicted == predicted)
            out.push_back(o);
    std::stable_sort(out.begin(), out.end(),
                     [](const OofImage& a, const OofImage& b) { return a.confidence > b.confidence; });
    return out;
}

QString RunResults::displayName() const { return QFileInfo(runDir).fileName(); }

RunResults loadRunResults(const QString& runDir)
{
    RunResults r;
    r.runDir = runDir;
    const RunDir run(QFile::encodeName(runDir).toStdString());
    if (!run.hasConfig()) {
        r.error = tr("%1 is not a training run: it has no config.json.").arg(QDir::toNativeSeparators(runDir));
        return r;
    }
    try {
        r.config = TrainConfig::fromJson(run.readJson(run.configPath()));
    } catch (const std::exception& e) {
        r.error = QString::fromStdString(e.what());
        return r;
    }
    r.started = QFileInfo(fromPath(run.configPath())).lastModified();
    setNames(r, LabelMap::standard().names());

    if (QFileInfo::exists(fromPath(run.summaryPath()))) {
        try {
            readSummary(run, r);
            r.hasSummary = true;
            r.finished = QFileInfo(fromPath(run.summaryPath())).lastModified();
        } catch (const std::exception& e) {
            r.summaryProblem = QString::fromStdString(e.what());
            r.folds.clear();
            r.hasConfusion = false;
        }
    } else {
        r.summaryProblem = tr("The run has no summary.json: it has not finished (or was stopped before its end). "
                              "Resume it to get its confusion matrix.");
    }
    if (!r.hasSummary)
        readFoldsFromMetrics(run, r);
    if (r.hasConfusion && r.confusion.classes() != r.classes()) {
        std::vector<std::string> names;
        for (int c = 0; c < r.confusion.classes(); ++c)
            names.push_back(tr("class %1").arg(c).toStdString());
        setNames(r, names);
    }
    try {
        readOof(run, r);
    } catch (const std::exception& e) {
        r.oofProblem = QString::fromStdString(e.what());
    }
    return r;
}

QByteArray confusionCsv(const ConfusionMatrix& matrix, const QStringList& shortNames)
{
    auto name = [&](int c) {
        return c < shortNames.size() ? shortNames[c].toStdString() : std::to_string(c);
    };
    std::string text = csvField("given \\ predicted");
    for (int p = 0; p < matrix.classes(); ++p)
        text += "," + csvField(name(p));
    text += "\n";
    for (int g = 0; g < matrix.classes(); ++g) {
        text += csvField(name(g));
        for (int p = 0; p < matrix.classes(); ++p)
            text += "," + std::to_string(matrix.at(g, p));
        text += "\n";
    }
    return QByteArray::fromStdString(text);
}

}  // namespace cassava::ui
