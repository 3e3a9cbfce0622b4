#pragma once
// The training wizard's pages. Each reads its part of a TrainConfig (load) and writes it back
// (apply); each re-checks its fields whenever one changes, shows a message beside a bad one, and
// reports completeness to the wizard, which blocks Next while a page is not.
#include "StepTiming.h"
#include "TrainConfig.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QWizardPage>

#include <atomic>
#include <memory>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace cassava {
class Dataset;
struct CheckpointMetadata;
}

namespace cassava::ui {

class ClassCountChart;

class DatasetOpener;
class TrainWizard;

// A number typed as text, so that any double a configuration holds shows and reads back exactly
// (a spin box would round it to its decimals).
class NumberEdit : public QLineEdit {
    Q_OBJECT
public:
    explicit NumberEdit(QWidget* parent = nullptr);
    void setValue(double value);
    bool hasValue() const;  // the text is a number
    double value() const;   // 0 when it is not
};

// The red line under a field; hidden while the field is fine.
class FieldMessage : public QLabel {
    Q_OBJECT
public:
    explicit FieldMessage(QWidget* parent = nullptr);
    // Shows `message`; returns whether it was empty (the field is fine).
    bool setProblem(const QString& message);
};

class WizardPage : public QWizardPage {
    Q_OBJECT
public:
    explicit WizardPage(TrainWizard* wizard);
    bool isComplete() const override { return valid_; }
    virtual void load(const TrainConfig& config) = 0;
    virtual void apply(TrainConfig& config) const = 0;

protected:
    // Re-checks the fields; emits completeChanged when the answer changes.
    void revalidate();
    virtual bool check() = 0;
    TrainWizard* trainWizard() const { return wizard_; }

private:
    TrainWizard* wizard_;
    bool valid_ = false;
};

class WizardDatasetPage : public WizardPage {
    Q_OBJECT
public:
    WizardDatasetPage(TrainWizard* wizard, const QString& root);
    void load(const TrainConfig& config) override;
    void apply(TrainConfig& config) const override;
    void openFolder(const QString& root);
    bool isReading() const;
    QString reason() const;  // why the dataset cannot be trained on; "" when it can

protected:
    bool check() override;

private:
    void showDataset(std::shared_ptr<const Dataset> dataset);

    QString openRoot_;
    QString requested_;  // the folder last asked for (being read, or read)
    QLineEdit* folder_;
    QPushButton* useOpen_;
    QLabel* status_;
    ClassCountChart* counts_;
    QPlainTextEdit* problems_;
    FieldMessage* message_;
    DatasetOpener* opener_;
    QString failure_;
};

class WizardModelPage : public WizardPage {
    Q_OBJECT
public:
    explicit WizardModelPage(TrainWizard* wizard);
    void load(const TrainConfig& config) override;
    void apply(TrainConfig& config) const override;
    bool validatePage() override;  // fetches ImageNet weights when asked for
    void setCheckpoint(const QString& path);

protected:
    bool check() override;

private:
    QString variant() const;
    void updateSizeHint();
    void checkCheckpoint();

    QComboBox* model_;
    QSpinBox* size_;
    QLabel* sizeHint_;
    QPushButton* nativeSize_;
    QPushButton* presetSize_;
    FieldMessage* sizeMessage_;
    QRadioButton* fresh_;
    QRadioButton* imagenet_;
    QRadioButton* checkpoint_;
    QLineEdit* checkpointPath_;
    QPushButton* browse_;
    QLabel* weightsNote_;
    FieldMessage* weightsMessage_;
    QFutureWatcher<QString>* checkpointWatcher_;
    QString checkedPath_;    // the checkpoint file last read
    QString checkedVariant_; // its variant ("" when it could not be read)
    QString checkpointError_;
};

class WizardSchedulePage : public WizardPage {
    Q_OBJECT
public:
    explicit WizardSchedulePage(TrainWizard* wizard);
    void load(const TrainConfig& config) override;
    void apply(TrainConfig& config) const override;
    void initializePage() override;
    void choosePreset(const QString& name);  // refills every field from the preset
    QString preset() const;

protected:
    bool check() override;

private:
    int trainingImages() const;  // of the smallest fold's training part

