// The wizard's last page: every setting, how long the run will take (from a training step timed
// on this machine, on a worker thread), where it will be written, and the command line that does
// the same from a terminal.
#include "TrainWizard.h"

#include "RunsModel.h"
#include "TrainWizardPages.h"

#include "TrainArgs.h"

#include "Dataset.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace cassava::ui {
namespace {

QString onOff(bool on) { return on ? QObject::tr("on") : QObject::tr("off"); }
QString num(double v) { return QString::fromStdString(roundTripNumber(v)); }

QString describe(const TrainConfig& c)
{
    QStringList rows;
    const auto row = [&rows](const QString& key, const QString& value) {
        rows << QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(key, value.toHtmlEscaped());
    };
    row(QObject::tr("Dataset"), QString::fromStdString(c.data));
    row(QObject::tr("Model"), QObject::tr("EfficientNet-%1 at %2 px, drop connect %3, dropout %4")
                                  .arg(QString::fromStdString(c.model).toUpper())
                                  .arg(c.size)
                                  .arg(num(c.dropConnect), c.dropout < 0 ? QObject::tr("the variant's") : num(c.dropout)));
    row(QObject::tr("Weights"), c.weights.empty() ? QObject::tr("fresh")
                                : c.weights == "imagenet" ? QObject::tr("ImageNet (torchvision)")
                                                          : QString::fromStdString(c.weights));
    row(QObject::tr("Split"), c.kFold() ? QObject::tr("stratified %1-fold").arg(c.folds)
                                        : QObject::tr("hold-out of %1").arg(num(c.valSplit)));
    row(QObject::tr("Schedule"), QObject::tr("%1 epochs of batch %2, %3 lr %4, cosine floor %5, warm-up %6 epochs")
                                     .arg(c.epochs)
                                     .arg(c.batch)
                                     .arg(QString::fromStdString(c.optimizer), num(c.lr), num(c.alpha),
                                          num(c.warmupEpochs)));
    row(QObject::tr("Best epoch"), QString::fromStdString(c.selectBy));
    row(QObject::tr("Loss"), QObject::tr("label smoothing %1, class weights %2")
                                 .arg(num(c.labelSmoothing), onOff(c.balanceClasses)));
    const AugmentOptions& a = c.augment;
    const QString crop = a.crop == AugmentOptions::Crop::Random
        ? QObject::tr("random square of %1 of the short side").arg(num(a.cropFraction))
        : a.crop == AugmentOptions::Crop::Resized ? QObject::tr("resized crop of %1..%2 of the area").arg(num(a.minArea), num(a.maxArea))
                                                  : QObject::tr("whole image");
    row(QObject::tr("Augmentation"), QObject::tr("%1; flips %2/%3; rotation %4 turns; zoom %5..%6; contrast %7")
                                         .arg(crop, onOff(a.flipHorizontal), onOff(a.flipVertical), num(a.rotationTurns),
                                              num(a.zoomMin), num(a.zoomMax), num(a.contrast)));
    row(QObject::tr("Normalization"), c.adaptNormalization ? QObject::tr("from the training split") : QObject::tr("ImageNet's"));
    row(QObject::tr("Hardware"), QObject::tr("device %1, mixed precision %2, %3")
                                     .arg(QString::fromStdString(c.device), QString::fromStdString(c.amp),
                                          c.channelsLast ? QObject::tr("NHWC") : QObject::tr("NCHW")));
    row(QObject::tr("Labels"), c.relabel.empty() && c.exclude.empty()
                                   ? QObject::tr("as in train.csv")
                                   : QObject::tr("relabel %1; leave out %2")
                                         .arg(c.relabel.empty() ? QObject::tr("none") : QString::fromStdString(c.relabel),
                                              c.exclude.empty() ? QObject::tr("none") : QString::fromStdString(c.exclude)));
    row(QObject::tr("Seed"), QString::number(c.seed));
    return QStringLiteral("<table cellspacing='0' cellpadding='1'>") + rows.join(QString()) + QStringLiteral("</table>");
}

// Images the run will use: the dataset's, less what the labels page leaves out, up to the limit.
int usableImages(const TrainWizard* wizard, const TrainConfig& c, int excluded)
{
    const auto dataset = wizard->dataset();
    int images = dataset ? static_cast<int>(dataset->samples().size()) - excluded : 0;
    if (c.limit > 0)
        images = std::min(images, c.limit);
    return std::max(0, images);
}

}  // namespace

