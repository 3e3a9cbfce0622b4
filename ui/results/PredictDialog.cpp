#include "PredictDialog.h"

#include "AppSettings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cassava::ui {

namespace {

QWidget* withButton(QLineEdit* edit, QPushButton* button)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

}  // namespace

PredictDialog::PredictDialog(const QString& runDir, const QString& images, int tta, int crops, double cropFraction,
                             QWidget* parent)
    : QDialog(parent), runDir_(runDir), job_(new SubmissionJob(this)), cropFraction_(cropFraction)
{
    setWindowTitle(tr("Predict a Submission"));
    images_ = new QLineEdit(this);
    images_->setObjectName(QStringLiteral("images"));
    auto* browseImages = new QPushButton(tr("Choose…"), this);
    connect(browseImages, &QPushButton::clicked, this, &PredictDialog::chooseImages);
    connect(images_, &QLineEdit::textChanged, this, &PredictDialog::updateSample);
    useSample_ = new QCheckBox(tr("In sample_submission.csv order"), this);
    useSample_->setObjectName(QStringLiteral("useSample"));
    sampleNote_ = new QLabel(this);
    sampleNote_->setWordWrap(true);
    QPalette subtle = sampleNote_->palette();
    QColor text = subtle.color(QPalette::WindowText);
    text.setAlphaF(0.65f);
    subtle.setColor(QPalette::WindowText, text);
    sampleNote_->setPalette(subtle);
    connect(useSample_, &QCheckBox::toggled, this, &PredictDialog::updateSampleNote);

    out_ = new QLineEdit(this);
    out_->setObjectName(QStringLiteral("out"));
    auto* browseOut = new QPushButton(tr("Save As…"), this);
    connect(browseOut, &QPushButton::clicked, this, &PredictDialog::chooseOut);

    tta_ = new QSpinBox(this);
    tta_->setRange(1, 64);
    tta_->setToolTip(tr("Test-time augmentation runs per crop: 1 plain, 2-4 add the flips, more add zoom "
                        "and contrast. Each run costs one more pass."));
    crops_ = new QSpinBox(this);
    crops_->setRange(1, 64);
    crops_->setToolTip(tr("Local crops per photo (4: the corners, as the recipe that trained on crops)."));
    setViews(tta, crops);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    buttons_ = new QDialogButtonBox(this);
    predict_ = buttons_->addButton(tr("Predict"), QDialogButtonBox::AcceptRole);
    cancel_ = buttons_->addButton(tr("Cancel Prediction"), QDialogButtonBox::ActionRole);
    buttons_->addButton(QDialogButtonBox::Close);
    predict_->setDefault(true);
    connect(predict_, &QPushButton::clicked, this, &PredictDialog::startPrediction);
    connect(cancel_, &QPushButton::clicked, job_, &SubmissionJob::cancel);
    connect(buttons_, &QDialogButtonBox::rejected, this, &PredictDialog::reject);

    auto* form = new QFormLayout;
    form->addRow(tr("Photos:"), withButton(images_, browseImages));
    form->addRow(QString(), useSample_);
    form->addRow(QString(), sampleNote_);
    form->addRow(tr("Save to:"), withButton(out_, browseOut));
    auto* views = new QHBoxLayout;
    views->addWidget(new QLabel(tr("TTA runs"), this));
    views->addWidget(tta_);
    views->addSpacing(12);
    views->addWidget(new QLabel(tr("Crops"), this));
    views->addWidget(crops_);
    views->addStretch(1);
    form->addRow(tr("Views:"), views);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("The run's fold models predict every photo; the submission lists "
                                    "image_id,label as Kaggle expects (the same file as <tt>cassava predict</tt>)."),
                                 this));
    layout->itemAt(0)->widget()->setProperty("wordWrap", true);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(buttons_);
    setMinimumWidth(560);

    connect(job_, &SubmissionJob::stageChanged, status_, &QLabel::setText);
    connect(job_, &SubmissionJob::progress, this, [this](int done, int total, double rate) {
        progress_->setRange(0, std::max(total, 1));
        progress_->setValue(done);
        progress_->setFormat(tr("%v of %m photos, %1 photos/s").arg(QLocale().toString(rate, 'f', 1)));
    });
    connect(job_, &SubmissionJob::finished, this, &PredictDialog::finished);

    setImages(images);
    setOut(freeSubmissionPath(runDir));
    setRunning(false);
}

QString PredictDialog::freeSubmissionPath(const QString& runDir)
{
    const QString first = QDir(runDir).filePath(QStringLiteral("submission.csv"));
    if (!QFileInfo::exists(first))
        return first;
    for (int n = 2;; ++n) {
        const QString next = QDir(runDir).filePath(QStringLiteral("submission-%1.csv").arg(n));
        if (!QFileInfo::exists(next))
            return next;
    }
}

void PredictDialog::setImages(const QString& folder) { images_->setText(QDir::toNativeSeparators(folder)); }
void PredictDialog::setOut(const QString& path) { out_->setText(QDir::toNativeSeparators(path)); }

void PredictDialog::setViews(int tta, int crops)
{
    tta_->setValue(tta);
    crops_->setValue(crops);
}

