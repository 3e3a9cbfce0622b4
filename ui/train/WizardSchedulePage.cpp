// The wizard's schedule page: a preset as the starting point, then every setting of the
// optimisation, the split, the hardware and the augmentation, each checked where it is typed.
#include "TrainWizard.h"
#include "TrainWizardPages.h"

#include "Dataset.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace cassava::ui {
namespace {

QString presetDescription(const QString& name)
{
    if (name == "quick")
        return QObject::tr("quick: B0 at 96 px from scratch, 21 short epochs on a hold-out split; minutes on a "
                           "laptop CPU.");
    if (name == "recipe-a")
        return QObject::tr("recipe-a: B3 at 512 px, random crop, flips, rotation, zoom and contrast, Adam with a "
                           "cosine decay to 0.3; best by validation loss. Made for ImageNet weights and a GPU.");
    if (name == "recipe-b")
        return QObject::tr("recipe-b: B0 at 300 px, mixed precision, stratified 5-fold; best by validation "
                           "accuracy.");
    return QObject::tr("Started from the given settings; choose a preset to start over from it.");
}

// A form row: the field, and its message on the line below.
void addRow(QFormLayout* form, const QString& label, QWidget* field, FieldMessage* message)
{
    form->addRow(label, field);
    if (message)
        form->addRow(QString(), message);
}

QWidget* inRow(QWidget* parent, std::initializer_list<QWidget*> widgets)
{
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : widgets)
        layout->addWidget(w);
    layout->addStretch(1);
    return row;
}

QLabel* small(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setEnabled(false);
    return label;
}

}  // namespace

