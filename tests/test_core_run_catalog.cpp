// What the runs list reads of a run folder (RunCatalog) and the curves (RunHistory): states from
// status.json and summary.json, a dead or recycled trainer process, progress and best metrics
// from metrics.jsonl, legacy step lines, the debiased smoothing.
#include "TestSupport.h"

#include "RunCatalog.h"
#include "RunHistory.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace cassava;

namespace {

RunDir makeRun(const QString& path, int folds = 2, int epochs = 3)
{
    RunDir run(path.toStdString());
    run.create();
    run.writeJson(run.configPath(), {{"model", "b0"}, {"size", 96}, {"folds", folds}, {"epochs", epochs}});
    return run;
}

void epochLine(const RunDir& run, int fold, int epoch, double loss, double accuracy)
{
    run.appendMetrics({{"type", "epoch"}, {"fold", fold}, {"epoch", epoch}, {"train_loss", loss + 0.1},
                       {"val_loss", loss}, {"val_accuracy", accuracy}, {"lr", 1e-3}});
}

}  // namespace

class TestCoreRunCatalog : public QObject {
    Q_OBJECT

private slots:
    // What a killed trainer leaves (RELIABILITY.md "Kill -9"): a resume removes the temporaries of
    // its own files and nothing else; a folder with only the lock and temporaries takes a new run.
    void interruptedWritesOfTheTrainerAreRemovedAndNothingElse()
    {
        QTemporaryDir tmp;
        const RunDir fresh((tmp.path() + "/fresh").toStdString());
        fresh.create();
        QVERIFY(fresh.holdsNothingButAnInterruptedStart());
        testsupport::writeText(QString::fromStdString(fresh.lockPath()), "");
        testsupport::writeText(QString::fromStdString(fresh.configPath() + ".tmp-Ab12Cd"), "{\"mod");
        QVERIFY(fresh.holdsNothingButAnInterruptedStart());
        testsupport::writeText(QString::fromStdString(fresh.path() + "/notes.txt"), "mine");
        QVERIFY(!fresh.holdsNothingButAnInterruptedStart());

        const RunDir run = makeRun(tmp.path() + "/run");
        const QString root = QString::fromStdString(run.path());
        const QStringList ours = {"/status.json.tmp-x1Y2z3", "/fold_0/best.ckpt.tmp-QWErty", "/fold_1/resume.pt.tmp-a0a0a0"};
        const QStringList others = {"/submission.csv.tmp-x1Y2z3", "/review/decisions.csv.tmp-Zz9Zz9", "/fold_0/notes.txt",
                                    "/fold_0/best.ckpt", "/fold_0/best.ckpt.tmp-"};
        for (const QString& f : ours + others)
            testsupport::writeText(root + f, "x");
        const auto removed = run.removeInterruptedWrites();
        QCOMPARE(static_cast<int>(removed.size()), ours.size());
        for (const QString& f : ours)
            QVERIFY2(!QFile::exists(root + f), qPrintable(f));
        for (const QString& f : others)
            QVERIFY2(QFile::exists(root + f), qPrintable(f));
        QVERIFY(QFile::exists(QString::fromStdString(run.configPath())));
    }

    void stateFollowsStatusAndTheTrainerProcess()
    {
        QTemporaryDir dir;
        const RunDir run = makeRun(dir.filePath("r"));
        QCOMPARE(inspectRun(run.path()).state, RunState::Unfinished);  // config only: never finished

        markRunRunning(run);  // this process trains it
        QCOMPARE(inspectRun(run.path()).state, RunState::Running);
        QVERIFY(runHolderAlive(run.readJson(run.statusPath())));

        // The same pid with another start time is another process (a reused pid): not alive.
        nlohmann::json status = run.readJson(run.statusPath());
        status["process_start"] = "1";
        run.writeJson(run.statusPath(), status);
        QCOMPARE(inspectRun(run.path()).state, RunState::Unfinished);
        // Another boot: not alive either.
        markRunRunning(run);
        status = run.readJson(run.statusPath());
        status["boot"] = "00000000-0000-0000-0000-000000000000";
        run.writeJson(run.statusPath(), status);
        QCOMPARE(inspectRun(run.path()).state, RunState::Unfinished);
        QVERIFY(inspectRun(run.path()).resumable());

        markRunEnded(run, RunState::Cancelled);
        QCOMPARE(inspectRun(run.path()).state, RunState::Cancelled);
        QVERIFY(inspectRun(run.path()).resumable());
        markRunEnded(run, RunState::Failed, "disk full");
        QCOMPARE(inspectRun(run.path()).state, RunState::Failed);
        QCOMPARE(inspectRun(run.path()).error, std::string("disk full"));
        QVERIFY(!inspectRun(run.path()).resumable());
        markRunEnded(run, RunState::Finished);
        QCOMPARE(inspectRun(run.path()).state, RunState::Finished);
        QVERIFY(inspectRun(run.path()).error.empty());
    }

