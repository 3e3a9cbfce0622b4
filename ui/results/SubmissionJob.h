#pragma once
// A Kaggle submission made from a run on a worker thread, through the same engine functions as
// `cassava predict` (planSubmission, predictSubmission, formatSubmission): the run's fold
// ensemble, the photos in sample_submission.csv order, progress and cancel. start() never blocks;
// finished() reports once per start. The file is written atomically, only when not cancelled.
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace cassava::ui {

struct SubmissionRequest {
    QString runDir;
    QString images;          // folder of photos
    QString sample;          // sample_submission.csv, or "" for sorted ids
    QString out;             // submission.csv to write (the caller has confirmed an overwrite)
    int tta = 1;             // --tta
    int crops = 1;           // --crops
    double cropFraction = 512.0 / 600.0;  // --crop-fraction
    QString device = QStringLiteral("auto");
    int threads = 0;         // torch and decoding threads; 0: all cores
};

struct SubmissionOutcome {
    bool ok = false;         // the file was written
    bool cancelled = false;
    QString error;           // why nothing was written
    QString note;            // photos left out because the sample does not name them
    QString out;
    QString description;     // the predictor, for the status line
    int written = 0;         // rows in the file
    QStringList unreadable;  // photos that could not be read (left out of the file)
    double imagesPerSecond = 0;
};

class SubmissionJob : public QObject {
    Q_OBJECT
public:
    explicit SubmissionJob(QObject* parent = nullptr);
    ~SubmissionJob() override;  // cancels and waits

    // Ignored while running.
    void start(const SubmissionRequest& request);
    void cancel();
    bool isRunning() const { return thread_ != nullptr; }

signals:
    void stageChanged(const QString& what);  // "Loading the run's models…", "Predicting…"
    void progress(int done, int total, double imagesPerSecond);
    void finished(const cassava::ui::SubmissionOutcome& outcome);

private:
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace cassava::ui

Q_DECLARE_METATYPE(cassava::ui::SubmissionOutcome)