WizardSchedulePage::WizardSchedulePage(TrainWizard* wizard) : WizardPage(wizard)
{
    setTitle(tr("Schedule"));
    setSubTitle(tr("Start from a preset, then change what you need. Each field says what is wrong with it."));
    const auto message = [this] { return new FieldMessage(this); };

    preset_ = new QComboBox(this);
    for (const auto& name : TrainConfig::presetNames())
        preset_->addItem(QString::fromStdString(name));
    preset_->setPlaceholderText(tr("given settings"));
    presetNote_ = new QLabel(this);
    presetNote_->setWordWrap(true);

    auto* training = new QGroupBox(tr("Optimisation"), this);
    auto* trainingForm = new QFormLayout(training);
    epochs_ = new QSpinBox(training);
    epochs_->setRange(0, 1000);
    batch_ = new QSpinBox(training);
    batch_->setRange(0, 4096);
    for (QSpinBox* s : {epochs_, batch_})
        s->setMaximumWidth(120);
    lr_ = new NumberEdit(training);
    alpha_ = new NumberEdit(training);
    warmup_ = new NumberEdit(training);
    selectBy_ = new QComboBox(training);
    selectBy_->addItem(tr("lowest validation loss"), "val_loss");
    selectBy_->addItem(tr("highest validation accuracy"), "val_accuracy");
    labelSmoothing_ = new NumberEdit(training);
    balance_ = new QCheckBox(tr("weight classes inversely to their frequency"), training);
    seed_ = new QLineEdit(training);
    seed_->setMaximumWidth(lr_->maximumWidth() * 2);
    addRow(trainingForm, tr("Epochs per fold:"), epochs_, epochsMessage_ = message());
    addRow(trainingForm, tr("Batch size:"), batch_, batchMessage_ = message());
    addRow(trainingForm, tr("Learning rate:"), inRow(training, {lr_, small(tr("peak, after warm-up"), training)}),
           lrMessage_ = message());
    addRow(trainingForm, tr("Cosine floor:"), inRow(training, {alpha_, small(tr("x learning rate at the end"), training)}),
           alphaMessage_ = message());
    addRow(trainingForm, tr("Warm-up:"), inRow(training, {warmup_, small(tr("epochs"), training)}),
           warmupMessage_ = message());
    addRow(trainingForm, tr("Best epoch by:"), selectBy_, nullptr);
    addRow(trainingForm, tr("Label smoothing:"), labelSmoothing_, smoothingMessage_ = message());
    addRow(trainingForm, tr("Class weights:"), balance_, nullptr);
    addRow(trainingForm, tr("Seed:"), seed_, seedMessage_ = message());

    auto* split = new QGroupBox(tr("Validation and hardware"), this);
    auto* splitForm = new QFormLayout(split);
    kFold_ = new QRadioButton(tr("stratified k-fold, k ="), split);
    holdOut_ = new QRadioButton(tr("one hold-out split,"), split);
    auto* splitGroup = new QButtonGroup(this);
    splitGroup->addButton(kFold_);
    splitGroup->addButton(holdOut_);
    folds_ = new QSpinBox(split);
    folds_->setRange(2, 20);
    valSplit_ = new NumberEdit(split);
    addRow(splitForm, tr("Split:"), inRow(split, {kFold_, folds_}), nullptr);
    addRow(splitForm, QString(), inRow(split, {holdOut_, valSplit_, small(tr("of the images"), split)}),
           splitMessage_ = message());
    device_ = new QComboBox(split);
    device_->addItem(tr("auto"), "auto");
    device_->addItem(tr("CPU"), "cpu");
    if (cudaDeviceAvailable())
        device_->addItem(tr("CUDA GPU"), "cuda");
    amp_ = new QComboBox(split);
    amp_->addItem(tr("auto (fp16 on a GPU, off on the CPU)"), "auto");
    amp_->addItem(tr("off (float32)"), "off");
    amp_->addItem(tr("bf16"), "bf16");
    if (cudaDeviceAvailable())
        amp_->addItem(tr("fp16 (GPU only)"), "fp16");
    addRow(splitForm, tr("Device:"), device_, nullptr);
    addRow(splitForm, tr("Mixed precision:"), amp_, hardwareMessage_ = message());

    auto* augment = new QGroupBox(tr("Augmentation (training images only)"), this);
    auto* augmentForm = new QFormLayout(augment);
    crop_ = new QComboBox(augment);
    crop_->addItem(tr("random area and aspect, resized"), "resized");
    crop_->addItem(tr("random square window"), "random");
    crop_->addItem(tr("whole image"), "full");
    cropFraction_ = new NumberEdit(augment);
    minArea_ = new NumberEdit(augment);
    maxArea_ = new NumberEdit(augment);
    flips_ = new QComboBox(augment);
    flips_->addItem(tr("horizontal and vertical"), "both");
    flips_->addItem(tr("horizontal"), "horizontal");
    flips_->addItem(tr("vertical"), "vertical");
    flips_->addItem(tr("none"), "none");
    rotation_ = new NumberEdit(augment);
    zoomMin_ = new NumberEdit(augment);
    zoomMax_ = new NumberEdit(augment);
    contrast_ = new NumberEdit(augment);
    addRow(augmentForm, tr("Crop:"), crop_, nullptr);
    addRow(augmentForm, tr("Window:"), inRow(augment, {cropFraction_, small(tr("of the short side"), augment)}),
           nullptr);
    addRow(augmentForm, tr("Area:"), inRow(augment, {minArea_, small(tr("to"), augment), maxArea_,
                                                     small(tr("of the area"), augment)}),
           cropMessage_ = message());
    addRow(augmentForm, tr("Flips:"), flips_, nullptr);
    addRow(augmentForm, tr("Rotation:"), inRow(augment, {rotation_, small(tr("turns (0.25 = 90°)"), augment)}),
           rotationMessage_ = message());
    addRow(augmentForm, tr("Zoom:"), inRow(augment, {zoomMin_, small(tr("to"), augment), zoomMax_,
                                                     small(tr("below 0 zooms in"), augment)}),
           zoomMessage_ = message());
    addRow(augmentForm, tr("Contrast:"), inRow(augment, {contrast_, small(tr("factor 1 ± this"), augment)}),
           contrastMessage_ = message());

    auto* content = new QWidget(this);
    auto* grid = new QGridLayout(content);
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(new QLabel(tr("Preset:"), content));
    presetRow->addWidget(preset_);
    presetRow->addWidget(presetNote_, 1);
    grid->addLayout(presetRow, 0, 0, 1, 2);
    grid->addWidget(training, 1, 0, 2, 1);
    grid->addWidget(split, 1, 1);
    grid->addWidget(augment, 2, 1);
    grid->setRowStretch(3, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(preset_, &QComboBox::activated, this, [this] { choosePreset(preset_->currentText()); });
    const auto changed = [this] {
        if (!filling_)
            revalidate();
    };
    for (QSpinBox* s : {epochs_, batch_, folds_})
        connect(s, &QSpinBox::valueChanged, this, changed);
    for (QLineEdit* e : std::initializer_list<QLineEdit*>{lr_, alpha_, warmup_, valSplit_, cropFraction_, minArea_,
                                                          maxArea_, rotation_, zoomMin_, zoomMax_, contrast_,
                                                          labelSmoothing_, seed_})
        connect(e, &QLineEdit::textChanged, this, changed);
    for (QComboBox* c : {selectBy_, device_, amp_, crop_, flips_})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    connect(kFold_, &QRadioButton::toggled, this, changed);
    connect(wizard, &TrainWizard::datasetChanged, this, changed);
    // Names for the tests and the tour.
    const std::pair<QObject*, const char*> names[] = {
        {epochs_, "epochs"}, {batch_, "batch"}, {lr_, "lr"}, {alpha_, "alpha"}, {warmup_, "warmup"},
        {folds_, "folds"}, {valSplit_, "valSplit"}, {kFold_, "kFold"}, {holdOut_, "holdOut"},
        {rotation_, "rotation"}, {contrast_, "contrast"}, {seed_, "seed"}, {preset_, "preset"},
        {epochsMessage_, "epochsMessage"}, {batchMessage_, "batchMessage"}, {lrMessage_, "lrMessage"}};
    for (const auto& [object, name] : names)
        object->setObjectName(name);
    load(wizard->base());
}

QString WizardSchedulePage::preset() const { return preset_->currentIndex() >= 0 ? preset_->currentText() : QString(); }

void WizardSchedulePage::choosePreset(const QString& name)
{
    trainWizard()->startFromPreset(name);
    load(trainWizard()->base());
}

void WizardSchedulePage::initializePage() { revalidate(); }

void WizardSchedulePage::load(const TrainConfig& c)
{
    filling_ = true;
    const QString name = trainWizard()->presetName();
    preset_->setCurrentIndex(preset_->findText(name));
    presetNote_->setText(presetDescription(name));
    epochs_->setValue(c.epochs);
    batch_->setValue(c.batch);
    lr_->setValue(c.lr);
    alpha_->setValue(c.alpha);
    warmup_->setValue(c.warmupEpochs);
    (c.kFold() ? kFold_ : holdOut_)->setChecked(true);
    folds_->setValue(c.kFold() ? c.folds : 5);
    valSplit_->setValue(c.valSplit);
    selectBy_->setCurrentIndex(std::max(0, selectBy_->findData(QString::fromStdString(c.selectBy))));
    device_->setCurrentIndex(std::max(0, device_->findData(QString::fromStdString(c.device))));
    amp_->setCurrentIndex(std::max(0, amp_->findData(QString::fromStdString(c.amp))));
    const char* crop = c.augment.crop == AugmentOptions::Crop::Random ? "random"
                       : c.augment.crop == AugmentOptions::Crop::Full ? "full"
                                                                      : "resized";
    crop_->setCurrentIndex(crop_->findData(QString(crop)));
    cropFraction_->setValue(c.augment.cropFraction);
    minArea_->setValue(c.augment.minArea);
    maxArea_->setValue(c.augment.maxArea);
    const char* flips = c.augment.flipHorizontal && c.augment.flipVertical ? "both"
                        : c.augment.flipHorizontal                          ? "horizontal"
                        : c.augment.flipVertical                            ? "vertical"
                                                                            : "none";
    flips_->setCurrentIndex(flips_->findData(QString(flips)));
    rotation_->setValue(c.augment.rotationTurns);
    zoomMin_->setValue(c.augment.zoomMin);
    zoomMax_->setValue(c.augment.zoomMax);
    contrast_->setValue(c.augment.contrast);
    labelSmoothing_->setValue(c.labelSmoothing);
    balance_->setChecked(c.balanceClasses);
    seed_->setText(QString::number(c.seed));
    filling_ = false;
    revalidate();
}

void WizardSchedulePage::apply(TrainConfig& c) const
{
    c.epochs = epochs_->value();
    c.batch = batch_->value();
    c.lr = lr_->value();
    c.alpha = alpha_->value();
    c.warmupEpochs = warmup_->value();
    const TrainConfig& base = trainWizard()->base();
    if (kFold_->isChecked()) {
        c.folds = folds_->value();
    } else {
        // 0 and 1 both mean a hold-out; keep the given one.
        c.folds = base.kFold() ? 0 : base.folds;
    }
    c.valSplit = valSplit_->value();
    c.selectBy = selectBy_->currentData().toString().toStdString();
    c.device = device_->currentData().toString().toStdString();
    c.amp = amp_->currentData().toString().toStdString();
    const QString crop = crop_->currentData().toString();
    c.augment.crop = crop == "random" ? AugmentOptions::Crop::Random
                     : crop == "full" ? AugmentOptions::Crop::Full
                                      : AugmentOptions::Crop::Resized;
    c.augment.cropFraction = cropFraction_->value();
    c.augment.minArea = minArea_->value();
    c.augment.maxArea = maxArea_->value();
    const QString flips = flips_->currentData().toString();
    c.augment.flipHorizontal = flips == "both" || flips == "horizontal";
    c.augment.flipVertical = flips == "both" || flips == "vertical";
    c.augment.rotationTurns = rotation_->value();
    c.augment.zoomMin = zoomMin_->value();
    c.augment.zoomMax = zoomMax_->value();
    c.augment.contrast = contrast_->value();
    c.labelSmoothing = labelSmoothing_->value();
    c.balanceClasses = balance_->isChecked();
    c.seed = seed_->text().trimmed().toULongLong();
}

int WizardSchedulePage::trainingImages() const
{
    const auto dataset = trainWizard()->dataset();
    if (!dataset)
        return -1;
    const double images = static_cast<double>(dataset->samples().size());
    const double validation = kFold_->isChecked() ? std::ceil(images / folds_->value())
                                                  : std::ceil(images * valSplit_->value());
    return static_cast<int>(images - validation);
}

bool WizardSchedulePage::check()
{
    const auto number = [](NumberEdit* e, double low, double high, bool lowOpen, bool highOpen,
                           const QString& what) -> QString {
        if (!e->hasValue())
            return tr("%1: '%2' is not a number.").arg(what, e->text());
        const double v = e->value();
        if ((lowOpen ? v <= low : v < low) || (highOpen ? v >= high : v > high))
            return tr("%1 must be %2%3, %4%5.")
                .arg(what, lowOpen ? "in (" : "in [", QString::number(low), QString::number(high), highOpen ? ")" : "]");
        return {};
    };
    bool ok = true;
    ok &= epochsMessage_->setProblem(epochs_->value() < 1 ? tr("At least one epoch.") : QString());
    const int images = trainingImages();
    QString batch;
    if (batch_->value() < 2)
        batch = tr("At least 2 images per batch (BatchNorm needs two).");
    else if (images >= 0 && batch_->value() > images)
        batch = tr("Larger than the %1 training images of a fold: at most %1.").arg(images);
    ok &= batchMessage_->setProblem(batch);
    ok &= lrMessage_->setProblem(lr_->hasValue() && lr_->value() > 0 && lr_->value() < 10
                                     ? QString()
                                     : tr("A learning rate above 0 (typically 1e-4 to 1e-2)."));
    ok &= alphaMessage_->setProblem(number(alpha_, 0, 1, false, false, tr("The floor")));
    QString warmup = number(warmup_, 0, 1e9, false, false, tr("Warm-up"));
    if (warmup.isEmpty() && epochs_->value() >= 1 && warmup_->value() >= epochs_->value())
        warmup = tr("Warm-up must be shorter than the %1 epochs.").arg(epochs_->value());
    ok &= warmupMessage_->setProblem(warmup);
    QString split = holdOut_->isChecked() ? number(valSplit_, 0, 1, true, true, tr("The hold-out fraction")) : QString();
    if (const auto dataset = trainWizard()->dataset(); split.isEmpty() && dataset && kFold_->isChecked() &&
                                                       dataset->samples().size() < static_cast<size_t>(folds_->value()) * 2)
        split = tr("%1 folds need at least %2 images; the dataset has %3.")
                    .arg(folds_->value())
                    .arg(folds_->value() * 2)
                    .arg(dataset->samples().size());
    ok &= splitMessage_->setProblem(split);
    folds_->setEnabled(kFold_->isChecked());
    valSplit_->setEnabled(holdOut_->isChecked());
    const QString device = device_->currentData().toString(), amp = amp_->currentData().toString();
    ok &= hardwareMessage_->setProblem(amp == "fp16" && device == "cpu"
                                           ? tr("fp16 needs a CUDA GPU; use bf16 or off on the CPU.")
                                           : QString());
    const QString crop = crop_->currentData().toString();
    cropFraction_->setEnabled(crop == "random");
    minArea_->setEnabled(crop == "resized");
    maxArea_->setEnabled(crop == "resized");
    QString cropProblem;
    if (crop == "random")
        cropProblem = number(cropFraction_, 0, 1, true, false, tr("The window"));
    else if (crop == "resized") {
        cropProblem = number(minArea_, 0, 1, true, false, tr("The smallest area"));
        if (cropProblem.isEmpty())
            cropProblem = number(maxArea_, 0, 1, true, false, tr("The largest area"));
        if (cropProblem.isEmpty() && minArea_->value() > maxArea_->value())
            cropProblem = tr("The smallest area is above the largest.");
    }
    ok &= cropMessage_->setProblem(cropProblem);
    ok &= rotationMessage_->setProblem(number(rotation_, 0, 0.5, false, false, tr("Rotation")));
    QString zoom = number(zoomMin_, -0.9, 1, false, false, tr("The zoom"));
    if (zoom.isEmpty())
        zoom = number(zoomMax_, -0.9, 1, false, false, tr("The zoom"));
    if (zoom.isEmpty() && zoomMin_->value() > zoomMax_->value())
        zoom = tr("The zoom's start is above its end.");
    ok &= zoomMessage_->setProblem(zoom);
    ok &= contrastMessage_->setProblem(number(contrast_, 0, 1, false, true, tr("Contrast")));
    ok &= smoothingMessage_->setProblem(number(labelSmoothing_, 0, 1, false, true, tr("Label smoothing")));
    bool seedOk = false;
    seed_->text().trimmed().toULongLong(&seedOk);
    ok &= seedMessage_->setProblem(seedOk ? QString() : tr("A whole number of at least 0."));
    return ok;
}

}  // namespace cassava::ui
