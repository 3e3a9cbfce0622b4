#include "SettingsDialog.h"

#include "AppSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {
QLabel* note(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}
}  // namespace

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent),
      device_(new QComboBox(this)),
      threads_(new QSpinBox(this)),
      thumbnailCache_(new QSpinBox(this)),
      abstain_(new QDoubleSpinBox(this)),
      nonLeaf_(new QCheckBox(tr("Also when a photo does not look like a cassava leaf"), this))
{
    setWindowTitle(tr("Settings"));
    const AppSettings& settings = AppSettings::instance();

    device_->addItem(tr("Automatic (a GPU when there is one)"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    device_->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(settings.device())));
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    threads_->setValue(settings.threads());

    thumbnailCache_->setRange(16, 16384);
    thumbnailCache_->setSingleStep(64);
    thumbnailCache_->setSuffix(tr(" MB"));
    thumbnailCache_->setValue(settings.thumbnailCacheMb());

    abstain_->setRange(0.0, 1.0);
    abstain_->setSingleStep(0.05);
    abstain_->setDecimals(2);
    abstain_->setValue(double(settings.abstainConfidence()));
    nonLeaf_->setChecked(settings.abstainOnNonLeaves());
    auto* resetAbstain = new QPushButton(tr("Default (%1)").arg(double(kDefaultAbstainConfidence), 0, 'f', 2), this);
    connect(resetAbstain, &QPushButton::clicked, this,
            [this] { abstain_->setValue(double(kDefaultAbstainConfidence)); });
    auto* abstainRow = new QHBoxLayout;
    abstainRow->addWidget(abstain_);
    abstainRow->addWidget(resetAbstain);
    abstainRow->addStretch();

    auto* compute = new QGroupBox(tr("Networks"), this);
    auto* computeForm = new QFormLayout(compute);
    computeForm->addRow(tr("&Device:"), device_);
    computeForm->addRow(tr("&Threads:"), threads_);

    auto* browsing = new QGroupBox(tr("Browsing"), this);
    auto* browsingForm = new QFormLayout(browsing);
    browsingForm->addRow(tr("Thumbnail &memory:"), thumbnailCache_);
    browsingForm->addRow(note(tr("Thumbnails beyond this are dropped from memory; they stay in "
                                 "the disk cache, so they come back quickly."),
                              browsing));

    auto* diagnosis = new QGroupBox(tr("Diagnosis"), this);
    auto* diagnosisForm = new QFormLayout(diagnosis);
    diagnosisForm->addRow(tr("Say \"Not sure\" &below:"), abstainRow);
    diagnosisForm->addRow(nonLeaf_);
    diagnosisForm->addRow(note(tr("Below this confidence a diagnosis names no disease and asks "
                                  "for another photo. The default was measured on real photos "
                                  "(BENCHMARKS.md); a stronger model may deserve another."),
                               diagnosis));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(compute);
    layout->addWidget(browsing);
    layout->addWidget(diagnosis);
    layout->addWidget(buttons);
}

void SettingsDialog::accept()
{
    AppSettings& settings = AppSettings::instance();
    settings.setDevice(device_->currentData().toString());
    settings.setThreads(threads_->value());
    settings.setThumbnailCacheMb(thumbnailCache_->value());
    settings.setAbstainConfidence(float(abstain_->value()));
    settings.setAbstainOnNonLeaves(nonLeaf_->isChecked());
    QDialog::accept();
}

}  // namespace cassava::ui