WizardSummaryPage::WizardSummaryPage(TrainWizard* wizard) : WizardPage(wizard)
{
    setTitle(tr("Summary"));
    setSubTitle(tr("Check the settings; Start runs them in the Train view."));
    settings_ = new QLabel(this);
    settings_->setTextFormat(Qt::RichText);
    settings_->setWordWrap(true);
    settings_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    estimate_ = new QLabel(this);
    estimate_->setWordWrap(true);
    runFolder_ = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse..."), this);
    runMessage_ = new FieldMessage(this);
    configMessage_ = new FieldMessage(this);
    command_ = new QPlainTextEdit(this);
    command_->setReadOnly(true);
    command_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    command_->setMaximumHeight(command_->fontMetrics().lineSpacing() * 5 + 12);
    command_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    copy_ = new QPushButton(tr("Copy"), this);
    copy_->setToolTip(tr("Copy the command line to the clipboard"));

    auto* runRow = new QHBoxLayout;
    runRow->addWidget(runFolder_, 1);
    runRow->addWidget(browse);
    auto* commandRow = new QHBoxLayout;
    commandRow->addWidget(command_, 1);
    commandRow->addWidget(copy_, 0, Qt::AlignTop);
    auto* form = new QFormLayout;
    form->addRow(tr("Estimated time:"), estimate_);
    form->addRow(tr("Run folder:"), runRow);
    form->addRow(QString(), runMessage_);
    form->addRow(tr("Command line:"), commandRow);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(settings_);
    layout->addWidget(configMessage_);
    layout->addLayout(form);
    layout->addStretch(1);

    runFolder_->setObjectName("runFolder");
    runMessage_->setObjectName("runMessage");
    command_->setObjectName("command");
    copy_->setObjectName("copy");

    watcher_ = new QFutureWatcher<StepTiming>(this);
    connect(watcher_, &QFutureWatcher<StepTiming>::finished, this, &WizardSummaryPage::showEstimate);
    connect(runFolder_, &QLineEdit::textEdited, this, [this] { runFolderEdited_ = true; });
    connect(runFolder_, &QLineEdit::textChanged, this, &WizardSummaryPage::refresh);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Parent folder of the run"),
                                                              QFileInfo(runFolder_->text()).absolutePath());
        if (!dir.isEmpty()) {
            runFolderEdited_ = true;
            runFolder_->setText(QDir(dir).filePath(QFileInfo(runFolder_->text()).fileName()));
        }
    });
    connect(copy_, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(commandLine()); });
}

WizardSummaryPage::~WizardSummaryPage() { cancelMeasurement(); }

