#pragma once
// The training wizard: dataset -> model -> schedule -> labels -> summary -> Start. Each page checks
// its own fields (a message beside each bad one, Next blocked until they are fixed); the summary
// shows every setting, an estimate of the run's duration from a training step measured on this
// machine, and the equivalent `cassava train ...` command line (engine/TrainArgs), which reads
// back into exactly config(). The wizard only gathers settings: the Train view runs them.
#include "TrainConfig.h"

#include <QString>
#include <QWizard>

#include <functional>
#include <memory>

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class WizardDatasetPage;
class WizardModelPage;
class WizardSchedulePage;
class WizardLabelsPage;
class WizardSummaryPage;

class TrainWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { DatasetPageId, ModelPageId, SchedulePageId, LabelsPageId, SummaryPageId };

    // Downloads (or finds in the cache) torchvision's ImageNet weights of `variant` ("b0");
    // returns the file, or "" when the user cancelled or it failed (the wizard stays on the page).
    using FetchWeights = std::function<QString(const QString& variant, QWidget* parent)>;

    // `datasetRoot`: the dataset open in the window ("" for none); the first page reads it.
    explicit TrainWizard(const QString& datasetRoot, QWidget* parent = nullptr);
    ~TrainWizard() override;

    // The settings gathered; complete and valid once the wizard was accepted.
    TrainConfig config() const;
    // The preset the schedule started from ("" when it started from a given configuration).
    QString presetName() const { return preset_; }
    // `cassava train ...` for config(), as the summary shows it.
    QString commandLine() const;

    void setFetchWeights(FetchWeights fetch) { fetchWeights_ = std::move(fetch); }
    // Start from these settings ("retrain with these settings"); the dataset and run folder too
    // when they are set.
    void setInitialConfig(const TrainConfig& config);
    // A review's decisions.csv (image_id,label: relabel) or suspects.csv (image_id: exclude).
    void setLabelsFile(const QString& path);

    // Shows page `id` as a user who clicked Next would see it (for the screenshot tour).
    void showPageForTour(int id);
    // The dataset page has read its folder (usable or not).
    bool datasetRead() const;
    // The dataset page is reading its folder or the summary is timing a step.
    bool isBusy() const;

    // For the pages.
    std::shared_ptr<const Dataset> dataset() const { return dataset_; }
    const TrainConfig& base() const { return base_; }
    const FetchWeights& fetchWeights() const { return fetchWeights_; }
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // The schedule's preset changed: it becomes the base of the fields no page shows.
    void startFromPreset(const QString& name);

signals:
    void datasetChanged();
    void baseChanged();

protected:
    void done(int result) override;

private:
    void loadInto(const TrainConfig& config);
    void remember() const;

    std::shared_ptr<const Dataset> dataset_;
    TrainConfig base_;  // what no page sets comes from here
    QString preset_ = QStringLiteral("quick");
    FetchWeights fetchWeights_;
    WizardDatasetPage* datasetPage_;
    WizardModelPage* modelPage_;
    WizardSchedulePage* schedulePage_;
    WizardLabelsPage* labelsPage_;
    WizardSummaryPage* summaryPage_;
};

}  // namespace cassava::ui
