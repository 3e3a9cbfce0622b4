// The ways photos come into the Diagnose view (drop, paste, Open dialogs) and the CSV export.
#include "DiagnoseView.h"

#include "AtomicFile.h"
#include "DiagnoseModel.h"
#include "DiagnoseSession.h"
#include "PhotoSources.h"

#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>
#include <QStandardPaths>

#include <exception>

namespace cassava::ui {

void DiagnoseView::addPhotos(const QStringList& paths)
{
    const int added = session_->addPhotos(paths);
    showStatus(added == 0 && !paths.isEmpty() ? tr("No photos found in what was given.") : QString());
    updatePages();
}

bool DiagnoseView::addFromMime(const QMimeData* mime)
{
    if (!mime)
        return false;
    const QStringList paths = localPaths(mime);
    if (!paths.isEmpty()) {
        addPhotos(paths);
        return true;
    }
    if (mime->hasImage()) {
        QString error;
        const QString path = savePastedImage(qvariant_cast<QImage>(mime->imageData()), pastedFolder_, &error);
        if (path.isEmpty()) {
            showStatus(tr("Could not paste the image: %1").arg(error));
            return false;
        }
        addPhotos({path});
        return true;
    }
    return false;
}

void DiagnoseView::pasteFromClipboard()
{
    if (!addFromMime(QApplication::clipboard()->mimeData()))
        showStatus(tr("Nothing to paste: copy photo files or an image first."));
}

void DiagnoseView::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (!localPaths(mime).isEmpty() || mime->hasImage())
        event->acceptProposedAction();
}

void DiagnoseView::dropEvent(QDropEvent* event)
{
    if (addFromMime(event->mimeData()))
        event->acceptProposedAction();
}

void DiagnoseView::chooseAndAddPhotos()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Photos to Diagnose"), lastFolder_,
        tr("Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.JPG *.JPEG *.PNG);;All files (*)"));
    if (files.isEmpty())
        return;
    lastFolder_ = QFileInfo(files.front()).absolutePath();
    addPhotos(files);
}

void DiagnoseView::chooseAndAddFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of Photos"), lastFolder_);
    if (folder.isEmpty())
        return;
    lastFolder_ = folder;
    addPhotos({folder});
}

void DiagnoseView::chooseAndExportCsv()
{
    if (model_->rowCount() == 0) {
        showStatus(tr("No cards to export."));
        return;
    }
    // QFileDialog asks before replacing an existing file; only then is it overwritten.
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Cards as CSV"),
                                                      QDir(lastFolder_).filePath(QStringLiteral("diagnoses.csv")),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, true, &error))
        showStatus(error);
}

bool DiagnoseView::exportCsv(const QString& path, bool overwriteConfirmed, QString* error)
{
    if (QFileInfo::exists(path) && !overwriteConfirmed) {
        if (error)
            *error = tr("%1 exists; it is not overwritten").arg(path);
        return false;
    }
    try {
        const QByteArray csv = model_->toCsv();
        writeFileAtomically(path.toStdString(), std::string_view(csv.constData(), static_cast<size_t>(csv.size())));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    const int n = model_->rowCount();
    const QString where = QDir::toNativeSeparators(path);
    showStatus(n == 1 ? tr("Exported 1 card to %1").arg(where) : tr("Exported %1 cards to %2").arg(n).arg(where));
    return true;
}

}  // namespace cassava::ui