void WizardSummaryPage::initializePage()
{
    if (!runFolderEdited_) {
        const TrainConfig c = trainWizard()->config();
        const QString dataset = trainWizard()->dataset() ? QString::fromStdString(trainWizard()->dataset()->name())
                                                         : QStringLiteral("dataset");
        runFolder_->setText(RunsModel::defaultRunsFolder() +
                            QStringLiteral("/%1-%2-%3")
                                .arg(dataset, QString::fromStdString(c.model),
                                     QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss")));
    }
    refresh();
    measure();
}

void WizardSummaryPage::cleanupPage() { cancelMeasurement(); }

void WizardSummaryPage::refresh()
{
    const TrainConfig c = trainWizard()->config();
    settings_->setText(describe(c));
    command_->setPlainText(commandLine());
    revalidate();
}

QString WizardSummaryPage::commandLine() const { return trainWizard()->commandLine(); }

void WizardSummaryPage::cancelMeasurement()
{
    if (cancel_)
        cancel_->store(true);
    cancel_.reset();
}

// Until showEstimate has run: the future finishes on the worker before its finished() signal
// reaches this thread, and in between the page still shows "measuring".
bool WizardSummaryPage::isMeasuring() const { return watcher_->isRunning() || resultPending_; }

QString WizardSummaryPage::estimateText() const { return estimate_->text(); }

void WizardSummaryPage::measure()
{
    cancelMeasurement();
    measureError_.clear();
    estimatedSeconds_ = 0;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const TrainConfig c = trainWizard()->config();
    const int classes = trainWizard()->dataset() ? trainWizard()->dataset()->numClasses() : 5;
    estimate_->setText(tr("measuring a training step of EfficientNet-%1 at %2 px, batch %3...")
                           .arg(QString::fromStdString(c.model).toUpper())
                           .arg(c.size)
                           .arg(c.batch));
    // The config and the flag are copies and shared: a cancelled measurement may outlive the page.
    const auto cancel = cancel_;
    resultPending_ = true;
    watcher_->setFuture(QtConcurrent::run([c, classes, cancel]() -> StepTiming {
        try {
            return measureTrainingStep(c, classes, 3, cancel.get());
        } catch (const std::exception& e) {
            StepTiming failed;
            failed.device = std::string("!") + e.what();
            return failed;
        }
    }));
}

void WizardSummaryPage::showEstimate()
{
    resultPending_ = false;
    const StepTiming t = watcher_->result();
    if (t.cancelled || !cancel_ || cancel_->load())
        return;  // left the page or changed the settings; a newer measurement follows
    if (!t.device.empty() && t.device[0] == '!') {
        measureError_ = QString::fromStdString(t.device.substr(1));
        estimate_->setText(tr("Could not time a step: %1").arg(measureError_));
        return;
    }
    const TrainConfig c = trainWizard()->config();
    int excluded = 0;
    if (auto* labels = qobject_cast<WizardLabelsPage*>(trainWizard()->page(TrainWizard::LabelsPageId)))
        excluded = labels->excluded();
    estimatedSeconds_ = estimateRunSeconds(c, usableImages(trainWizard(), c, excluded), t.secondsPerStep);
    estimate_->setText(tr("about %1: an estimate from a training step measured on this machine (%2 s per step of "
                          "%3 images on %4), for the training and validation steps; reading the photos adds to it.")
                           .arg(formatDuration(estimatedSeconds_), QString::number(t.secondsPerStep, 'f', 3))
                           .arg(c.batch)
                           .arg(QString::fromStdString(t.device)));
}

bool WizardSummaryPage::check()
{
    const TrainConfig c = trainWizard()->config();
    const QString folder = runFolder_->text().trimmed();
    QString run;
    if (folder.isEmpty())
        run = tr("Choose a run folder.");
    else if (QFileInfo(folder).exists() && !QFileInfo(folder).isDir())
        run = tr("%1 is a file, not a folder.").arg(folder);
    else if (QFileInfo(folder).isDir() && !QDir(folder).isEmpty())
        run = tr("%1 exists and is not empty: a run never overwrites another; choose a new folder.").arg(folder);
    bool ok = runMessage_->setProblem(run);
    ok = configMessage_->setProblem(QString::fromStdString(c.validate())) && ok;
    return ok;
}

bool WizardSummaryPage::validatePage()
{
    revalidate();
    return isComplete();
}

void WizardSummaryPage::load(const TrainConfig& c)
{
    if (!c.out.empty()) {
        runFolderEdited_ = true;
        runFolder_->setText(QString::fromStdString(c.out));
    }
}

void WizardSummaryPage::apply(TrainConfig& c) const { c.out = QDir::cleanPath(runFolder_->text().trimmed()).toStdString(); }

}  // namespace cassava::ui
