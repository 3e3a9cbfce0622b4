// The wizard's model page: which EfficientNet, at what input size, starting from which weights.
#include "TrainWizard.h"
#include "TrainWizardPages.h"

#include "Architecture.h"
#include "Checkpoint.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace cassava::ui {
namespace {

// The variant a checkpoint holds, or an error message starting with "!" (run on the pool: the
// whole file is read and checksummed).
QString checkpointVariant(const QString& path)
{
    try {
        return QString::fromStdString(readCheckpointMetadata(path.toStdString()).variant);
    } catch (const std::exception& e) {
        return "!" + QString::fromStdString(e.what());
    }
}

QString millions(int64_t n) { return QString::number(n / 1e6, 'f', 1) + QStringLiteral(" M"); }

}  // namespace

WizardModelPage::WizardModelPage(TrainWizard* wizard) : WizardPage(wizard)
{
    setTitle(tr("Model"));
    setSubTitle(tr("Larger variants learn more from the same photos and take longer per image."));
    model_ = new QComboBox(this);
    for (const Variant& v : variants())
        model_->addItem(tr("EfficientNet-%1   %2 parameters, native %3 px")
                            .arg(QString::fromStdString(v.name).toUpper())
                            .arg(millions(efficientNetParameterCount(v.name, 5)))
                            .arg(v.resolution),
                        QString::fromStdString(v.name));
    auto* countsNote = new QLabel(tr("Parameter counts with a 5-class head, from the architecture tables "
                                     "(the same as the built network)."),
                                  this);
    countsNote->setWordWrap(true);
    countsNote->setEnabled(false);

    size_ = new QSpinBox(this);
    size_->setRange(0, 2048);
    size_->setSingleStep(16);
    size_->setSuffix(tr(" px"));
    sizeHint_ = new QLabel(this);
    sizeHint_->setWordWrap(true);
    nativeSize_ = new QPushButton(this);
    presetSize_ = new QPushButton(this);
    sizeMessage_ = new FieldMessage(this);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(size_);
    sizeRow->addWidget(nativeSize_);
    sizeRow->addWidget(presetSize_);
    sizeRow->addStretch(1);

    fresh_ = new QRadioButton(tr("Fresh (random) weights"), this);
    imagenet_ = new QRadioButton(tr("ImageNet (torchvision)"), this);
    checkpoint_ = new QRadioButton(tr("A checkpoint file (.ckpt):"), this);
    auto* group = new QButtonGroup(this);
    for (QRadioButton* b : {fresh_, imagenet_, checkpoint_})
        group->addButton(b);
    fresh_->setChecked(true);
    checkpointPath_ = new QLineEdit(this);
    checkpointPath_->setPlaceholderText(tr("fold_0/best.ckpt of a run, or an imported model"));
    browse_ = new QPushButton(tr("Browse..."), this);
    weightsNote_ = new QLabel(this);
    weightsNote_->setWordWrap(true);
    weightsMessage_ = new FieldMessage(this);
    auto* checkpointRow = new QHBoxLayout;
    checkpointRow->addWidget(checkpoint_);
    checkpointRow->addWidget(checkpointPath_, 1);
    checkpointRow->addWidget(browse_);
    auto* weights = new QVBoxLayout;
    weights->addWidget(fresh_);
    weights->addWidget(imagenet_);
    weights->addLayout(checkpointRow);
    weights->addWidget(weightsNote_);
    weights->addWidget(weightsMessage_);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Network:"), model_);
    form->addRow(QString(), countsNote);
    form->addRow(tr("Input size:"), sizeRow);
    form->addRow(QString(), sizeHint_);
    form->addRow(QString(), sizeMessage_);
    form->addRow(tr("Start from:"), weights);

    checkpointWatcher_ = new QFutureWatcher<QString>(this);
    connect(checkpointWatcher_, &QFutureWatcher<QString>::finished, this, [this] {
        const QString result = checkpointWatcher_->result();
        checkedVariant_ = result.startsWith('!') ? QString() : result;
        checkpointError_ = result.startsWith('!') ? result.mid(1) : QString();
        if (checkedPath_ != checkpointPath_->text().trimmed())
            checkCheckpoint();  // the path changed while the file was read
        revalidate();
    });
    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        updateSizeHint();
        revalidate();
    });
    connect(size_, &QSpinBox::valueChanged, this, [this] {
        updateSizeHint();
        revalidate();
    });
    connect(nativeSize_, &QPushButton::clicked, this, [this] { size_->setValue(variantNamed(variant().toStdString()).resolution); });
    connect(presetSize_, &QPushButton::clicked, this, [this] { size_->setValue(trainWizard()->base().size); });
    connect(group, &QButtonGroup::buttonToggled, this, [this] {
        checkpointPath_->setEnabled(checkpoint_->isChecked());
        browse_->setEnabled(checkpoint_->isChecked());
        if (checkpoint_->isChecked())
            checkCheckpoint();
        revalidate();
    });
    connect(checkpointPath_, &QLineEdit::textChanged, this, [this] { checkCheckpoint(); revalidate(); });
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Checkpoint"), checkpointPath_->text(),
                                                          tr("Checkpoints (*.ckpt);;All files (*)"));
        if (!path.isEmpty())
            setCheckpoint(path);
    });
    connect(wizard, &TrainWizard::baseChanged, this, &WizardModelPage::updateSizeHint);
    checkpointPath_->setEnabled(false);
    browse_->setEnabled(false);
    model_->setObjectName("model");
    size_->setObjectName("size");
    imagenet_->setObjectName("imagenet");
    checkpoint_->setObjectName("checkpoint");
    checkpointPath_->setObjectName("checkpointPath");
    weightsMessage_->setObjectName("weightsMessage");
    updateSizeHint();
    revalidate();
}

