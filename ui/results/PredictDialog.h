#pragma once
// Predict a folder of photos with a run's fold ensemble and write a Kaggle submission: the photos
// (the open dataset's test_images by default, or any folder), their order (sample_submission.csv
// beside the folder when there is one, else sorted ids), the test-time views (from the run's
// recipe), and where to write (RUN/submission.csv, or the next free name beside it: an existing
// file is replaced only after the user confirms). Runs on a SubmissionJob with a progress bar
// and Cancel; the dialog stays usable while it works.
#include "SubmissionJob.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace cassava::ui {

class PredictDialog : public QDialog {
    Q_OBJECT
public:
    // `images`: the folder proposed first; tta/crops/cropFraction: the run's recipe views.
    PredictDialog(const QString& runDir, const QString& images, int tta, int crops, double cropFraction,
                  QWidget* parent = nullptr);

    void setImages(const QString& folder);  // also finds its sample_submission.csv
    void setOut(const QString& path);
    void setViews(int tta, int crops);
    QString images() const;
    QString sample() const;  // "" when the order is by file name
    QString out() const;
    SubmissionRequest request() const;
    SubmissionJob* job() const { return job_; }

    // Starts the job. A destination that exists is replaced only after a confirmation (the save
    // dialog's, or a question here). Returns false when nothing was started.
    bool startPrediction();

    // RUN/submission.csv, or submission-2.csv ... when taken: a default never names a file that exists.
    static QString freeSubmissionPath(const QString& runDir);

signals:
    void submissionWritten(const QString& path, int rows);

protected:
    void reject() override;  // Escape / Close: cancels a running job first

private:
    void chooseImages();
    void chooseOut();
    void updateSample();
    void updateSampleNote();
    void finished(const SubmissionOutcome& outcome);
    void setRunning(bool running);

    QString runDir_;
    SubmissionJob* job_ = nullptr;
    QLineEdit* images_ = nullptr;
    QCheckBox* useSample_ = nullptr;
    QLabel* sampleNote_ = nullptr;
    QLineEdit* out_ = nullptr;
    QSpinBox* tta_ = nullptr;
    QSpinBox* crops_ = nullptr;
    double cropFraction_ = 512.0 / 600.0;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QPushButton* predict_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
    QString confirmedOut_;  // the path the save dialog confirmed replacing
    QString sample_;
};

}  // namespace cassava::ui
