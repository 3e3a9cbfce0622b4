// The Train view over a real (tiny) training in-process: the controller's events fill the curves
// and the dashboard, cancel stops within a batch and leaves a usable checkpoint, a run whose
// process was killed is listed as unfinished and resumes to the same metrics as an uninterrupted
// run, the runs list reads each run's state, and the plot redraws are throttled.
#include "TestSupport.h"

#include "CurvesPlot.h"
#include "Predictor.h"
#include "RunCatalog.h"
#include "RunsModel.h"
#include "TrainController.h"
#include "TrainDashboard.h"
#include "TrainView.h"

#include <QApplication>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeView>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <csignal>

using namespace cassava;
using namespace cassava::ui;
using testsupport::runCli;

namespace {

TrainConfig tinyConfig(const QString& data, const QString& out, int folds, int epochs)
{
    TrainConfig c = TrainConfig::preset("quick");
    c.data = data.toStdString();
    c.out = out.toStdString();
    c.size = 64;
    c.augment.size = 64;
    c.folds = folds;
    c.valSplit = 0.3;
    c.epochs = epochs;
    c.batch = 8;
    c.threads = 2;
    c.workers = 2;
    c.logEverySteps = 1;
    c.bnCalibrationImages = 16;
    return c;
}

bool waitFinished(QSignalSpy& spy, int timeoutMs = 300000) { return spy.count() > 0 || spy.wait(timeoutMs); }

std::vector<nlohmann::json> epochLines(const QString& run)
{
    std::vector<nlohmann::json> out;
    for (auto& line : RunDir(run.toStdString()).readMetrics())
        if (line.value("type", std::string()) == "epoch")
            out.push_back(line);
    return out;
}

}  // namespace

class TestUiTrain : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString data_;

