#pragma once
// What the Results view shows of a run, read through RunDir (which alone knows the file names):
// config.json, summary.json (per-fold best metrics, OOF accuracy, per-class accuracy, the
// confusion matrix) and oof.csv (each image's given label, predicted class and confidence, for a
// confusion cell's images). A run without summary.json (unfinished, cancelled before its end) is
// read as far as it goes: its settings and the folds' best epochs from metrics.jsonl.
// No widgets; loadRunResults runs on a worker thread.
#include "Metrics.h"
#include "TrainConfig.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace cassava::ui {

struct FoldBest {
    int fold = 0;
    int bestEpoch = -1;        // 0-based, as metrics.jsonl; -1 when the fold has no epoch yet
    double bestValLoss = 0;
    double bestValAccuracy = 0;
    int epochsDone = 0;        // complete epochs (from metrics.jsonl), 0 when unknown
    bool stoppedEarly = false;
};

// One row of oof.csv: the label the run trained on (after its relabels) and the argmax.
struct OofImage {
    QString imageId;
    int given = -1;
    int predicted = -1;
    float confidence = 0;  // probability of the predicted class
};

struct RunResults {
    QString runDir;
    QString error;               // the run cannot be shown at all (no config.json, unreadable)

    TrainConfig config;
    QDateTime started;           // config.json written
    QDateTime finished;          // summary.json written; invalid without one

    bool hasSummary = false;
    QString summaryProblem;      // why there is none, or what is wrong with it
    bool completed = false;      // summary.json's "completed" (false: cancelled)
    double seconds = 0;
    int images = 0, excluded = 0, relabeled = 0;
    QStringList classNames;      // full names ("Cassava Mosaic Disease (CMD)")
    QStringList shortNames;      // "CMD"
    std::vector<FoldBest> folds;

    bool hasConfusion = false;
    ConfusionMatrix confusion{0};
    double oofAccuracy = 0;
    double balancedAccuracy = 0;
    std::vector<double> perClassAccuracy;

    std::vector<OofImage> oof;   // empty without oof.csv
    QString oofProblem;          // the first bad row of oof.csv, or why it was not read

    bool ok() const { return error.isEmpty(); }
    int classes() const { return static_cast<int>(classNames.size()); }
    // The images of a confusion cell (given label, predicted class), most confident first.
    std::vector<OofImage> cellImages(int given, int predicted) const;
    QString displayName() const;  // the run folder's name
};

// Never throws; problems are in error / summaryProblem / oofProblem.
RunResults loadRunResults(const QString& runDir);

// The matrix as CSV: a header "given \ predicted" and the short class names, then one row per
// given label with its counts.
QByteArray confusionCsv(const ConfusionMatrix& matrix, const QStringList& shortNames);

}  // namespace cassava::ui
