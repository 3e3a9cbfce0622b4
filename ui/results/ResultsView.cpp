#include "ResultsView.h"

#include "ClassAccuracyChart.h"
#include "ConfusionHeatmap.h"
#include "DiagnoseWorker.h"
#include "EmptyState.h"
#include "PredictDialog.h"
#include "RunSettingsText.h"

#include "AtomicFile.h"
#include "RunDir.h"
#include "Submission.h"

#include <nlohmann/json.hpp>

#include <QAction>
#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryFile>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <cmath>

namespace cassava::ui {

namespace {

// The heatmap's size in a file: large enough to read in a paper or slide, whatever the window.
constexpr int exportWidth = 900, exportHeight = 760;

QFrame* card(QWidget* parent)
{
    auto* frame = new QFrame(parent);
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(QPalette::Base);
    frame->setFrameShape(QFrame::StyledPanel);
    return frame;
}

QLabel* cardTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()), parent);
    return label;
}

void makeSubtle(QLabel* label)
{
    QPalette pal = label->palette();
    QColor text = pal.color(QPalette::WindowText);
    text.setAlphaF(0.65f);
    pal.setColor(QPalette::WindowText, text);
    label->setPalette(pal);
}

QString pct(double share, int decimals = 1) { return QLocale().toString(100.0 * share, 'f', decimals) + " %"; }

}  // namespace

ResultsView::ResultsView(QWidget* parent) : QWidget(parent), pages_(new QStackedWidget(this))
{
    empty_ = new EmptyState(QStringLiteral(":/icons/view-results.svg"), tr("No run open"),
                            tr("Open a training run (File ▸ Open Run, Ctrl+Shift+O) to see its confusion matrix, "
                               "per-class accuracy and each fold's best epoch, and to predict a Kaggle "
                               "submission with it.\n\nFrom the command line: cassava train --data DATA --out RUN"),
                            this);
    failed_ = new EmptyState(QStringLiteral(":/icons/view-results.svg"), tr("This run cannot be shown"), QString(), this);
    pages_->addWidget(empty_);
    pages_->addWidget(failed_);
    pages_->addWidget(buildResults());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pages_);
}