QString WizardModelPage::variant() const { return model_->currentData().toString(); }

void WizardModelPage::setCheckpoint(const QString& path)
{
    checkpoint_->setChecked(true);
    checkpointPath_->setText(path);
}

void WizardModelPage::checkCheckpoint()
{
    const QString path = checkpointPath_->text().trimmed();
    if (!checkpoint_->isChecked() || path.isEmpty() || checkpointWatcher_->isRunning() || path == checkedPath_)
        return;
    checkedPath_ = path;
    checkedVariant_.clear();
    checkpointError_.clear();
    if (!QFileInfo(path).isFile()) {
        checkpointError_ = tr("%1: no such file").arg(path);
        return;
    }
    if (!QFileInfo(path).isReadable()) {
        checkpointError_ = tr("%1: not readable").arg(path);
        return;
    }
    checkpointWatcher_->setFuture(QtConcurrent::run(checkpointVariant, path));
}

void WizardModelPage::updateSizeHint()
{
    const Variant& v = variantNamed(variant().toStdString());
    const TrainConfig& base = trainWizard()->base();
    const QString name = trainWizard()->presetName();
    nativeSize_->setText(tr("%1's native %2 px").arg(QString::fromStdString(v.name).toUpper()).arg(v.resolution));
    presetSize_->setText(name.isEmpty() ? tr("the given %1 px").arg(base.size)
                                        : tr("the %1 preset's %2 px").arg(name).arg(base.size));
    nativeSize_->setEnabled(size_->value() != v.resolution);
    presetSize_->setEnabled(size_->value() != base.size);
    sizeHint_->setText(tr("Cost grows with the square of the size: %1 px costs %2x what the native %3 px does "
                          "per image.")
                           .arg(size_->value())
                           .arg(QString::number(double(size_->value()) * size_->value() / (double(v.resolution) * v.resolution), 'g', 2))
                           .arg(v.resolution));
    sizeHint_->setEnabled(false);
}

bool WizardModelPage::check()
{
    bool ok = sizeMessage_->setProblem(size_->value() < 32 || size_->value() > 1024
                                           ? tr("The input size must be within 32..1024 px.")
                                           : QString());
    QString weights;
    if (imagenet_->isChecked()) {
        weightsNote_->setText(trainWizard()->fetchWeights()
                                  ? tr("torchvision's efficientnet_%1 ImageNet weights; downloaded once when you "
                                       "press Next, then kept in the cache.").arg(variant())
                                  : tr("torchvision's efficientnet_%1 ImageNet weights; fetched when training "
                                       "starts.").arg(variant()));
    } else if (checkpoint_->isChecked()) {
        const QString path = checkpointPath_->text().trimmed();
        if (path.isEmpty())
            weights = tr("Choose a checkpoint file.");
        else if (checkpointWatcher_->isRunning() || path != checkedPath_)
            weights = tr("Reading %1...").arg(path);
        else if (!checkpointError_.isEmpty())
            weights = checkpointError_;
        else if (checkedVariant_ != variant())
            weights = tr("This checkpoint is EfficientNet-%1, not %2: choose %1 above or another file.")
                          .arg(checkedVariant_.toUpper(), variant().toUpper());
        weightsNote_->setText(weights.isEmpty() ? tr("Weights from %1 (EfficientNet-%2).")
                                                      .arg(QFileInfo(path).fileName(), checkedVariant_.toUpper())
                                                : QString());
    } else {
        weightsNote_->setText(tr("From scratch the network needs many epochs; ImageNet weights learn far more "
                                 "from a few thousand photos."));
    }
    weightsNote_->setVisible(!weightsNote_->text().isEmpty());
    ok = weightsMessage_->setProblem(weights) && ok;
    return ok;
}

bool WizardModelPage::validatePage()
{
    if (!isComplete())
        return false;
    if (!imagenet_->isChecked() || !trainWizard()->fetchWeights())
        return true;
    // The fetcher answers at once when the file is in the cache; "" means cancelled or failed.
    const QString path = trainWizard()->fetchWeights()(variant(), this);
    if (path.isEmpty()) {
        weightsMessage_->setProblem(tr("The ImageNet weights are not available: try again, or choose the file "
                                       "as a checkpoint, or start from fresh weights."));
        return false;
    }
    weightsMessage_->setProblem({});
    weightsNote_->setText(tr("ImageNet weights: %1").arg(path));
    return true;
}

void WizardModelPage::load(const TrainConfig& c)
{
    const int index = model_->findData(QString::fromStdString(c.model));
    model_->setCurrentIndex(index >= 0 ? index : 0);
    size_->setValue(c.size);
    if (c.weights.empty()) {
        fresh_->setChecked(true);
    } else if (c.weights == "imagenet") {
        imagenet_->setChecked(true);
    } else {
        setCheckpoint(QString::fromStdString(c.weights));
    }
    updateSizeHint();
    revalidate();
}

void WizardModelPage::apply(TrainConfig& c) const
{
    c.model = variant().toStdString();
    c.size = size_->value();
    c.weights = imagenet_->isChecked() ? "imagenet"
                : checkpoint_->isChecked() ? checkpointPath_->text().trimmed().toStdString()
                                           : std::string();
}

}  // namespace cassava::ui