QString PredictDialog::images() const { return QDir::fromNativeSeparators(images_->text().trimmed()); }
QString PredictDialog::sample() const { return useSample_->isChecked() ? sample_ : QString(); }
QString PredictDialog::out() const { return QDir::fromNativeSeparators(out_->text().trimmed()); }

// Kaggle's layout: DATA/test_images beside DATA/sample_submission.csv. A new folder ticks the
// sample's order when it has one; the tick box is the user's after that.
void PredictDialog::updateSample()
{
    const QString folder = images();
    const QString candidate = folder.isEmpty() ? QString() : QDir(folder).filePath(QStringLiteral("../sample_submission.csv"));
    const bool found = !candidate.isEmpty() && QFileInfo(candidate).isFile();
    sample_ = found ? QDir::cleanPath(candidate) : QString();
    const QSignalBlocker block(useSample_);
    useSample_->setEnabled(found);
    useSample_->setChecked(found);
    updateSampleNote();
}

void PredictDialog::updateSampleNote()
{
    if (sample_.isEmpty())
        sampleNote_->setText(tr("No sample_submission.csv beside the folder: rows in file-name order."));
    else if (useSample_->isChecked())
        sampleNote_->setText(tr("Rows in the order of %1; photos it does not name are left out.")
                                 .arg(QDir::toNativeSeparators(sample_)));
    else
        sampleNote_->setText(tr("Rows in file-name order."));
}

void PredictDialog::chooseImages()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Photos to Predict"), images());
    if (!folder.isEmpty())
        setImages(folder);
}

void PredictDialog::chooseOut()
{
    // The save dialog asks before replacing a file: that answer is the confirmation.
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Submission"), out(), tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    confirmedOut_ = QDir::cleanPath(path);
    setOut(path);
}

SubmissionRequest PredictDialog::request() const
{
    SubmissionRequest r;
    r.runDir = runDir_;
    r.images = images();
    r.sample = sample();
    r.out = out();
    r.tta = tta_->value();
    r.crops = crops_->value();
    r.cropFraction = cropFraction_;
    r.device = AppSettings::instance().device();
    r.threads = AppSettings::instance().threads();
    return r;
}

bool PredictDialog::startPrediction()
{
    if (job_->isRunning())
        return false;
    const SubmissionRequest r = request();
    if (r.images.isEmpty() || !QFileInfo(r.images).isDir()) {
        status_->setText(tr("%1: not a folder. Choose the folder of photos to predict.")
                             .arg(QDir::toNativeSeparators(r.images)));
        return false;
    }
    if (r.out.isEmpty()) {
        status_->setText(tr("Choose where to save the submission."));
        return false;
    }
    if (QFileInfo::exists(r.out) && QDir::cleanPath(r.out) != confirmedOut_) {
        const auto answer = QMessageBox::question(
            this, tr("Replace Submission?"),
            tr("%1 exists. Replace it with the new submission?").arg(QDir::toNativeSeparators(r.out)),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return false;
        confirmedOut_ = QDir::cleanPath(r.out);
    }
    progress_->setRange(0, 0);  // busy until the models are loaded
    progress_->setFormat(QString());
    status_->clear();
    setRunning(true);
    job_->start(r);
    return true;
}

void PredictDialog::finished(const SubmissionOutcome& o)
{
    setRunning(false);
    progress_->setRange(0, 1);
    progress_->setValue(o.ok ? 1 : 0);
    progress_->setFormat(o.ok ? tr("Done") : QString());
    // A replaced file is confirmed once: another prediction into it asks again.
    confirmedOut_.clear();
    QString text;
    if (o.cancelled)
        text = tr("Cancelled; nothing was written.");
    else if (!o.ok)
        text = tr("Nothing was written: %1").arg(o.error);
    else
        text = tr("Wrote %1: %Ln photos (%2 photos/s).", nullptr, o.written)
                   .arg(QDir::toNativeSeparators(o.out), QLocale().toString(o.imagesPerSecond, 'f', 1));
    if (!o.note.isEmpty())
        text += QLatin1Char('\n') + o.note;
    if (!o.unreadable.isEmpty())
        text += QLatin1Char('\n') + tr("%Ln photos could not be read and are missing from the file; the first: %1",
                                       nullptr, static_cast<int>(o.unreadable.size()))
                                        .arg(o.unreadable.front());
    status_->setText(text);
    if (o.ok) {
        setOut(freeSubmissionPath(runDir_));  // the next prediction does not replace this one
        emit submissionWritten(o.out, o.written);
    }
}

void PredictDialog::setRunning(bool running)
{
    predict_->setEnabled(!running);
    cancel_->setVisible(running);
    images_->setEnabled(!running);
    out_->setEnabled(!running);
    tta_->setEnabled(!running);
    crops_->setEnabled(!running);
}

void PredictDialog::reject()
{
    if (job_->isRunning()) {
        job_->cancel();
        status_->setText(tr("Cancelling…"));
        return;  // closes when asked again after the job has stopped
    }
    QDialog::reject();
}

}  // namespace cassava::ui
