// The Results view's way into the Dataset view: a confusion cell's photos.
#include "MainWindow.h"

#include "DatasetView.h"
#include "ResultsView.h"

#include <QDir>
#include <QFileInfo>
#include <QStatusBar>

#include <memory>

namespace cassava::ui {

void MainWindow::showConfusionCell(int given, int predicted)
{
    const RunResults& run = results_->results();
    if (!run.ok() || run.runDir != currentRun_)
        return;
    const QStringList ids = results_->cellImageIds(given, predicted);
    auto show = [this, given, predicted, ids] {
        datasetView_->showConfusionCell(given, predicted, ids);
        setView(View::Dataset);
        statusBar()->showMessage(tr("%Ln photos of the confusion cell, most confident first.", nullptr,
                                    static_cast<int>(ids.size())));
    };
    const QString runData = QDir::cleanPath(QFileInfo(QString::fromStdString(run.config.data)).absoluteFilePath());
    if (dataset_ && QDir::cleanPath(currentRoot_) == runData) {
        show();
        return;
    }
    // The run was trained on another dataset than the open one: open that one, then the cell.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(this, &MainWindow::datasetShown, this, [this, once, show, runData](const QString& root) {
        disconnect(*once);
        if (dataset_ && QDir::cleanPath(root) == runData)
            show();
    });
    openDataset(runData);
}

}  // namespace cassava::ui