private slots:
    void initTestCase()
    {
        data_ = dir_.filePath("field");
        const auto r = runCli({"synth", "--out", data_, "--count", "40", "--size", "96x72", "--seed", "5"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void aTinyTrainingFillsTheCurvesAndFinishes()
    {
        TrainView view;
        view.setRunsFolder(dir_.filePath("runs"));
        view.resize(1300, 800);
        view.show();
        const QString run = dir_.filePath("runs/two-folds");
        QSignalSpy finished(view.controller(), &TrainController::runFinished);
        QSignalSpy steps(view.controller(), &TrainController::stepProgress);
        QVERIFY(view.startTraining(tinyConfig(data_, run, 2, 2)));
        QVERIFY(view.isTraining());
        QVERIFY(waitFinished(finished));
        const auto result = finished.first().first().value<RunFinished>();
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(result.completed);
        QVERIFY(steps.count() > 0);
        QVERIFY(!view.isTraining());

        // The live history holds exactly what the engine wrote: 2 folds x 2 epochs.
        const RunHistory& live = view.controller()->history();
        QCOMPARE(live.epochs().size(), size_t(4));
        QCOMPARE(live.folds(), (std::vector<int>{0, 1}));
        const auto lines = epochLines(run);
        QCOMPARE(lines.size(), size_t(4));
        const RunHistory stored = RunHistory::load(run.toStdString());
        for (int fold : {0, 1})
            for (int epoch : {0, 1}) {
                const auto a = live.epochs(fold).at(static_cast<size_t>(epoch));
                const auto b = stored.epochs(fold).at(static_cast<size_t>(epoch));
                QCOMPARE(a.valLoss, b.valLoss);
                QCOMPARE(a.valAccuracy, b.valAccuracy);
                QCOMPARE(a.trainLoss, b.trainLoss);
            }
        QCOMPARE(live.steps().size(), stored.steps().size());

        // The dashboard shows the run (selected when it started), its curves from the files.
        QTRY_COMPARE(view.selectedRun(), QDir::cleanPath(run));
        CurvesPlot* curves = view.dashboard()->curves();
        curves->redrawNow();
        for (int fold : {0, 1}) {
            QCPGraph* val = curves->graph(CurvesPlot::Series::ValLoss, fold);
            QVERIFY(val);
            QCOMPARE(val->dataCount(), 2);
            QCOMPARE(val->data()->at(1)->value, stored.epochs(fold).at(1).valLoss);
            QVERIFY(curves->graph(CurvesPlot::Series::StepLoss, fold)->dataCount() > 2);
            QCOMPARE(curves->graph(CurvesPlot::Series::ValAccuracy, fold)->dataCount(), 2);
        }
        // One fold at a time.
        curves->setFold(1);
        QVERIFY(!curves->graph(CurvesPlot::Series::ValLoss, 0));
        QVERIFY(curves->graph(CurvesPlot::Series::ValLoss, 1));

        // The runs list has it, finished, with its best accuracy.
        const RunInfo* info = view.runsModel()->run(run);
        QVERIFY(info);
        QCOMPARE(info->state, RunState::Finished);
        QCOMPARE(info->epochsDone, 4);
        QCOMPARE(info->epochsPlanned(), 4);
        QVERIFY(info->oofAccuracy >= 0);
    }

    void cancelStopsWithinABatchAndKeepsAUsableCheckpoint()
    {
        TrainView view;
        view.setRunsFolder(dir_.filePath("runs"));
        const QString run = dir_.filePath("runs/cancelled");
        TrainController* controller = view.controller();
        int stepsAfterCancel = -1;
        connect(controller, &TrainController::stepProgress, this, [&](const StepProgress& s) {
            if (stepsAfterCancel >= 0)
                ++stepsAfterCancel;
            // Mid-epoch of the second epoch: the first one's checkpoint exists.
            if (s.epoch == 1 && s.batch == 1 && stepsAfterCancel < 0) {
                stepsAfterCancel = 0;
                controller->cancel();
            }
        });
        QSignalSpy finished(controller, &TrainController::runFinished);
        QVERIFY(view.startTraining(tinyConfig(data_, run, 0, 6)));
        QVERIFY(waitFinished(finished));
        const auto result = finished.first().first().value<RunFinished>();
        QVERIFY(result.cancelled);
        QVERIFY(!result.completed);
        QVERIFY2(stepsAfterCancel <= 1, qPrintable(QString::number(stepsAfterCancel)));  // within one batch
        QVERIFY(epochLines(run).size() < 6);
        const RunInfo info = inspectRun(run.toStdString());
        QCOMPARE(info.state, RunState::Cancelled);
        QVERIFY(info.resumable());
        // The last checkpoint loads and predicts.
        const Predictor predictor = Predictor::fromCheckpoint(RunDir(run.toStdString()).lastCheckpoint(0));
        const QString photo = data_ + "/train_images/" + QDir(data_ + "/train_images").entryList(QDir::Files).value(0);
        const auto predictions = predictor.predict({photo.toStdString()});
        QCOMPARE(predictions.size(), size_t(1));
        QVERIFY(predictions[0].ok());
    }

    void aKilledRunIsUnfinishedAndResumesToTheSameMetrics()
    {
        const QString whole = dir_.filePath("runs/whole"), killed = dir_.filePath("runs/killed");
        const QStringList common{"--data", data_, "--preset", "quick", "--size", "64", "--folds", "2",
                                 "--epochs", "2", "--batch", "8", "--threads", "2", "--workers", "2"};
        // The reference: the same settings, never interrupted (the CLI; the GUI resumes the other).
        auto r = runCli(QStringList{"train", "--out", whole} + common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        // Killed with SIGKILL once its first epoch is on disk.
        QProcess train;
        train.start(QStringLiteral(CASSAVA_CLI), QStringList{"train", "--out", killed} + common);
        QVERIFY(train.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(!epochLines(killed).empty() || train.state() == QProcess::NotRunning, 300000);
        QVERIFY2(train.state() == QProcess::Running, "the run ended before it could be killed");
        ::kill(static_cast<pid_t>(train.processId()), SIGKILL);
        QVERIFY(train.waitForFinished());
        QVERIFY(!QFile::exists(killed + "/summary.json"));

        TrainView view;
        view.setRunsFolder(dir_.filePath("runs"));
        QSignalSpy scanned(view.runsModel(), &RunsModel::scanned);
        QVERIFY(scanned.wait(60000));
        const RunInfo* info = view.runsModel()->run(killed);
        QVERIFY(info);
        QCOMPARE(info->state, RunState::Unfinished);  // status.json says running; its process is gone
        QVERIFY(info->resumable());
        view.selectRun(killed);
        QVERIFY(view.dashboard()->resumeButton()->isVisibleTo(&view));
        QVERIFY(view.dashboard()->resumeButton()->isEnabled());

        QSignalSpy finished(view.controller(), &TrainController::runFinished);
        view.dashboard()->resumeButton()->click();
        QVERIFY(view.isTraining());
        QVERIFY(waitFinished(finished));
        const auto result = finished.first().first().value<RunFinished>();
        QVERIFY2(result.error.empty(), result.error.c_str());
        QVERIFY(result.completed);

        // Same epochs, same numbers, same summary as the uninterrupted run.
        const auto a = epochLines(whole), b = epochLines(killed);
        QCOMPARE(b.size(), a.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i]["fold"], a[i]["fold"]);
            QCOMPARE(b[i]["epoch"], a[i]["epoch"]);
            QCOMPARE(b[i]["val_loss"].get<double>(), a[i]["val_loss"].get<double>());
            QCOMPARE(b[i]["val_accuracy"].get<double>(), a[i]["val_accuracy"].get<double>());
        }
        const auto sa = RunDir(whole.toStdString()).readJson(whole.toStdString() + "/summary.json");
        const auto sb = RunDir(killed.toStdString()).readJson(killed.toStdString() + "/summary.json");
        QCOMPARE(sb["oof_accuracy"].get<double>(), sa["oof_accuracy"].get<double>());
        QCOMPARE(sb["confusion_matrix"]["matrix"], sa["confusion_matrix"]["matrix"]);
        QCOMPARE(inspectRun(killed.toStdString()).state, RunState::Finished);
        // The live curves after the resume include the epochs trained before the kill.
        QCOMPARE(view.controller()->history().epochs().size(), a.size());
    }

    void twoRunsCurvesCanBeCompared()
    {
        TrainDashboard* dashboard = nullptr;
        TrainView view;
        view.setRunsFolder(dir_.filePath("runs"));
        QSignalSpy scanned(view.runsModel(), &RunsModel::scanned);
        QVERIFY(scanned.wait(60000));
        dashboard = view.dashboard();
        view.selectRun(dir_.filePath("runs/whole"));
        dashboard->compareWith(dir_.filePath("runs/two-folds"));
        CurvesPlot* curves = dashboard->curves();
        QVERIFY(curves->graph(CurvesPlot::Series::ValLoss, 0, false));
        QCPGraph* other = curves->graph(CurvesPlot::Series::ValLoss, 0, true);
        QVERIFY(other);
        QCOMPARE(other->dataCount(), 2);
        QCOMPARE(other->pen().style(), Qt::DotLine);
        dashboard->compareWith({});
        QVERIFY(!curves->graph(CurvesPlot::Series::ValLoss, 0, true));
    }

    void redrawsAreThrottled()
    {
        CurvesPlot plot;
        RunHistory history;
        plot.setHistory(&history, "h");
        const int before = plot.redrawCount();
        for (int i = 0; i < 500; ++i) {
            history.addStep(0, 0, i + 1, 500, 1.0 / (i + 1), 1e-3);
            plot.scheduleRedraw();
        }
        QCOMPARE(plot.redrawCount(), before);  // nothing drawn while asked
        QTRY_COMPARE(plot.redrawCount(), before + 1);
        QCOMPARE(plot.graph(CurvesPlot::Series::StepLoss, 0)->dataCount(), 500);
        QTest::qWait(CurvesPlot::throttleMs * 2);
        QCOMPARE(plot.redrawCount(), before + 1);  // one redraw for 500 requests
    }
};

QTEST_MAIN(TestUiTrain)
#include "test_ui_train.moc"
