#include "TrainDashboard.h"

#include "CurvesPlot.h"
#include "JsonNumbers.h"
#include "RunDir.h"
#include "RunsModel.h"
#include "TrainController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QStyle>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace cassava::ui {

QString formatEta(double seconds)
{
    const int total = static_cast<int>(std::max(0.0, seconds) + 0.5);
    if (total >= 3600)
        return QStringLiteral("%1h%2m").arg(total / 3600).arg(total / 60 % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1m%2s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

namespace {

// "B0 · 224 px · 5 folds × 8 epochs · batch 16 · lr 0.001 · ImageNet weights"
QString settingsLine(const QString& runDir)
{
    const RunDir run(runDir.toStdString());
    nlohmann::json c;
    try {
        c = run.readJson(run.configPath());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    QStringList parts;
    parts << QString::fromStdString(c.value("model", std::string("?"))).toUpper()
          << TrainDashboard::tr("%1 px").arg(wholeValue(c, "size", 0));
    const int folds = wholeValue(c, "folds", 0);
    const int epochs = wholeValue(c, "epochs", 0);
    if (folds >= 2)
        parts << TrainDashboard::tr("%1 folds × %2 epochs").arg(folds).arg(epochs);
    else
        parts << TrainDashboard::tr("hold-out %1 % × %2 epochs").arg(c.value("val_split", 0.2) * 100).arg(epochs);
    parts << TrainDashboard::tr("batch %1").arg(wholeValue(c, "batch", 0))
          << TrainDashboard::tr("lr %1").arg(c.value("lr", 0.0), 0, 'g', 3);
    const std::string weights = c.value("weights", std::string());
    parts << (weights.empty()        ? TrainDashboard::tr("fresh weights")
              : weights == "imagenet" ? TrainDashboard::tr("ImageNet weights")
                                      : TrainDashboard::tr("weights %1").arg(QFileInfo(QString::fromStdString(weights)).fileName()));
    const std::string data = c.value("data", std::string());
    if (!data.empty())
        parts << QDir::toNativeSeparators(QString::fromStdString(data));
    return parts.join(QStringLiteral(" · "));
}

}  // namespace

TrainDashboard::TrainDashboard(TrainController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller)
{
    auto* layout = new QVBoxLayout(this);

    auto* header = new QHBoxLayout;
    title_ = new QLabel(this);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    title_->setFont(big);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    state_ = new QLabel(this);
    header->addWidget(title_);
    header->addSpacing(8);
    header->addWidget(state_);
    header->addStretch();
    openResults_ = new QPushButton(tr("Open Results"), this);
    useAsModel_ = new QPushButton(tr("Diagnose With It"), this);
    openResults_->setToolTip(tr("The confusion heatmap, per-class accuracy and predictions of this run"));
    useAsModel_->setToolTip(tr("Use this run's fold models in the Diagnose view"));
    header->addWidget(openResults_);
    header->addWidget(useAsModel_);
    layout->addLayout(header);
    settings_ = new QLabel(this);
    settings_->setWordWrap(true);
    settings_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    settings_->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(settings_);

    bannerBox_ = new QWidget(this);
    auto* bannerLayout = new QHBoxLayout(bannerBox_);
    bannerLayout->setContentsMargins(8, 6, 8, 6);
    bannerBox_->setAutoFillBackground(true);
    banner_ = new QLabel(bannerBox_);
    banner_->setWordWrap(true);
    resume_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Resume"), bannerBox_);
    resume_->setToolTip(tr("Continue from the last complete epoch (same result as an uninterrupted run)"));
    bannerLayout->addWidget(banner_, 1);
    bannerLayout->addWidget(resume_);
    layout->addWidget(bannerBox_);

    progressBox_ = new QWidget(this);
    auto* progressLayout = new QHBoxLayout(progressBox_);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progress_ = new QProgressBar(progressBox_);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progressText_ = new QLabel(progressBox_);
    cancel_ = new QPushButton(style()->standardIcon(QStyle::SP_DialogCancelButton), tr("Cancel"), progressBox_);
    cancel_->setToolTip(tr("Stop within one batch; the last complete epoch's checkpoint stays usable (Esc)"));
    progressLayout->addWidget(progress_, 1);
    progressLayout->addWidget(progressText_);
    progressLayout->addWidget(cancel_);
    layout->addWidget(progressBox_);

    auto* controls = new QHBoxLayout;
    fold_ = new QComboBox(this);
    fold_->setToolTip(tr("Folds overlaid (one colour each) or one at a time"));
    smoothing_ = new QSlider(Qt::Horizontal, this);
    smoothing_->setRange(0, 99);
    smoothing_->setValue(60);
    smoothing_->setMinimumWidth(110);
    smoothing_->setMaximumWidth(160);
    smoothing_->setToolTip(tr("Smoothing of the step loss (an exponential moving average)"));
    smoothingValue_ = new QLabel(QStringLiteral("0.60"), this);
    logScale_ = new QCheckBox(tr("&Log scale"), this);
    compare_ = new QComboBox(this);
    compare_->setToolTip(tr("Draw another run's curves, dotted, beside this one's"));
    compare_->setMinimumContentsLength(16);
    compare_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    controls->addWidget(new QLabel(tr("Folds:"), this));
    controls->addWidget(fold_);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Smoothing:"), this));
    controls->addWidget(smoothing_);
    controls->addWidget(smoothingValue_);
    controls->addSpacing(12);
    controls->addWidget(logScale_);
    controls->addStretch();
    controls->addWidget(new QLabel(tr("Compare with:"), this));
    controls->addWidget(compare_);
    layout->addLayout(controls);

    curves_ = new CurvesPlot(this);
    curves_->setMinimumHeight(260);
    layout->addWidget(curves_, 1);

    messages_ = new QListWidget(this);
    messages_->setMaximumHeight(90);
    messages_->setAlternatingRowColors(true);
    messages_->setToolTip(tr("What the training reported: unreadable images left out, notes on weights"));
    layout->addWidget(messages_);

    connect(fold_, &QComboBox::activated, this, [this] { curves_->setFold(fold_->currentData().toInt()); });
    connect(smoothing_, &QSlider::valueChanged, this, [this](int v) {
        smoothingValue_->setText(QString::number(v / 100.0, 'f', 2));
        curves_->setSmoothing(v / 100.0);
    });
    connect(logScale_, &QCheckBox::toggled, curves_, &CurvesPlot::setLogScale);
    connect(compare_, &QComboBox::activated, this, [this] { compareWith(compare_->currentData().toString()); });
    connect(cancel_, &QPushButton::clicked, this, [this] {
        controller_->cancel();
        cancel_->setEnabled(false);
        progressText_->setText(tr("Cancelling after this batch…"));
    });
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, cancel_, [this] {
        if (cancel_->isVisible() && cancel_->isEnabled())
            cancel_->click();
    });
    connect(resume_, &QPushButton::clicked, this, [this] { emit resumeRequested(path_); });
    connect(openResults_, &QPushButton::clicked, this, [this] { emit openResultsRequested(path_); });
    connect(useAsModel_, &QPushButton::clicked, this, [this] { emit useAsModelRequested(path_); });

    connect(controller_, &TrainController::historyChanged, this, [this] {
        if (isLive())
            curves_->scheduleRedraw();
    });
    connect(controller_, &TrainController::runStarted, this, [this] {
        if (isLive()) {
            updateHeader();
            updateProgress();
        }
    });
    connect(controller_, &TrainController::stepProgress, this, [this] {
        if (isLive())
            updateProgress();
    });
    connect(controller_, &TrainController::epochFinished, this, [this] {
        if (isLive())
            updateProgress();
    });
    connect(controller_, &TrainController::message, this, [this](const RunMessage& m) {
        if (isLive())
            addMessage(m);
    });
    connect(controller_, &TrainController::runFinished, this, &TrainDashboard::onRunFinished);
    clearRun();
}

bool TrainDashboard::isLive() const
{
    return !path_.isEmpty() && controller_->isRunning() &&
           QDir::cleanPath(controller_->runDir()) == QDir::cleanPath(path_);
}

void TrainDashboard::clearRun()
{
    path_.clear();
    info_ = {};
    stored_.clear();
    curves_->setHistory(nullptr, {});
    title_->setText(tr("No run selected"));
    state_->clear();
    settings_->setText(tr("Start a new training, or pick a run on the left to see its curves."));
    bannerBox_->hide();
    progressBox_->hide();
    openResults_->hide();
    useAsModel_->hide();
    messages_->clear();
    messages_->hide();
    fold_->clear();
}

void TrainDashboard::showRun(const RunInfo& info)
{
    const bool same = QDir::cleanPath(QString::fromStdString(info.path)) == QDir::cleanPath(path_);
    info_ = info;
    path_ = QString::fromStdString(info.path);
    if (!same) {
        messages_->clear();
        messages_->hide();
        if (comparisonPath_ == path_)
            compareWith({});
    }
    if (isLive()) {
        curves_->setHistory(&controller_->history(), QString::fromStdString(info.name));
        if (!same)
            for (const RunMessage& m : controller_->messages())
                addMessage(m);
    } else {
        stored_ = RunHistory::load(info.path);
        curves_->setHistory(&stored_, QString::fromStdString(info.name));
    }
    updateHeader();
    updateProgress();
    setComparableRuns(comparable_);
}

void TrainDashboard::updateHeader()
{
    const bool live = isLive();
    title_->setText(QString::fromStdString(info_.name));
    const RunState state = live ? RunState::Running : info_.state;
    QString stateText = runStateText(state);
    if (state == RunState::Running && !live)
        stateText += tr(" (in another process)");
    state_->setText(stateText);
    QPalette statePalette = state_->palette();
    statePalette.setColor(QPalette::WindowText, runStateColor(state));
    state_->setPalette(statePalette);
    settings_->setText(settingsLine(path_));

    const bool resumable = !live && info_.resumable() && !controller_->isRunning();
    QString banner;
    if (!live && info_.state == RunState::Unfinished)
        banner = tr("This run stopped after %1 of %2 epochs: the process that trained it is gone (killed, "
                    "crashed, or the machine restarted).")
                     .arg(info_.epochsDone)
                     .arg(info_.epochsPlanned());
    else if (!live && info_.state == RunState::Cancelled)
        banner = tr("This run was cancelled after %1 of %2 epochs.").arg(info_.epochsDone).arg(info_.epochsPlanned());
    else if (!live && info_.state == RunState::Failed)
        banner = tr("This run failed: %1").arg(QString::fromStdString(info_.error));
    if (resumable)
        banner += tr(" Resume continues from the last complete epoch.");
    else if (info_.resumable() && controller_->isRunning())
        banner += tr(" It can be resumed when the current training ends.");
    bannerBox_->setVisible(!banner.isEmpty());
    banner_->setText(banner);
    resume_->setVisible(info_.resumable() && !live);
    resume_->setEnabled(resumable);
    QPalette bannerPalette = bannerBox_->palette();
    QColor tint = info_.state == RunState::Failed ? QColor(0xd0, 0x3b, 0x3b) : QColor(0xe0, 0xa0, 0x20);
    tint.setAlphaF(0.18f);
    bannerPalette.setColor(QPalette::Window, tint);
    bannerBox_->setPalette(bannerPalette);

    const bool hasModels = !RunDir(info_.path).foldsWithBest().empty();
    openResults_->setVisible(!live && (info_.state == RunState::Finished || info_.state == RunState::Cancelled));
    useAsModel_->setVisible(!live && hasModels);

    // The folds this run has curves for (or will have).
    const int current = fold_->currentData().isValid() ? fold_->currentData().toInt() : CurvesPlot::allFolds;
    fold_->clear();
    fold_->addItem(tr("All"), CurvesPlot::allFolds);
    for (int k = 0; k < std::max(1, info_.folds); ++k)
        fold_->addItem(tr("Fold %1").arg(k), k);
    const int index = fold_->findData(current);
    fold_->setCurrentIndex(index < 0 ? 0 : index);
    curves_->setFold(fold_->currentData().toInt());
}

QString TrainDashboard::statusText() const { return progressText_->text(); }

void TrainDashboard::updateProgress()
{
    const bool live = isLive();
    progressBox_->setVisible(live);
    if (!live)
        return;
    cancel_->setEnabled(!controller_->cancelRequested());
    if (controller_->cancelRequested())
        return;
    const RunStarted& s = controller_->lastStarted();
    const StepProgress& p = controller_->lastStep();
    progress_->setValue(static_cast<int>(controller_->progress() * 1000));
    if (s.epochs == 0) {
        progressText_->setText(tr("Preparing: reading the dataset, computing normalization…"));
        return;
    }
    QStringList parts;
    if (s.folds > 1)
        parts << tr("fold %1 of %2").arg(controller_->foldsFinished() + 1).arg(s.folds);
    parts << tr("epoch %1 of %2").arg(p.epoch + 1).arg(s.epochs)
          << tr("batch %1 of %2").arg(p.batch).arg(p.batchesPerEpoch ? p.batchesPerEpoch : s.batchesPerEpoch);
    if (p.imagesPerSecond > 0)
        parts << tr("%1 img/s").arg(p.imagesPerSecond, 0, 'f', 1);
    if (p.etaSeconds > 0)
        parts << tr("ETA %1").arg(formatEta(p.etaSeconds));
    progressText_->setText(parts.join(QStringLiteral(" · ")));
    progress_->setToolTip(QStringLiteral("%1 · %2").arg(QString::fromStdString(s.device), tr("AMP %1").arg(QString::fromStdString(s.amp))));
}

void TrainDashboard::addMessage(const RunMessage& m)
{
    auto* item = new QListWidgetItem(QString::fromStdString(m.text), messages_);
    const QStyle::StandardPixmap icon = m.level == RunMessage::Level::Error     ? QStyle::SP_MessageBoxCritical
                                        : m.level == RunMessage::Level::Warning ? QStyle::SP_MessageBoxWarning
                                                                                : QStyle::SP_MessageBoxInformation;
    item->setIcon(style()->standardIcon(icon));
    messages_->show();
    messages_->scrollToBottom();
}

void TrainDashboard::onRunFinished(const RunFinished& finished)
{
    if (QDir::cleanPath(controller_->runDir()) != QDir::cleanPath(path_))
        return;
    if (!finished.error.empty())
        addMessage({RunMessage::Level::Error, finished.error});
    // The Train view then shows the run again as the runs list now reads it (showRun): its
    // state, and its curves from the files, which hold everything the live history had.
}

void TrainDashboard::setComparableRuns(const QList<QPair<QString, QString>>& runs)
{
    comparable_ = runs;
    compare_->clear();
    compare_->addItem(tr("(none)"), QString());
    for (const auto& [path, name] : runs)
        if (QDir::cleanPath(path) != QDir::cleanPath(path_))
            compare_->addItem(name, path);
    const int index = compare_->findData(comparisonPath_);
    compare_->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0 && !comparisonPath_.isEmpty())
        compareWith({});
}

void TrainDashboard::compareWith(const QString& path)
{
    comparisonPath_ = path;
    if (path.isEmpty()) {
        comparison_.clear();
        curves_->setComparison(nullptr, {});
        compare_->setCurrentIndex(0);
        return;
    }
    comparison_ = RunHistory::load(path.toStdString());
    curves_->setComparison(&comparison_, QFileInfo(path).fileName());
    const int index = compare_->findData(path);
    if (index >= 0)
        compare_->setCurrentIndex(index);
}

}  // namespace cassava::ui
