// The Review view's way out: decisions.csv and a cleaned train.csv, and "Retrain on cleaned
// labels", which hands the decisions to the training wizard.
#include "ReviewView.h"

#include "ReviewSession.h"

#include "RunDir.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

#include <filesystem>

namespace cassava::ui {

namespace {
const char* const exportFolderKey = "review/exportFolder";
}

bool ReviewView::exportTo(const QString& folder, bool replace, QString* error)
{
    if (!session_->isOpen()) {
        *error = tr("No run is open.");
        return false;
    }
    const QDir dir(folder);
    try {
        exportReview(*session_->journal(), {dir.filePath(QStringLiteral("decisions.csv")).toStdString(),
                                            dir.filePath(QStringLiteral("train.csv")).toStdString(), replace});
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void ReviewView::chooseExport()
{
    if (!session_->isOpen())
        return;
    QSettings settings;
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Export Decisions and a Cleaned train.csv Into"),
        settings.value(exportFolderKey, QDir::homePath()).toString());
    if (folder.isEmpty())
        return;
    settings.setValue(exportFolderKey, folder);
    const QDir dir(folder);
    QStringList existing;
    for (const char* name : {"decisions.csv", "train.csv"})
        if (QFileInfo::exists(dir.filePath(QLatin1String(name))))
            existing << QLatin1String(name);
    bool replace = false;
    if (!existing.isEmpty()) {
        if (QMessageBox::question(this, tr("Replace Files?"),
                                  tr("%1 already holds %2. Replace them?")
                                      .arg(QDir::toNativeSeparators(folder), existing.join(tr(" and "))),
                                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
            return;
        replace = true;
    }
    QString error;
    if (!exportTo(folder, replace, &error)) {
        QMessageBox::warning(this, tr("Export Failed"), error);
        return;
    }
    emit statusMessage(tr("Wrote decisions.csv and train.csv (cleaned) into %1.").arg(QDir::toNativeSeparators(folder)));
}

void ReviewView::retrain()
{
    if (!session_->isOpen())
        return;
    const RunDir run(session_->runDir().toStdString());
    const std::string path = run.reviewDecisionsPath();
    try {
        std::filesystem::create_directories(run.reviewDir());
        // The run's own copy, rewritten from the journal each time: nobody else's file.
        exportReview(*session_->journal(), {path, {}, true});
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot Write the Decisions"), QString::fromStdString(e.what()));
        return;
    }
    emit retrainRequested(session_->runDir(), QString::fromStdString(path));
}

}  // namespace cassava::ui