    void runsWithoutStatusAreJudgedBySummary()
    {
        QTemporaryDir dir;
        const RunDir done = makeRun(dir.filePath("done")), stopped = makeRun(dir.filePath("stopped"));
        done.writeJson(done.summaryPath(), {{"completed", true}, {"oof_accuracy", 0.5}});
        stopped.writeJson(stopped.summaryPath(), {{"completed", false}});
        QCOMPARE(inspectRun(done.path()).state, RunState::Finished);
        QCOMPARE(inspectRun(done.path()).oofAccuracy, 0.5);
        QCOMPARE(inspectRun(stopped.path()).state, RunState::Cancelled);
        testsupport::writeText(dir.filePath("not-a-run/x.txt"), "x");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, inspectRun(dir.filePath("not-a-run").toStdString()));
        const auto runs = listRuns(dir.path().toStdString());
        QCOMPARE(runs.size(), size_t(2));  // the folder without config.json is not listed
        QVERIFY(listRuns(dir.filePath("absent").toStdString()).empty());
    }

    void progressAndBestMetricsComeFromTheMetrics()
    {
        QTemporaryDir dir;
        const RunDir run = makeRun(dir.filePath("r"), 2, 3);
        epochLine(run, 0, 0, 1.2, 0.3);
        epochLine(run, 0, 1, 0.9, 0.5);
        epochLine(run, 0, 2, 1.0, 0.45);
        epochLine(run, 1, 0, 1.1, 0.35);
        const RunInfo info = inspectRun(run.path());
        QCOMPARE(info.model, std::string("b0"));
        QCOMPARE(info.size, 96);
        QCOMPARE(info.epochsDone, 4);
        QCOMPARE(info.epochsPlanned(), 6);
        QCOMPARE(info.bestValAccuracy, 0.5);
        QCOMPARE(info.bestValLoss, 0.9);
        QVERIFY(info.bytes > 0);
        QCOMPARE(info.name, std::string("r"));
    }

    void historyFromMetricsLines()
    {
        QTemporaryDir dir;
        const RunDir run = makeRun(dir.filePath("r"));
        // Lines of an older run: steps without "batches" (the epoch's length is estimated).
        for (int b : {10, 20, 30, 40})
            run.appendMetrics({{"type", "step"}, {"fold", 0}, {"epoch", 0}, {"batch", b}, {"loss", 2.0 / b}, {"lr", 1e-4}});
        run.appendMetrics({{"type", "step"}, {"fold", 0}, {"epoch", 1}, {"batch", 10}, {"batches", 40}, {"loss", 0.1}, {"lr", 1e-4}});
        epochLine(run, 0, 0, 1.0, 0.4);
        epochLine(run, 1, 0, 1.1, 0.3);
        const RunHistory h = RunHistory::load(run.path());
        QCOMPARE(h.folds(), (std::vector<int>{0, 1}));
        const auto steps = h.steps(0);
        QCOMPARE(steps.size(), size_t(5));
        QCOMPARE(steps[0].epoch, 0.25);
        QCOMPARE(steps[3].epoch, 1.0);
        QCOMPARE(steps[4].epoch, 1.25);
        QCOMPARE(h.epochs(1).at(0).valAccuracy, 0.3);

        // A resumed run repeats the epoch it restarts: the newer values replace the old.
        RunHistory live = h;
        live.addEpoch({0, 0, 9, 9, 0.9, 0, 0, 0, false});
        QCOMPARE(live.epochs(0).size(), size_t(1));
        QCOMPARE(live.epochs(0).at(0).valAccuracy, 0.9);
        live.addStep(0, 1, 5, 40, 0.2, 0);  // before the last step of the fold: replaces it
        QCOMPARE(live.steps(0).size(), size_t(5));
        QCOMPARE(live.steps(0).back().epoch, 1.125);
    }

    void smoothingIsDebiased()
    {
        const std::vector<double> v{1, 2, 3};
        QCOMPARE(smoothCurve(v, 0), v);
        const auto s = smoothCurve(v, 0.5);
        // EMA 0.5: 0.5, 1.25, 2.125; debiased by 1 - 0.5^k: 1, 1.6667, 2.4286
        QCOMPARE(s[0], 1.0);
        QVERIFY(std::abs(s[1] - 1.25 / 0.75) < 1e-12);
        QVERIFY(std::abs(s[2] - 2.125 / 0.875) < 1e-12);
        // A constant stays constant at any weight.
        for (double x : smoothCurve({4, 4, 4, 4}, 0.9))
            QVERIFY(std::abs(x - 4) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestCoreRunCatalog)
#include "test_core_run_catalog.moc"
