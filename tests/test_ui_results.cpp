// The Results view over a real (tiny) run: the heatmap says what summary.json says, a cell opens
// exactly its photos in the Dataset view, exports write the matrix and the pictures, a run that
// has not finished says so, and a submission predicted in the GUI is the CLI's file.
#include "TestSupport.h"

#include "AppSettings.h"
#include "ClassAccuracyChart.h"
#include "ConfusionHeatmap.h"
#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetFilterBar.h"
#include "DatasetView.h"
#include "MainWindow.h"
#include "PredictDialog.h"
#include "ResultsView.h"

#include <QAction>
#include <QApplication>
#include <QStyle>
#include <QCoreApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <qcustomplot.h>

#include <cmath>

using cassava::ui::ConfusionHeatmap;
using cassava::ui::MainWindow;
using cassava::ui::ResultsView;
using testsupport::readCsv;
using testsupport::runCli;

namespace {

constexpr int waitMs = 300000;  // an upper bound for a worker, not a timing assertion

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString& path) { return QJsonDocument::fromJson(readAll(path)).object(); }

// oof.csv as the test reads it itself: image_id, given label, argmax (first largest), confidence.
struct OofRow {
    QString id;
    int given = 0, predicted = 0;
    double confidence = 0;
};

QList<OofRow> readOof(const QString& path)
{
    QList<OofRow> out;
    const auto rows = readCsv(path);
    for (int i = 1; i < rows.size(); ++i) {
        OofRow r;
        r.id = rows[i][0];
        r.given = rows[i][1].toInt();
        double best = -1;
        for (int c = 0; c + 3 < rows[i].size(); ++c)
            if (const double p = rows[i][3 + c].toDouble(); p > best) {
                best = p;
                r.predicted = c;
            }
        r.confidence = best;
        out << r;
    }
    return out;
}

// The proxy's rows in display order, as image ids and confidences.
QStringList shownIds(cassava::ui::DatasetView* view, QList<float>* confidences = nullptr)
{
    QStringList ids;
    auto* proxy = view->proxy();
    for (int i = 0; i < proxy->rowCount(); ++i) {
        const int row = proxy->mapToSource(proxy->index(i, 0)).row();
        ids << view->model()->imageId(row).toString();
        if (confidences)
            confidences->push_back(view->model()->confidence(row));
    }
    return ids;
}

bool loadRun(ResultsView& view, const QString& run)
{
    QSignalSpy loaded(&view, &ResultsView::loaded);
    view.setRun(run);
    return loaded.wait(waitMs) || loaded.count() > 0;
}

}  // namespace