QWidget* ResultsView::buildResults()
{
    auto* page = new QWidget;
    title_ = new QLabel(page);
    QFont big = title_->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    title_->setFont(big);
    subtitle_ = new QLabel(page);
    makeSubtle(subtitle_);
    subtitle_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    exportPng_ = new QAction(tr("Heatmap as PNG…"), this);
    exportPng_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportPdf_ = new QAction(tr("Heatmap as PDF…"), this);
    exportPdf_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportCsv_ = new QAction(tr("Matrix as CSV…"), this);
    exportCsv_->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    predict_ = new QAction(tr("Predict Submission…"), this);
    predict_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    for (QAction* a : {exportPng_, exportPdf_, exportCsv_, predict_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(exportPng_, &QAction::triggered, this, [this] {
        chooseExport(tr("Export Heatmap as PNG"), tr("PNG images (*.png)"), QStringLiteral(".png"),
                     &ResultsView::exportHeatmapPng);
    });
    connect(exportPdf_, &QAction::triggered, this, [this] {
        chooseExport(tr("Export Heatmap as PDF"), tr("PDF documents (*.pdf)"), QStringLiteral(".pdf"),
                     &ResultsView::exportHeatmapPdf);
    });
    connect(exportCsv_, &QAction::triggered, this, [this] {
        chooseExport(tr("Export Matrix as CSV"), tr("CSV files (*.csv)"), QStringLiteral(".csv"),
                     &ResultsView::exportMatrixCsv);
    });
    connect(predict_, &QAction::triggered, this, &ResultsView::openPredictDialog);

    exportButton_ = new QToolButton(page);
    exportButton_->setText(tr("Export"));
    exportButton_->setPopupMode(QToolButton::InstantPopup);
    exportButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* menu = new QMenu(exportButton_);
    menu->addActions({exportPng_, exportPdf_, exportCsv_});
    exportButton_->setMenu(menu);
    predictButton_ = new QPushButton(tr("Predict Submission…"), page);
    predictButton_->setToolTip(tr("Predict a folder of photos with this run's fold models (%1)")
                                   .arg(predict_->shortcut().toString(QKeySequence::NativeText)));
    connect(predictButton_, &QPushButton::clicked, predict_, &QAction::trigger);

    auto* header = new QGridLayout;
    header->addWidget(title_, 0, 0);
    header->addWidget(subtitle_, 1, 0);
    header->setColumnStretch(0, 1);
    header->addWidget(exportButton_, 0, 1, 2, 1, Qt::AlignVCenter);
    header->addWidget(predictButton_, 0, 2, 2, 1, Qt::AlignVCenter);

    notice_ = new QLabel(page);
    notice_->setWordWrap(true);
    notice_->setFrameShape(QFrame::StyledPanel);
    notice_->setMargin(8);
    notice_->setAutoFillBackground(true);
    notice_->setBackgroundRole(QPalette::ToolTipBase);
    notice_->setForegroundRole(QPalette::ToolTipText);
    notice_->hide();

    // The heatmap, the largest part.
    auto* matrixCard = card(page);
    auto* matrixLayout = new QVBoxLayout(matrixCard);
    matrixLayout->setContentsMargins(12, 10, 12, 10);
    matrixLayout->addWidget(cardTitle(tr("Confusion matrix (out-of-fold predictions)"), matrixCard));
    heatmapHint_ = new QLabel(tr("Rows: the label each photo was given; columns: what the run predicted. "
                                 "Click a cell to see its photos in the Dataset view."),
                              matrixCard);
    heatmapHint_->setWordWrap(true);
    makeSubtle(heatmapHint_);
    matrixLayout->addWidget(heatmapHint_);
    heatmap_ = new ConfusionHeatmap(matrixCard);
    matrixLayout->addWidget(heatmap_, 1);
    noMatrix_ = new QLabel(tr("No confusion matrix yet: the trainer writes it (summary.json) when the run has "
                              "finished its folds."),
                           matrixCard);
    noMatrix_->setAlignment(Qt::AlignCenter);
    noMatrix_->setWordWrap(true);
    makeSubtle(noMatrix_);
    matrixLayout->addWidget(noMatrix_, 1);
    connect(heatmap_, &ConfusionHeatmap::cellClicked, this, &ResultsView::confusionCellClicked);

    auto* oofCard = card(page);
    auto* oofLayout = new QVBoxLayout(oofCard);
    oofLayout->setContentsMargins(12, 10, 12, 10);
    oofLayout->addWidget(cardTitle(tr("Out-of-fold accuracy"), oofCard));
    oofValue_ = new QLabel(oofCard);
    QFont huge = oofValue_->font();
    huge.setPointSizeF(huge.pointSizeF() * 2.2);
    huge.setBold(true);
    oofValue_->setFont(huge);
    oofDetail_ = new QLabel(oofCard);
    oofDetail_->setWordWrap(true);
    makeSubtle(oofDetail_);
    oofLayout->addWidget(oofValue_);
    oofLayout->addWidget(oofDetail_);

    auto* accuracyCard = card(page);
    accuracyCard_ = accuracyCard;
    auto* accuracyLayout = new QVBoxLayout(accuracyCard);
    accuracyLayout->setContentsMargins(12, 10, 12, 6);
    accuracyLayout->addWidget(cardTitle(tr("Accuracy per class (recall)"), accuracyCard));
    accuracy_ = new ClassAccuracyChart(accuracyCard);
    accuracyLayout->addWidget(accuracy_, 1);

    auto* foldCard = card(page);
    auto* foldLayout = new QVBoxLayout(foldCard);
    foldLayout->setContentsMargins(12, 10, 12, 10);
    foldLayout->addWidget(cardTitle(tr("Best epoch per fold"), foldCard));
    folds_ = new QTableWidget(0, 4, foldCard);
    folds_->setHorizontalHeaderLabels({tr("Fold"), tr("Best epoch"), tr("Val loss"), tr("Val accuracy")});
    folds_->verticalHeader()->hide();
    folds_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    folds_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    folds_->setSelectionMode(QAbstractItemView::NoSelection);
    folds_->setFocusPolicy(Qt::NoFocus);
    folds_->setFrameShape(QFrame::NoFrame);
    folds_->setShowGrid(false);
    folds_->setAlternatingRowColors(true);
    foldLayout->addWidget(folds_);
    foldLayout->addStretch(1);

    auto* configCard = card(page);
    auto* configLayout = new QVBoxLayout(configCard);
    configLayout->setContentsMargins(12, 10, 12, 10);
    configLayout->addWidget(cardTitle(tr("Settings"), configCard));
    config_ = new QLabel(configCard);
    config_->setTextFormat(Qt::RichText);
    config_->setWordWrap(true);
    config_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    configLayout->addWidget(config_);
    configLayout->addStretch(1);

    auto* side = new QWidget(page);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->setSpacing(10);
    sideLayout->addWidget(oofCard);
    sideLayout->addWidget(accuracyCard, 2);
    sideLayout->addWidget(foldCard, 1);
    side->setMinimumWidth(340);
    side->setMaximumWidth(480);

    auto* body = new QGridLayout;
    body->setSpacing(10);
    body->addWidget(matrixCard, 0, 0, 2, 1);
    body->addWidget(side, 0, 1);
    body->addWidget(configCard, 1, 1);
    body->setColumnStretch(0, 3);
    body->setColumnStretch(1, 2);
    body->setRowStretch(0, 3);
    body->setRowStretch(1, 2);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(14, 12, 14, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(notice_);
    layout->addLayout(body, 1);
    content->setMinimumSize(820, 640);

    auto* scroll = new QScrollArea(page);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(scroll);
    return page;
}

bool ResultsView::isShowingResults() const { return pages_->currentIndex() == 2; }

void ResultsView::setRun(const QString& runDir)
{
    runDir_ = runDir;
    const quint64 request = ++request_;
    if (runDir.isEmpty()) {
        applied_ = request;
        results_ = RunResults{};
        pages_->setCurrentWidget(empty_);
        return;
    }
    auto* watcher = new QFutureWatcher<RunResults>(this);
    connect(watcher, &QFutureWatcher<RunResults>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        apply(request, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([runDir] { return loadRunResults(runDir); }));
}

void ResultsView::apply(quint64 request, const RunResults& results)
{
    if (request != request_)
        return;  // another run was opened since
    applied_ = request;
    results_ = results;
    if (!results_.ok()) {
        failed_->setText(results_.error);
        pages_->setCurrentWidget(failed_);
    } else {
        showResults();
        pages_->setCurrentIndex(2);
    }
    emit loaded(results_.runDir);
}

void ResultsView::showResults()
{
    const RunResults& r = results_;
    const QLocale locale;
    title_->setText(tr("Run “%1”").arg(r.displayName()));
    QString status;
    if (!r.hasSummary)
        status = tr("unfinished");
    else if (!r.completed)
        status = tr("cancelled before its end");
    else
        status = tr("finished");
    QString subtitle = tr("%1 · EfficientNet-%2, %3 px").arg(status, QString::fromStdString(r.config.model).toUpper())
                           .arg(r.config.size);
    if (r.started.isValid())
        subtitle += tr(" · started %1").arg(locale.toString(r.started, QLocale::ShortFormat));
    subtitle += QStringLiteral(" · ") + QDir::toNativeSeparators(r.runDir);
    subtitle_->setText(subtitle);

    QStringList notes;
    if (!r.summaryProblem.isEmpty())
        notes << r.summaryProblem;
    if (r.hasSummary && !r.hasConfusion)
        notes << tr("summary.json has no confusion matrix: no fold finished an epoch.");
    if (!r.oofProblem.isEmpty())
        notes << tr("oof.csv: %1").arg(r.oofProblem);
    notice_->setText(notes.join(QLatin1Char('\n')));
    notice_->setVisible(!notes.isEmpty());

    if (r.hasConfusion) {
        heatmap_->setMatrix(r.confusion, r.shortNames, r.classNames);
        accuracy_->setAccuracy(r.perClassAccuracy, r.shortNames, r.oofAccuracy);
        oofValue_->setText(pct(r.oofAccuracy));
        oofDetail_->setText(tr("over %L1 images not trained on · balanced accuracy %2 (the mean of the "
                               "classes' recalls)")
                                .arg(r.confusion.total())
                                .arg(pct(r.balancedAccuracy)));
    } else {
        heatmap_->clear();
        accuracy_->clear();
        oofValue_->setText(tr("not yet"));
        oofDetail_->setText(tr("Not available until the run has finished its folds."));
    }
    heatmapHint_->setVisible(r.hasConfusion);
    heatmap_->setVisible(r.hasConfusion);
    noMatrix_->setVisible(!r.hasConfusion);
    accuracyCard_->setVisible(r.hasConfusion);
    for (QAction* a : {exportPng_, exportPdf_, exportCsv_})
        a->setEnabled(r.hasConfusion);
    exportButton_->setEnabled(r.hasConfusion);
    const bool hasModels = !RunDir(QFile::encodeName(r.runDir).toStdString()).foldsWithBest().empty();
    predict_->setEnabled(hasModels);
    predictButton_->setEnabled(hasModels);
    if (!hasModels)
        predictButton_->setToolTip(tr("The run has no trained fold yet (no fold_K/best.ckpt)"));

    folds_->setRowCount(static_cast<int>(r.folds.size()));
    for (int i = 0; i < static_cast<int>(r.folds.size()); ++i) {
        const FoldBest& f = r.folds[static_cast<size_t>(i)];
        const bool any = f.bestEpoch >= 0;
        QString epoch = any ? QString::number(f.bestEpoch + 1) : tr("none yet");
        if (any && f.epochsDone > 0)
            epoch = tr("%1 of %2 so far").arg(f.bestEpoch + 1).arg(f.epochsDone);
        if (f.stoppedEarly)
            epoch += tr(" (stopped early)");
        const QStringList cells = {QString::number(f.fold), epoch,
                                   any ? locale.toString(f.bestValLoss, 'f', 4) : QString(),
                                   any ? pct(f.bestValAccuracy) : QString()};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(c == 1 ? Qt::AlignCenter : Qt::AlignRight | Qt::AlignVCenter);
            folds_->setItem(i, c, item);
        }
    }
    folds_->resizeRowsToContents();
    int height = folds_->horizontalHeader()->height() + 4;
    for (int i = 0; i < folds_->rowCount(); ++i)
        height += folds_->rowHeight(i);
    folds_->setMinimumHeight(std::min(height, 220));
    folds_->setMaximumHeight(std::max(height, 60));
    config_->setText(runSettingsHtml(r));
}

QStringList ResultsView::cellImageIds(int given, int predicted) const
{
    QStringList ids;
    for (const OofImage& o : results_.cellImages(given, predicted))
        ids << o.imageId;
    return ids;
}

QString ResultsView::exportBaseName() const
{
    return QDir(runDir_).filePath(QStringLiteral("confusion"));
}

void ResultsView::chooseExport(const QString& title, const QString& filter, const QString& suffix,
                               bool (ResultsView::*write)(const QString&))
{
    if (!results_.hasConfusion)
        return;
    // The dialog asks before replacing a file; nothing here replaces one without that answer.
    QString path = QFileDialog::getSaveFileName(this, title, exportBaseName() + suffix, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) {
        path += suffix;
        if (QFileInfo::exists(path) &&
            QMessageBox::question(this, title, tr("%1 exists. Replace it?").arg(QDir::toNativeSeparators(path)),
                                  QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
            return;
    }
    if (!(this->*write)(path))
        QMessageBox::warning(this, title, lastError_);
}

bool ResultsView::writeExport(const QString& path, const QByteArray& bytes)
{
    try {
        writeFileAtomically(QFile::encodeName(path).toStdString(), std::string_view(bytes.constData(), bytes.size()));
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

bool ResultsView::exportHeatmapPng(const QString& path)
{
    lastError_.clear();
    heatmap_->plot()->replot();
    const QPixmap pixmap = heatmap_->plot()->toPixmap(exportWidth, exportHeight, 2.0);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (pixmap.isNull() || !pixmap.save(&buffer, "PNG")) {
        lastError_ = tr("%1: the heatmap could not be drawn as PNG").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return writeExport(path, bytes);
}

bool ResultsView::exportHeatmapPdf(const QString& path)
{
    lastError_.clear();
    // QCustomPlot writes the PDF to a file itself: into a temporary one beside the target, then
    // the bytes go through the one atomic writer.
    QTemporaryFile temp(QFileInfo(path).absolutePath() + QStringLiteral("/.confusion-XXXXXX.pdf"));
    if (!temp.open()) {
        lastError_ = tr("%1: cannot write in this folder").arg(QDir::toNativeSeparators(path));
        return false;
    }
    temp.close();
    if (!heatmap_->savePdf(temp.fileName(), exportWidth, exportHeight)) {
        lastError_ = tr("%1: the heatmap could not be drawn as PDF").arg(QDir::toNativeSeparators(path));
        return false;
    }
    QFile pdf(temp.fileName());
    if (!pdf.open(QIODevice::ReadOnly)) {
        lastError_ = tr("%1: cannot read it back").arg(QDir::toNativeSeparators(temp.fileName()));
        return false;
    }
    const QByteArray bytes = pdf.readAll();
    return writeExport(path, bytes);
}

bool ResultsView::exportMatrixCsv(const QString& path)
{
    lastError_.clear();
    const QByteArray csv = confusionCsv(results_.confusion, results_.shortNames);
    return writeExport(path, csv);
}

QString ResultsView::defaultPredictImages() const
{
    const QString root = !datasetRoot_.isEmpty() ? datasetRoot_ : QString::fromStdString(results_.config.data);
    return root.isEmpty() ? QString() : QFile::decodeName(datasetTestImages(QFile::encodeName(root).toStdString()).c_str());
}

PredictDialog* ResultsView::openPredictDialog()
{
    if (!results_.ok() || runDir_.isEmpty())
        return nullptr;
    if (predictDialog_ && predictDialog_->property("runDir").toString() != runDir_ && !predictDialog_->job()->isRunning()) {
        predictDialog_->deleteLater();
        predictDialog_ = nullptr;
    }
    if (!predictDialog_) {
        // The recipe's test-time views: four corner crops for a run that trained on random crops.
        const RecipeViews views = recipeViews(results_.config.toJson());
        predictDialog_ = new PredictDialog(runDir_, defaultPredictImages(), views.runs, views.crops,
                                           views.cropFraction, this);
        predictDialog_->setProperty("runDir", runDir_);
        predictDialog_->setAttribute(Qt::WA_DeleteOnClose);
        connect(predictDialog_, &PredictDialog::submissionWritten, this, &ResultsView::submissionWritten);
    }
    predictDialog_->show();
    predictDialog_->raise();
    predictDialog_->activateWindow();
    return predictDialog_;
}

}  // namespace cassava::ui
