#pragma once
// The Results view: what a finished run learned. The confusion heatmap (a cell opens its images
// in the Dataset view), per-class accuracy, the OOF accuracy and each fold's best epoch, the
// run's settings at a glance; exports of the heatmap (PNG, PDF) and the matrix (CSV); and a
// Kaggle submission predicted from the run. The run is read on a worker thread (RunResults);
// a run without summary.json says so and shows what it has.
#include "RunResults.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QToolButton;

namespace cassava::ui {

class ClassAccuracyChart;
class ConfusionHeatmap;
class EmptyState;
class PredictDialog;

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);

    // "" shows the empty state. Reads the run on a worker thread; loaded() when it is shown.
    void setRun(const QString& runDir);
    QString runDir() const { return runDir_; }
    // The open dataset: Predict proposes its test_images first.
    void setDatasetRoot(const QString& root) { datasetRoot_ = root; }
    bool isLoading() const { return request_ != applied_; }
    const RunResults& results() const { return results_; }

    // The images of a cell from oof.csv (the label the run trained on, its argmax), most
    // confident first: what the Dataset view shows for a click on that cell.
    QStringList cellImageIds(int given, int predicted) const;

    // Writes without asking (the menu's file dialogs confirm a replacement first); false with a
    // message in lastError() when it could not.
    bool exportHeatmapPng(const QString& path);
    bool exportHeatmapPdf(const QString& path);
    bool exportMatrixCsv(const QString& path);
    QString lastError() const { return lastError_; }

    // The Predict dialog for the open run (one at a time; shown, not modal).
    PredictDialog* openPredictDialog();
    QString defaultPredictImages() const;

    // Exports and Predict, for the window's Results menu (and so the shortcut sheet lists them).
    QList<QAction*> menuActions() const { return {exportPng_, exportPdf_, exportCsv_, predict_}; }

    // The parts, for tests and the tour.
    ConfusionHeatmap* heatmap() const { return heatmap_; }
    ClassAccuracyChart* accuracyChart() const { return accuracy_; }
    QTableWidget* foldTable() const { return folds_; }
    QLabel* notice() const { return notice_; }
    QLabel* configSummary() const { return config_; }
    QLabel* headline() const { return title_; }
    QAction* exportPngAction() const { return exportPng_; }
    QAction* exportPdfAction() const { return exportPdf_; }
    QAction* exportCsvAction() const { return exportCsv_; }
    QAction* predictAction() const { return predict_; }
    bool isShowingResults() const;

signals:
    void loaded(const QString& runDir);
    void confusionCellClicked(int given, int predicted);
    void submissionWritten(const QString& path, int rows);

private:
    bool writeExport(const QString& path, const QByteArray& bytes);  // atomic; lastError_ on failure
    QWidget* buildResults();
    void apply(quint64 request, const RunResults& results);
    void showResults();
    void chooseExport(const QString& title, const QString& filter, const QString& suffix,
                      bool (ResultsView::*write)(const QString&));
    QString exportBaseName() const;

    QString runDir_;
    QString datasetRoot_;
    QString lastError_;
    RunResults results_;
    quint64 request_ = 0;
    quint64 applied_ = 0;

    QStackedWidget* pages_ = nullptr;
    EmptyState* empty_ = nullptr;
    EmptyState* failed_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* subtitle_ = nullptr;
    QLabel* notice_ = nullptr;
    QLabel* oofValue_ = nullptr;
    QLabel* oofDetail_ = nullptr;
    QLabel* heatmapHint_ = nullptr;
    QLabel* noMatrix_ = nullptr;
    QWidget* accuracyCard_ = nullptr;
    ConfusionHeatmap* heatmap_ = nullptr;
    ClassAccuracyChart* accuracy_ = nullptr;
    QTableWidget* folds_ = nullptr;
    QLabel* config_ = nullptr;
    QToolButton* exportButton_ = nullptr;
    QPushButton* predictButton_ = nullptr;
    QAction* exportPng_ = nullptr;
    QAction* exportPdf_ = nullptr;
    QAction* exportCsv_ = nullptr;
    QAction* predict_ = nullptr;
    QPointer<PredictDialog> predictDialog_;
};

}  // namespace cassava::ui
