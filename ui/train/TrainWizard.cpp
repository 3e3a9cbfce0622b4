#include "TrainWizard.h"

#include "TrainArgs.h"
#include "TrainWizardPages.h"

#include "Dataset.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QSettings>

#include <cmath>

namespace cassava::ui {
namespace {

const char* const kLastConfigKey = "train/lastConfig";
const char* const kLastPresetKey = "train/lastPreset";

}  // namespace

NumberEdit::NumberEdit(QWidget* parent) : QLineEdit(parent)
{
    // Room for any double roundTripNumber() writes (17 digits).
    setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("-0.00000000000000000")) + 16);
}

void NumberEdit::setValue(double value)
{
    setText(QString::fromStdString(roundTripNumber(value)));
    setCursorPosition(0);  // a long number shows its leading digits
}

bool NumberEdit::hasValue() const
{
    bool ok = false;
    const double v = text().trimmed().toDouble(&ok);
    return ok && std::isfinite(v);
}

double NumberEdit::value() const { return hasValue() ? text().trimmed().toDouble() : 0.0; }

FieldMessage::FieldMessage(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    // A red that reads on light and dark windows alike.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    setStyleSheet(dark ? QStringLiteral("color: #ff8a80;") : QStringLiteral("color: #c62828;"));
    setVisible(false);
}

bool FieldMessage::setProblem(const QString& message)
{
    setText(message);
    setVisible(!message.isEmpty());
    return message.isEmpty();
}

WizardPage::WizardPage(TrainWizard* wizard) : QWizardPage(wizard), wizard_(wizard) {}

void WizardPage::revalidate()
{
    const bool valid = check();
    if (valid != valid_) {
        valid_ = valid;
        emit completeChanged();
    }
}

double estimateRunSeconds(const TrainConfig& c, int images, double secondsPerStep)
{
    const double validationShare = c.kFold() ? 1.0 / c.folds : c.valSplit;
    const double trainImages = std::floor(images * (1.0 - validationShare));
    const double valImages = images - trainImages;
    const double steps = std::max(1.0, std::floor(trainImages / std::max(1, c.batch)));
    // A validation batch is a forward pass without gradients: about a third of a training step.
    const double valBatches = std::ceil(valImages / std::max(1, c.batch));
    const double calibrationBatches =
        std::ceil(std::min<double>(c.bnCalibrationImages, trainImages) / std::max(16, c.batch));
    const double perEpoch = (steps + (valBatches + calibrationBatches) / 3.0) * secondsPerStep;
    const int folds = c.runFolds.empty() ? c.foldCount() : static_cast<int>(c.runFolds.size());
    return perEpoch * c.epochs * folds;
}

QString formatDuration(double seconds)
{
    const int s = static_cast<int>(std::lround(seconds));
    if (s < 60)
        return QObject::tr("%1 s").arg(std::max(1, s));
    if (s < 3600)
        return QObject::tr("%1 min").arg((s + 30) / 60);
    if (s < 48 * 3600)
        return QObject::tr("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
    return QObject::tr("%1 days").arg(QString::number(s / 86400.0, 'f', 1));
}

TrainWizard::TrainWizard(const QString& datasetRoot, QWidget* parent)
    : QWizard(parent), base_(TrainConfig::preset("quick"))
{
    setWindowTitle(tr("Train a model"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    setButtonText(QWizard::FinishButton, tr("Start"));
    datasetPage_ = new WizardDatasetPage(this, datasetRoot);
    modelPage_ = new WizardModelPage(this);
    schedulePage_ = new WizardSchedulePage(this);
    labelsPage_ = new WizardLabelsPage(this);
    summaryPage_ = new WizardSummaryPage(this);
    setPage(DatasetPageId, datasetPage_);
    setPage(ModelPageId, modelPage_);
    setPage(SchedulePageId, schedulePage_);
    setPage(LabelsPageId, labelsPage_);
    setPage(SummaryPageId, summaryPage_);
    resize(1000, 700);

    // The last settings a run was started with, without their dataset and run folder.
    QSettings settings;
    const QString last = settings.value(kLastConfigKey).toString();
    TrainConfig start = base_;
    if (!last.isEmpty()) {
        try {
            start = TrainConfig::fromJson(nlohmann::json::parse(last.toStdString()));
            preset_ = settings.value(kLastPresetKey).toString();
        } catch (const std::exception&) {
            start = base_;  // settings of an older version: start from the quick preset
        }
    }
    start.data.clear();
    start.out.clear();
    start.exclude.clear();
    start.relabel.clear();
    base_ = start;
    loadInto(start);
}

TrainWizard::~TrainWizard() { summaryPage_->cancelMeasurement(); }

void TrainWizard::loadInto(const TrainConfig& c)
{
    modelPage_->load(c);
    schedulePage_->load(c);
    labelsPage_->load(c);
    summaryPage_->load(c);
    if (!c.data.empty())
        datasetPage_->load(c);
}

TrainConfig TrainWizard::config() const
{
    TrainConfig c = base_;
    datasetPage_->apply(c);
    modelPage_->apply(c);
    schedulePage_->apply(c);
    labelsPage_->apply(c);
    summaryPage_->apply(c);
    c.augment.size = c.size;
    return c;
}

QString TrainWizard::commandLine() const
{
    return QString::fromStdString(shellCommand("cassava", trainCommandLine(config(), preset_.toStdString())));
}

void TrainWizard::setInitialConfig(const TrainConfig& c)
{
    base_ = c;
    preset_.clear();
    loadInto(c);
}

void TrainWizard::setLabelsFile(const QString& path) { labelsPage_->setLabelsFile(path); }

void TrainWizard::setDataset(std::shared_ptr<const Dataset> dataset)
{
    dataset_ = std::move(dataset);
    emit datasetChanged();
}

void TrainWizard::startFromPreset(const QString& name)
{
    preset_ = name;
    base_ = TrainConfig::preset(name.toStdString());
    emit baseChanged();
}

bool TrainWizard::datasetRead() const { return !datasetPage_->isReading(); }

void TrainWizard::showPageForTour(int id)
{
    restart();
    while (currentId() != id && currentId() != -1) {
        const int before = currentId();
        next();
        if (currentId() == before)
            break;  // a page refused (its validatePage): show it as it is
    }
}

bool TrainWizard::isBusy() const { return !datasetRead() || summaryPage_->isMeasuring(); }

void TrainWizard::done(int result)
{
    if (result == QDialog::Accepted)
        remember();
    summaryPage_->cancelMeasurement();
    QWizard::done(result);
}

void TrainWizard::remember() const
{
    TrainConfig c = config();
    c.data.clear();
    c.out.clear();
    c.exclude.clear();
    c.relabel.clear();
    QSettings settings;
    settings.setValue(kLastConfigKey, QString::fromStdString(c.toJson().dump()));
    settings.setValue(kLastPresetKey, preset_);
}

}  // namespace cassava::ui