class TestUiResults : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_, run_;

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp_.filePath("config"));
        QSettings::setDefaultFormat(QSettings::NativeFormat);
        qputenv("XDG_DATA_HOME", tmp_.filePath("xdg-data").toUtf8());
        qputenv("XDG_CACHE_HOME", tmp_.filePath("xdg-cache").toUtf8());
        QCoreApplication::setOrganizationName("Cassava Studio Tests");
        QCoreApplication::setApplicationName("test_ui_results");

        data_ = tmp_.path() + "/leaves";
        auto r = runCli({"synth", "--out", data_, "--count", "40", "--size", "96x72", "--seed", "5", "--test-count", "6"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        run_ = tmp_.path() + "/run";
        r = runCli({"train", "--data", data_, "--out", run_, "--size", "64", "--epochs", "1", "--folds", "2", "--batch",
                    "8", "--threads", "1", "--workers", "1", "--no-augment"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(QFile::exists(run_ + "/summary.json"));
    }

    void theHeatmapSaysWhatSummaryJsonSays()
    {
        ResultsView view;
        QVERIFY(loadRun(view, run_));
        QVERIFY(view.isShowingResults());
        const QJsonObject summary = readJson(run_ + "/summary.json");
        const QJsonArray matrix = summary["confusion_matrix"].toObject()["matrix"].toArray();
        ConfusionHeatmap* heatmap = view.heatmap();
        QCOMPARE(heatmap->classes(), 5);
        QCOMPARE(matrix.size(), 5);
        qint64 total = 0;
        for (int g = 0; g < 5; ++g) {
            const QJsonArray row = matrix[g].toArray();
            qint64 rowSum = 0;
            for (const auto& v : row)
                rowSum += v.toInteger();
            for (int p = 0; p < 5; ++p) {
                const qint64 count = row[p].toInteger();
                total += count;
                QCOMPARE(heatmap->cellCount(g, p), count);
                const double share = rowSum > 0 ? double(count) / double(rowSum) : 0.0;
                // The text drawn in the cell: the count, then the row-normalized percentage.
                const QStringList lines = heatmap->cellLabel(g, p)->text().split('\n');
                QCOMPARE(lines.size(), 2);
                QCOMPARE(QLocale().toLongLong(lines[0]), count);
                QCOMPARE(lines[1], QLocale().toString(100.0 * share, 'f', 1) + " %");
                // The colour is that share on the scale, and the text stays readable on it.
                QCOMPARE(heatmap->colorMap()->data()->cell(p, g), share);
                const QColor fill = heatmap->cellColor(g, p), ink = heatmap->cellTextColor(g, p);
                QVERIFY(std::abs(fill.lightnessF() - ink.lightnessF()) > 0.35);
            }
        }
        QCOMPARE(total, static_cast<qint64>(summary["oof_images"].toInteger()));
        QCOMPARE(heatmap->plot()->xAxis->label(), QStringLiteral("Predicted class"));
        QCOMPARE(heatmap->plot()->yAxis->label(), QStringLiteral("Given label"));

        const QJsonArray perClass = summary["per_class_accuracy"].toArray();
        QCOMPARE(view.accuracyChart()->barCount(), 5);
        for (int c = 0; c < 5; ++c)
            QCOMPARE(view.accuracyChart()->bars(c)->data()->at(0)->value, perClass[c].toDouble());
        const QJsonArray folds = summary["folds"].toArray();
        QCOMPARE(view.foldTable()->rowCount(), folds.size());
        for (int f = 0; f < folds.size(); ++f)
            QCOMPARE(view.foldTable()->item(f, 1)->text(), QString::number(folds[f].toObject()["best_epoch"].toInt() + 1));
        QVERIFY(view.configSummary()->text().contains("EfficientNet-B0 at 64 px"));
        QVERIFY(!view.notice()->isVisible());
        QVERIFY(view.exportCsvAction()->isEnabled());
    }

    void aCellOpensExactlyItsPhotosMostConfidentFirst()
    {
        MainWindow window;
        window.resize(1280, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.openDataset(data_);
        QVERIFY(shown.wait(waitMs) || shown.count() > 0);
        auto* results = qobject_cast<ResultsView*>(window.viewWidget(MainWindow::View::Results));
        QVERIFY(results);
        QSignalSpy loaded(results, &ResultsView::loaded);
        QSignalSpy runLoaded(window.datasetView(), &cassava::ui::DatasetView::runLoaded);
        window.openRun(run_);
        QVERIFY(loaded.wait(waitMs) || loaded.count() > 0);
        QVERIFY(runLoaded.count() > 0 || runLoaded.wait(waitMs));
        window.setView(MainWindow::View::Results);

        const QList<OofRow> oof = readOof(run_ + "/oof.csv");
        QCOMPARE(oof.size(), 40);
        cassava::ui::DatasetView* dataset = window.datasetView();
        int checked = 0;
        for (int g = 0; g < 5; ++g)
            for (int p = 0; p < 5; ++p) {
                QSet<QString> expected;
                for (const OofRow& r : oof)
                    if (r.given == g && r.predicted == p)
                        expected.insert(r.id);
                window.setView(MainWindow::View::Results);
                ConfusionHeatmap* heatmap = results->heatmap();
                heatmap->plot()->replot();
                // A click where the cell is drawn, mapped back through the plot's axes.
                const QPoint at = heatmap->cellCentre(g, p).toPoint();
                int cg = -1, cp = -1;
                QVERIFY(heatmap->cellAtPixel(at, &cg, &cp));
                QCOMPARE(cg, g);
                QCOMPARE(cp, p);
                QTest::mouseClick(heatmap->plot(), Qt::LeftButton, {}, at);
                QCOMPARE(window.currentView(), MainWindow::View::Dataset);
                QVERIFY(dataset->proxy()->hasConfusionCell());
                QCOMPARE(dataset->proxy()->confusionGiven(), g);
                QCOMPARE(dataset->proxy()->confusionPredicted(), p);
                QList<float> confidences;
                const QStringList ids = shownIds(dataset, &confidences);
                QCOMPARE(QSet<QString>(ids.begin(), ids.end()), expected);
                QCOMPARE(ids.size(), expected.size());
                QCOMPARE(qint64(ids.size()), heatmap->cellCount(g, p));
                for (int i = 1; i < confidences.size(); ++i)
                    QVERIFY2(confidences[i - 1] >= confidences[i], "not sorted by confidence, descending");
                QCOMPARE(dataset->filterBar()->sortKey(), cassava::ui::DatasetBrowserFilter::SortKey::Confidence);
                QVERIFY(dataset->filterBar()->confusionChip()->isVisible());
                checked += !expected.isEmpty();
            }
        QVERIFY(checked > 0);
        // The chip clears the cell: every photo again.
        dataset->filterBar()->confusionChip()->click();
        QVERIFY(!dataset->proxy()->hasConfusionCell());
        QVERIFY(!dataset->filterBar()->confusionChip()->isVisible());
        QCOMPARE(dataset->proxy()->rowCount(), dataset->model()->rowCount());
    }

    void exportsWriteTheMatrixAndThePictures()
    {
        ResultsView view;
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(loadRun(view, run_));
        const QString dir = tmp_.path() + "/exports";
        QDir().mkpath(dir);
        QVERIFY2(view.exportMatrixCsv(dir + "/m.csv"), qPrintable(view.lastError()));
        const auto csv = readCsv(dir + "/m.csv");
        QCOMPARE(csv.size(), 6);
        QCOMPARE(csv[0], (QStringList{"given \\ predicted", "CBB", "CBSD", "CGM", "CMD", "Healthy"}));
        const QJsonArray matrix = readJson(run_ + "/summary.json")["confusion_matrix"].toObject()["matrix"].toArray();
        for (int g = 0; g < 5; ++g) {
            QCOMPARE(csv[g + 1].size(), 6);
            for (int p = 0; p < 5; ++p)
                QCOMPARE(csv[g + 1][p + 1].toLongLong(), matrix[g].toArray()[p].toInteger());
        }
        QVERIFY2(view.exportHeatmapPng(dir + "/h.png"), qPrintable(view.lastError()));
        const QImage png(dir + "/h.png");
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= 900 && png.height() >= 700);
        QVERIFY2(view.exportHeatmapPdf(dir + "/h.pdf"), qPrintable(view.lastError()));
        const QByteArray pdf = readAll(dir + "/h.pdf");
        QVERIFY(pdf.size() > 1000);
        QVERIFY(pdf.startsWith("%PDF"));
        // Nothing but the three files is left behind (the PDF's temporary file is gone).
        QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden).size(), 3);
    }

    void aRunWithoutSummarySaysSoAndShowsWhatItHas()
    {
        const QString copy = tmp_.path() + "/unfinished";
        QDir().mkpath(copy);
        for (const char* name : {"config.json", "metrics.jsonl", "folds.csv", "labels.csv"})
            QVERIFY(QFile::copy(run_ + "/" + name, copy + "/" + QString::fromLatin1(name)));
        ResultsView view;
        view.show();
        QVERIFY(loadRun(view, copy));
        QVERIFY(view.isShowingResults());
        QVERIFY(view.notice()->isVisible());
        QVERIFY(view.notice()->text().contains("summary.json"));
        QVERIFY(!view.results().hasSummary);
        QCOMPARE(view.heatmap()->classes(), 0);
        QVERIFY(!view.exportPngAction()->isEnabled());
        QVERIFY(!view.predictAction()->isEnabled());  // no fold models copied
        QCOMPARE(view.foldTable()->rowCount(), 2);  // from metrics.jsonl's epoch lines
        QVERIFY(view.configSummary()->text().contains("2 folds"));
        // Not a run at all: said so, naming the folder.
        ResultsView other;
        QVERIFY(loadRun(other, tmp_.path() + "/exports"));
        QVERIFY(!other.isShowingResults());
    }

    void aSubmissionPredictedInTheGuiIsTheClisFile()
    {
        ResultsView view;
        view.setDatasetRoot(data_);
        QVERIFY(loadRun(view, run_));
        cassava::ui::PredictDialog* dialog = view.openPredictDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->images(), data_ + "/test_images");
        QCOMPARE(QFileInfo(dialog->sample()).canonicalFilePath(),
                 QFileInfo(data_ + "/sample_submission.csv").canonicalFilePath());
        QCOMPARE(dialog->out(), run_ + "/submission.csv");  // nothing there yet
        dialog->setViews(2, 2);
        cassava::ui::AppSettings::instance().setThreads(1);  // as the CLI's --threads 1 below
        QSignalSpy finished(dialog->job(), &cassava::ui::SubmissionJob::finished);
        QSignalSpy progress(dialog->job(), &cassava::ui::SubmissionJob::progress);
        QVERIFY(dialog->startPrediction());
        QVERIFY(finished.wait(waitMs) || finished.count() > 0);
        const auto outcome = finished.front().front().value<cassava::ui::SubmissionOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error));
        QCOMPARE(outcome.written, 6);
        QVERIFY(progress.count() > 0);

        const QString cli = tmp_.path() + "/cli-submission.csv";
        const auto r = runCli({"predict", "--run", run_, "--data", data_, "--out", cli, "--tta", "2", "--crops", "2",
                               "--threads", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray gui = readAll(run_ + "/submission.csv");
        QCOMPARE(gui.count('\n'), 7);
        QCOMPARE(gui, readAll(cli));
        // The next default never names the file just written.
        QCOMPARE(dialog->out(), run_ + "/submission-2.csv");
        QCOMPARE(cassava::ui::PredictDialog::freeSubmissionPath(run_), run_ + "/submission-2.csv");
    }

    // For a person to look at: CASSAVA_RESULTS_SCREENSHOTS=DIR writes the view in a light and a
    // dark palette (and the Dataset view after a click), else skipped.
    void screenshotsWhenAsked()
    {
        const QString dir = qEnvironmentVariable("CASSAVA_RESULTS_SCREENSHOTS");
        if (dir.isEmpty())
            QSKIP("set CASSAVA_RESULTS_SCREENSHOTS=DIR to write screenshots");
        QDir().mkpath(dir);
        for (const bool dark : {false, true}) {
            QPalette pal = QApplication::style()->standardPalette();
            if (dark) {
                pal.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
                pal.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
                pal.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
                pal.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x30));
                pal.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
                pal.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
                pal.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
                pal.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
                pal.setColor(QPalette::ToolTipText, QColor(0xf0, 0xf0, 0xf0));
                pal.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
                for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
                    pal.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
            }
            QApplication::setPalette(pal);
            MainWindow window;
            window.resize(1360, 880);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QSignalSpy shown(&window, &MainWindow::datasetShown);
            window.openDataset(data_);
            QVERIFY(shown.wait(waitMs) || shown.count() > 0);
            auto* results = qobject_cast<ResultsView*>(window.viewWidget(MainWindow::View::Results));
            QSignalSpy loaded(results, &ResultsView::loaded);
            window.openRun(run_);
            QVERIFY(loaded.wait(waitMs) || loaded.count() > 0);
            window.setView(MainWindow::View::Results);
            QTest::qWait(200);
            const QString suffix = dark ? "dark" : "light";
            QVERIFY(window.grab().save(dir + "/results-" + suffix + ".png"));
            QVERIFY(results->exportHeatmapPng(dir + "/heatmap-" + suffix + ".png"));
            int best = 0, bg = 0, bp = 0;
            for (int g = 0; g < 5; ++g)
                for (int p = 0; p < 5; ++p)
                    if (g != p && results->heatmap()->cellCount(g, p) > best) {
                        best = int(results->heatmap()->cellCount(g, p));
                        bg = g;
                        bp = p;
                    }
            emit results->confusionCellClicked(bg, bp);
            QTest::qWait(1500);
            QVERIFY(window.grab().save(dir + "/dataset-cell-" + suffix + ".png"));
            auto* dialog = results->openPredictDialog();
            QTest::qWait(200);
            QVERIFY(dialog->grab().save(dir + "/predict-" + suffix + ".png"));
            dialog->close();
            const QString unfinished = tmp_.path() + "/unfinished";
            if (QFile::exists(unfinished + "/config.json")) {
                window.openRun(unfinished);
                QVERIFY(loaded.wait(waitMs) || loaded.count() > 1);
                window.setView(MainWindow::View::Results);
                QTest::qWait(200);
                QVERIFY(window.grab().save(dir + "/unfinished-" + suffix + ".png"));
            }
        }
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
};

QTEST_MAIN(TestUiResults)
#include "test_ui_results.moc"