    QComboBox* preset_;
    QLabel* presetNote_;
    QSpinBox* epochs_;
    QSpinBox* batch_;
    NumberEdit* lr_;
    NumberEdit* alpha_;
    NumberEdit* warmup_;
    QRadioButton* kFold_;
    QRadioButton* holdOut_;
    QSpinBox* folds_;
    NumberEdit* valSplit_;
    QComboBox* selectBy_;
    QComboBox* device_;
    QComboBox* amp_;
    QComboBox* crop_;
    NumberEdit* cropFraction_;
    NumberEdit* minArea_;
    NumberEdit* maxArea_;
    QComboBox* flips_;
    NumberEdit* rotation_;
    NumberEdit* zoomMin_;
    NumberEdit* zoomMax_;
    NumberEdit* contrast_;
    NumberEdit* labelSmoothing_;
    QCheckBox* balance_;
    QLineEdit* seed_;
    FieldMessage *epochsMessage_, *batchMessage_, *lrMessage_, *alphaMessage_, *warmupMessage_, *splitMessage_,
        *hardwareMessage_, *cropMessage_, *rotationMessage_, *zoomMessage_, *contrastMessage_, *smoothingMessage_,
        *seedMessage_;
    bool filling_ = false;
};

class WizardLabelsPage : public WizardPage {
    Q_OBJECT
public:
    explicit WizardLabelsPage(TrainWizard* wizard);
    void load(const TrainConfig& config) override;
    void apply(TrainConfig& config) const override;
    void initializePage() override;
    void setLabelsFile(const QString& path);  // decisions.csv or suspects.csv, by its columns
    int relabelled() const { return relabelled_; }
    int excluded() const { return excluded_; }
    int unknownIds() const { return unknown_; }

protected:
    bool check() override;

private:
    QLineEdit* decisions_;
    QLineEdit* suspects_;
    QLabel* summary_;
    QPlainTextEdit* problems_;
    FieldMessage* decisionsMessage_;
    FieldMessage* suspectsMessage_;
    int relabelled_ = 0, excluded_ = 0, unknown_ = 0;
};

class WizardSummaryPage : public WizardPage {
    Q_OBJECT
public:
    explicit WizardSummaryPage(TrainWizard* wizard);
    ~WizardSummaryPage() override;
    void load(const TrainConfig& config) override;
    void apply(TrainConfig& config) const override;
    void initializePage() override;
    void cleanupPage() override;
    bool validatePage() override;

    QString commandLine() const;
    // The estimate: "measuring..." while the step is timed, then the result.
    QString estimateText() const;
    bool isMeasuring() const;
    double estimatedSeconds() const { return estimatedSeconds_; }
    void cancelMeasurement();

protected:
    bool check() override;

private:
    void measure();
    void showEstimate();
    void refresh();

    QLabel* settings_;
    QLabel* estimate_;
    QLineEdit* runFolder_;
    FieldMessage* runMessage_;
    FieldMessage* configMessage_;
    QPlainTextEdit* command_;
    QPushButton* copy_;
    QFutureWatcher<StepTiming>* watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    bool resultPending_ = false;  // a measurement started whose result showEstimate has not taken yet
    QString measureError_;
    double estimatedSeconds_ = 0;
    bool runFolderEdited_ = false;
};

// Seconds for the whole run from a measured step (see WizardSummaryPage): steps per epoch from
// the training images and the batch, validation at a third of a step per batch, times epochs and
// folds. `images`: usable images after the labels page.
double estimateRunSeconds(const TrainConfig& config, int images, double secondsPerStep);
QString formatDuration(double seconds);

}  // namespace cassava::ui
