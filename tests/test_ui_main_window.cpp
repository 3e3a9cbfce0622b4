// The main window as a user meets it: open a folder, see its name, class counts and problems;
// open a broken folder and see why; drop a folder; create the demo, or cancel creating it.
#include "TestSupport.h"

#include "ClassCountChart.h"
#include "DatasetSummaryView.h"
#include "DemoDataset.h"
#include "MainWindow.h"
#include "ProblemsModel.h"
#include "ProblemsView.h"

#include "Dataset.h"

#include <QApplication>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QUrl>
#include <opencv2/imgcodecs.hpp>
#include <qcustomplot.h>

#include <array>

using cassava::Problem;
using cassava::ProblemList;
using cassava::ui::MainWindow;
using cassava::ui::ProblemsModel;

namespace {

constexpr int waitMs = 120000;  // an upper bound for a worker, not a timing assertion

void writeJpeg(const QString& path, int shade)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    const cv::Mat image(24, 32, CV_8UC3, cv::Scalar(40, 120 + shade, 60));
    if (!cv::imwrite(path.toStdString(), image))
        qFatal("cannot write %s", qPrintable(path));
}

// A Kaggle-layout folder with `counts[c]` images of class c.
// Extra rows: a duplicate of the first image id (line `duplicateLine`) and a row whose image
// is missing (line `missingLine`); both must be reported and left out of the counts.
struct PlantedDataset {
    QString root;
    std::array<int, 5> counts{};
    int duplicateLine = 0;
    int missingLine = 0;
    QString duplicateId;
    QString missingId;
};

PlantedDataset plantDataset(const QString& root, std::array<int, 5> counts)
{
    PlantedDataset d;
    d.root = root;
    d.counts = counts;
    QByteArray csv = "image_id,label\n";
    int line = 1;
    for (int label = 0; label < 5; ++label)
        for (int i = 0; i < counts[static_cast<size_t>(label)]; ++i) {
            const QString id = QStringLiteral("leaf_%1_%2.jpg").arg(label).arg(i);
            writeJpeg(root + "/train_images/" + id, label * 20 + i);
            csv += id.toUtf8() + "," + QByteArray::number(label) + "\n";
            ++line;
            if (d.duplicateId.isEmpty())
                d.duplicateId = id;
        }
    csv += d.duplicateId.toUtf8() + ",0\n";
    d.duplicateLine = ++line;
    d.missingId = QStringLiteral("never_photographed.jpg");
    csv += d.missingId.toUtf8() + ",3\n";
    d.missingLine = ++line;
    testsupport::writeText(root + "/train.csv", csv);
    testsupport::writeText(root + "/label_num_to_disease_map.json",
                           QByteArray::fromStdString(cassava::LabelMap::standard().toJson()));
    return d;
}

// Rows of the problems model whose file, line and message match.
int findProblem(const ProblemsModel& model, const QString& file, int line, const QString& needle)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const Problem* p = model.problemAt(row);
        if (QString::fromStdString(p->file) == file && p->line == line &&
            QString::fromStdString(p->message).contains(needle))
            return row;
    }
    return -1;
}

bool openAndWait(MainWindow& window, const QString& root)
{
    QSignalSpy shown(&window, &MainWindow::datasetShown);
    window.openDataset(root);
    return shown.wait(waitMs) || shown.count() > 0;
}

}  // namespace

class TestUiMainWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir home_;

