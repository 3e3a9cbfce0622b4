#include "WeightsFetchDialog.h"

#include "PretrainedWeights.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <stdexcept>

namespace cassava::ui {
namespace {

QString megabytes(qint64 bytes) { return QString::number(static_cast<double>(bytes) / 1e6, 'f', 1); }

}  // namespace

bool WeightsFetchDialog::isCached(const QString& variant)
{
    try {
        return !cachedImageNetWeights(variant.toStdString()).empty();
    } catch (const std::exception&) {
        return false;  // not b0..b7
    }
}

QString WeightsFetchDialog::ensure(const QString& variant, QWidget* parent)
{
    try {
        if (const std::string cached = cachedImageNetWeights(variant.toStdString()); !cached.empty())
            return QString::fromStdString(cached);
    } catch (const std::exception& e) {
        QMessageBox::warning(parent, tr("ImageNet weights"), QString::fromStdString(e.what()));
        return {};
    }
    for (;;) {
        WeightsFetchDialog dialog(variant, parent);
        dialog.start();
        dialog.exec();
        if (!dialog.path_.isEmpty() || dialog.cancelled_)
            return dialog.path_;
        QMessageBox box(QMessageBox::Warning, tr("ImageNet weights"),
                        tr("The ImageNet weights for EfficientNet-%1 could not be fetched.").arg(variant.toUpper()),
                        QMessageBox::Retry | QMessageBox::Close, parent);
        box.setInformativeText(dialog.error_);
        box.setTextInteractionFlags(Qt::TextSelectableByMouse);  // the URL can be copied
        box.setDefaultButton(QMessageBox::Close);
        if (box.exec() != QMessageBox::Retry)
            return {};
    }
}

WeightsFetchDialog::WeightsFetchDialog(const QString& variant, QWidget* parent)
    : QDialog(parent), variant_(variant), label_(new QLabel(this)), detail_(new QLabel(this)),
      bar_(new QProgressBar(this))
{
    setWindowTitle(tr("ImageNet weights"));
    setModal(true);
    url_ = QString::fromStdString(imageNetWeightsUrl(variant.toStdString()));
    label_->setText(tr("Downloading torchvision's ImageNet weights for EfficientNet-%1 (once; they are kept "
                       "in the cache)\nfrom %2")
                        .arg(variant.toUpper(), url_));
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar_->setRange(0, 0);  // until the server says the size
    bar_->setMinimumWidth(380);
    detail_->setText(tr("Connecting..."));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    cancelButton_ = buttons->button(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &WeightsFetchDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label_);
    layout->addWidget(bar_);
    layout->addWidget(detail_);
    layout->addWidget(buttons);
}

WeightsFetchDialog::~WeightsFetchDialog()
{
    cancel_ = true;
    if (worker_.joinable())
        worker_.join();  // only when destroyed mid-download: a cancel takes effect within a second
}

void WeightsFetchDialog::start()
{
    clock_.start();
    const std::string variant = variant_.toStdString();
    // The worker posts to the dialog's thread; the destructor joins it before the dialog goes,
    // and Qt drops events posted to a deleted object.
    worker_ = std::thread([this, variant] {
        FetchOptions options;
        options.cancel = &cancel_;
        options.progress = [this](int64_t done, int64_t total) {
            QMetaObject::invokeMethod(this, [this, done, total] { showProgress(done, total); }, Qt::QueuedConnection);
        };
        QString path, error;
        bool cancelled = false;
        try {
            path = QString::fromStdString(fetchImageNetWeights(variant, options));
        } catch (const DownloadCancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, path, error, cancelled] { finish(path, error, cancelled); },
                                  Qt::QueuedConnection);
    });
}

void WeightsFetchDialog::showProgress(qint64 done, qint64 total)
{
    if (firstBytes_ < 0)
        firstBytes_ = done;
    const double seconds = static_cast<double>(clock_.elapsed()) / 1000.0;
    const double speed = seconds > 0.2 ? static_cast<double>(done - firstBytes_) / seconds : 0.0;
    if (total > 0) {
        // Kilobytes: a QProgressBar counts in int.
        bar_->setRange(0, static_cast<int>(total / 1024));
        bar_->setValue(static_cast<int>(done / 1024));
        detail_->setText(tr("%1 of %2 MB, %3 MB/s").arg(megabytes(done), megabytes(total), megabytes(speed)));
    } else {
        detail_->setText(tr("%1 MB, %2 MB/s").arg(megabytes(done), megabytes(speed)));
    }
}

void WeightsFetchDialog::finish(const QString& path, const QString& error, bool cancelled)
{
    if (worker_.joinable())
        worker_.join();  // it has posted its last event: returns at once
    path_ = path;
    error_ = error;
    cancelled_ = cancelled;
    if (!path.isEmpty())
        accept();
    else
        QDialog::reject();
}

void WeightsFetchDialog::reject()
{
    // Closing waits for the worker to stop (within a second); the partial file is kept.
    if (!worker_.joinable()) {
        QDialog::reject();
        return;
    }
    cancel_ = true;
    cancelButton_->setEnabled(false);
    detail_->setText(tr("Cancelling... (what was downloaded is kept; the next try resumes)"));
}

}  // namespace cassava::ui