private slots:
    void initTestCase()
    {
        QVERIFY(home_.isValid());
        // Settings and the demo go to a throwaway place, never the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, home_.filePath("config"));
        QSettings::setDefaultFormat(QSettings::NativeFormat);
        qputenv("XDG_DATA_HOME", home_.filePath("data").toUtf8());
        QCoreApplication::setOrganizationName("Cassava Studio Tests");
        QCoreApplication::setApplicationName("test_ui_main_window");
    }

    void openingAFolderShowsNameClassCountsAndProblems()
    {
        QTemporaryDir dir;
        const PlantedDataset planted =
            plantDataset(dir.filePath("field-trial-7"), {3, 1, 2, 5, 4});

        MainWindow window;
        window.show();
        QVERIFY(!window.windowTitle().contains("field-trial-7"));
        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.openDataset(planted.root);
        QVERIFY(window.isBusy());  // the folder is read on a worker; the event loop runs on
        QVERIFY(shown.wait(waitMs) || shown.count() > 0);
        QVERIFY(!window.isBusy());

        QCOMPARE(window.windowTitle(), QString("Cassava Studio — field-trial-7"));
        QCOMPARE(window.summaryView()->nameText(), QString("field-trial-7"));
        QCOMPARE(window.summaryView()->imageCountText(), QString("15"));
        QCOMPARE(window.summaryView()->classCountText(), QString("5"));
        QVERIFY(!window.summaryView()->bannerVisible());

        // One bar per class, at its label, as tall as the class's count of valid rows.
        cassava::ui::ClassCountChart* chart = window.classCountChart();
        QCOMPARE(chart->barCount(), 5);
        for (int label = 0; label < 5; ++label) {
            QCPBars* bars = chart->bars(label);
            QVERIFY(bars);
            QCOMPARE(bars->data()->size(), 1);
            QCOMPARE(bars->data()->at(0)->key, double(label));
            QCOMPARE(bars->data()->at(0)->value, double(planted.counts[static_cast<size_t>(label)]));
        }
        auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(chart->plot()->xAxis->ticker());
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(0), QString("CBB"));
        QCOMPARE(ticker->ticks().value(4), QString("Healthy"));

        // The planted rows are listed with file and line.
        ProblemsModel* problems = window.problemsView()->model();
        const int duplicate =
            findProblem(*problems, "train.csv", planted.duplicateLine, planted.duplicateId);
        QVERIFY2(duplicate >= 0, "the duplicate image_id row is not listed");
        const int missing =
            findProblem(*problems, "train.csv", planted.missingLine, planted.missingId);
        QVERIFY2(missing >= 0, "the row whose image is missing is not listed");
        QCOMPARE(problems->data(problems->index(missing, ProblemsModel::LineColumn)).toInt(),
                 planted.missingLine);
        QCOMPARE(problems->data(problems->index(missing, ProblemsModel::FileColumn)).toString(),
                 QString("train.csv"));
        QVERIFY(window.problemsView()->summaryText().contains("error"));

        // The folder is remembered for File > Recent Datasets.
        QVERIFY(QSettings().value("recentDatasets").toStringList().contains(planted.root));
    }

    void reloadReadsTheFolderAgain()
    {
        QTemporaryDir dir;
        const PlantedDataset planted = plantDataset(dir.filePath("season"), {2, 2, 2, 2, 2});
        MainWindow window;
        QVERIFY(openAndWait(window, planted.root));
        ProblemsModel* problems = window.problemsView()->model();
        QVERIFY(findProblem(*problems, "train.csv", planted.missingLine, planted.missingId) >= 0);

        // The user fixes train.csv in another program and presses F5.
        QFile csv(planted.root + "/train.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = csv.readAll().split('\n');
        csv.close();
        lines.removeAt(planted.missingLine - 1);
        lines.removeAt(planted.duplicateLine - 1);
        testsupport::writeText(csv.fileName(), lines.join('\n'));

        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.reload();
        QVERIFY(shown.wait(waitMs) || shown.count() > 0);
        QCOMPARE(problems->count(Problem::Severity::Error), 0);
        QCOMPARE(window.summaryView()->imageCountText(), QString("10"));
    }

    void onlyTheLastOfTwoQuickOpensIsShown()
    {
        QTemporaryDir dir;
        const PlantedDataset first = plantDataset(dir.filePath("first"), {1, 1, 1, 1, 1});
        const PlantedDataset second = plantDataset(dir.filePath("second"), {1, 2, 1, 2, 1});
        MainWindow window;
        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.openDataset(first.root);
        window.openDataset(second.root);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), waitMs);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.at(0).at(0).toString(), second.root);
        QCOMPARE(window.windowTitle(), QString("Cassava Studio — second"));
    }

    void aFolderWithoutTrainCsvShowsAFatalProblem()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath("holiday-photos");
        writeJpeg(root + "/beach.jpg", 0);

        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, root));
        QVERIFY(window.windowTitle().contains("holiday-photos"));
        ProblemsModel* problems = window.problemsView()->model();
        QVERIFY(problems->count(Problem::Severity::Fatal) >= 1);
        bool namesTrainCsv = false;
        for (int row = 0; row < problems->rowCount(); ++row) {
            const Problem* p = problems->problemAt(row);
            namesTrainCsv |= p->severity == Problem::Severity::Fatal &&
                             (p->file == "train.csv" || p->message.find("train.csv") != std::string::npos);
        }
        QVERIFY2(namesTrainCsv, "no fatal problem names train.csv");
        QVERIFY(window.summaryView()->bannerVisible());
        QCOMPARE(window.summaryView()->imageCountText(), QString("0"));

        // The window stays usable: a good folder opens afterwards.
        const PlantedDataset good = plantDataset(dir.filePath("good"), {1, 1, 1, 1, 1});
        QVERIFY(openAndWait(window, good.root));
        QVERIFY(!window.summaryView()->bannerVisible());
        QCOMPARE(window.windowTitle(), QString("Cassava Studio — good"));
    }

    void droppingAFolderOpensIt()
    {
        QTemporaryDir dir;
        const PlantedDataset planted = plantDataset(dir.filePath("dropped"), {2, 2, 2, 2, 2});
        MainWindow window;
        window.show();

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(planted.root)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());

        QSignalSpy shown(&window, &MainWindow::datasetShown);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(shown.wait(waitMs) || shown.count() > 0);
        QCOMPARE(window.windowTitle(), QString("Cassava Studio — dropped"));

        // A file is not a dataset folder: not accepted.
        QMimeData file;
        file.setUrls({QUrl::fromLocalFile(planted.root + "/train.csv")});
        QDragEnterEvent fileEnter(QPoint(10, 10), Qt::CopyAction, &file, Qt::LeftButton, Qt::NoModifier);
        fileEnter.setAccepted(false);
        QApplication::sendEvent(&window, &fileEnter);
        QVERIFY(!fileEnter.isAccepted());
    }

    void theProblemsModelHandlesTwentyThousandRows()
    {
        auto list = std::make_shared<ProblemList>();
        for (int i = 0; i < 20000; ++i) {
            const auto severity = i == 777 ? Problem::Severity::Fatal
                                           : i % 10 == 0 ? Problem::Severity::Warning
                                                         : Problem::Severity::Error;
            list->push_back({severity, "train.csv", i + 2,
                             "image '" + std::to_string(1000000 + i) +
                                 ".jpg' is listed but does not exist"});
        }
        cassava::ui::ProblemsView view;
        view.setProblems(list);
        ProblemsModel* model = view.model();
        QCOMPARE(model->rowCount(), 20000);
        QCOMPARE(model->count(Problem::Severity::Warning), 2000);
        QCOMPARE(model->data(model->index(12345, ProblemsModel::FileColumn)).toString(),
                 QString("train.csv"));
        QCOMPARE(model->data(model->index(12345, ProblemsModel::LineColumn)).toInt(), 12347);
        QVERIFY(model->data(model->index(12345, ProblemsModel::MessageColumn))
                    .toString()
                    .contains("1012345.jpg"));
        QVERIFY(!model->data(model->index(12345, ProblemsModel::SeverityColumn),
                             Qt::DecorationRole)
                     .isNull());

        QSortFilterProxyModel* proxy = view.proxy();
        proxy->sort(ProblemsModel::LineColumn, Qt::DescendingOrder);
        QCOMPARE(proxy->data(proxy->index(0, ProblemsModel::LineColumn)).toInt(), 20001);
        QCOMPARE(proxy->data(proxy->index(19999, ProblemsModel::LineColumn)).toInt(), 2);
        proxy->sort(ProblemsModel::SeverityColumn, Qt::AscendingOrder);
        QCOMPARE(proxy->data(proxy->index(0, ProblemsModel::SeverityColumn)).toString(),
                 QString("Fatal"));
        QCOMPARE(proxy->data(proxy->index(19999, ProblemsModel::SeverityColumn)).toString(),
                 QString("Warning"));

        view.setFilterText("101234");  // 1012340..1012349
        QCOMPARE(proxy->rowCount(), 10);
        QVERIFY(view.summaryText().contains("showing 10 of 20,000"));
        view.setFilterText({});
        QCOMPARE(proxy->rowCount(), 20000);
    }

    void theDemoIsCreatedOnceAndOpened()
    {
        const QString demo = cassava::ui::demoDatasetPath();
        QVERIFY(demo.startsWith(home_.filePath("data")));
        QVERIFY(demo.endsWith("/cassava-studio/demo"));
        // Left by a run that was killed: must not count as a demo, and is replaced.
        testsupport::writeText(demo + ".partial/train.csv", "image_id,label\n");
        QVERIFY(!cassava::ui::demoDatasetExists());

        MainWindow window;
        window.show();
        cassava::SynthOptions small;
        small.count = 10;
        small.width = 64;
        small.height = 48;
        window.demoGenerator()->setOptions(small);
        QSignalSpy shown(&window, &MainWindow::datasetShown);
        window.openDemoDataset();
        QVERIFY(window.isBusy());
        QVERIFY(shown.wait(waitMs) || shown.count() > 0);

        QVERIFY(cassava::ui::demoDatasetExists());
        QVERIFY(!QFileInfo::exists(demo + ".partial"));
        QCOMPARE(window.windowTitle(), QString("Cassava Studio — demo"));
        QVERIFY(window.dataset());
        QCOMPARE(int(window.dataset()->samples().size()), 10);
        double total = 0;
        for (int label = 0; label < window.classCountChart()->barCount(); ++label)
            total += window.classCountChart()->bars(label)->data()->at(0)->value;
        QCOMPARE(total, 10.0);
    }

    void aCancelledDemoLeavesNoHalfDataset()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath("cassava-studio/demo");
        cassava::ui::DemoGenerator generator;
        cassava::SynthOptions many;
        many.count = 5000;
        many.width = 64;
        many.height = 48;
        generator.setOptions(many);
        QSignalSpy cancelled(&generator, &cassava::ui::DemoGenerator::cancelled);
        QSignalSpy finished(&generator, &cassava::ui::DemoGenerator::finished);
        generator.start(target);
        generator.cancel();  // the user pressed Cancel
        QVERIFY(cancelled.wait(waitMs) || cancelled.count() > 0);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!generator.isRunning());
        QVERIFY(!QFileInfo::exists(target));
        QVERIFY(!QFileInfo::exists(target + ".partial"));
        QVERIFY(!cassava::ui::demoDatasetExists(target));
    }

    void theWindowRemembersItsGeometry()
    {
        {
            MainWindow window;
            window.show();
            window.resize(1100, 760);
            window.close();
        }
        QVERIFY(!QSettings().value("mainWindow/geometry").toByteArray().isEmpty());
        MainWindow again;
        QCOMPARE(again.size(), QSize(1100, 760));
    }
};

QTEST_MAIN(TestUiMainWindow)
#include "test_ui_main_window.moc"
