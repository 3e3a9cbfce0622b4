// `cassava train` on a server: killed with kill -9 mid-run and resumed, stopped with Ctrl+C,
// evaluated afterwards. The resumed run's epochs are exactly the uninterrupted run's.
#include "TestSupport.h"

#include "RunDir.h"
#include "RunLock.h"

#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <csignal>

using testsupport::epochLines;
using testsupport::runCli;

namespace {

QStringList trainArgs(const QString& data, const QString& out)
{
    return {"train", "--data", data, "--out", out, "--size", "32", "--epochs", "3", "--val-split", "0.25",
            "--batch", "8", "--threads", "1", "--workers", "1", "--seed", "5", "--limit", "48", "--no-augment"};
}

bool waitForEpochLines(const QString& run, int count, QProcess& p)
{
    if (!p.waitForStarted())
        return false;
    for (int i = 0; i < 3000 && p.state() == QProcess::Running; ++i) {
        if (epochLines(run).size() >= count)
            return true;
        QTest::qWait(20);
    }
    return false;
}

}  // namespace

class CliTrainTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_;

private slots:
    void initTestCase()
    {
        data_ = tmp_.path() + "/leaves";
        const auto r = runCli({"synth", "--out", data_, "--count", "60", "--size", "64x48", "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void killedRunResumesExactly()
    {
        const QString whole = tmp_.path() + "/whole";
        const auto full = runCli(trainArgs(data_, whole));
        QVERIFY2(full.exitCode == 0, qPrintable(full.err + full.out));
        QVERIFY(full.out.contains("fold 0 epoch 3"));
        QCOMPARE(epochLines(whole).size(), 3);

        const QString killed = tmp_.path() + "/killed";
        QProcess p;
        p.start(QStringLiteral(CASSAVA_CLI), trainArgs(data_, killed));
        QVERIFY(waitForEpochLines(killed, 1, p));
        // Once the first epoch is safely on disk, kill somewhere inside the second.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(killed + "/fold_0/resume.pt"), 60000);
        QTest::qWait(100);
        p.kill();           // SIGKILL: no chance to clean up
        p.waitForFinished();

        const auto resumed = runCli({"train", "--resume", killed});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err + resumed.out));
        QVERIFY2(resumed.out.contains("resumed after epoch 1") || resumed.out.contains("resumed after epoch 2"),
                 qPrintable(resumed.out));
        QCOMPARE(epochLines(killed), epochLines(whole));
        QVERIFY(QFileInfo::exists(killed + "/summary.json"));
        QVERIFY(QFileInfo::exists(killed + "/oof.csv"));

        // Resuming a finished run trains nothing more and changes nothing.
        QVERIFY(runCli({"train", "--resume", killed}).exitCode == 0);
        QCOMPARE(epochLines(killed), epochLines(whole));
    }

    void ctrlCStopsCleanlyWithAUsableCheckpoint()
    {
        const QString run = tmp_.path() + "/interrupted";
        QStringList args = trainArgs(data_, run);
        args[args.indexOf("3")] = "50";  // --epochs 50: it would run for minutes
        QProcess p;
        p.start(QStringLiteral(CASSAVA_CLI), args);
        QVERIFY(waitForEpochLines(run, 1, p));
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(p.readAllStandardOutput()).contains("cancelled"));

        const auto eval = runCli({"evaluate", "--model", run + "/fold_0/last.ckpt", "--data", data_, "--json"});
        QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
        const QJsonObject j = QJsonDocument::fromJson(eval.out.toUtf8()).object();
        QCOMPARE(j["images"].toInt(), 60);
        QVERIFY(j["accuracy"].toDouble() >= 0.0);
        QCOMPARE(j["matrix"].toArray().size(), 5);
    }

    void aSecondResumeOfARunningRunRefusesNamingTheHolder()
    {
        const QString run = tmp_.path() + "/busy";
        QStringList args = trainArgs(data_, run);
        args[args.indexOf("3")] = "50";
        QProcess first;
        first.start(QStringLiteral(CASSAVA_CLI), args);
        QVERIFY(waitForEpochLines(run, 1, first));
        const auto second = runCli({"train", "--resume", run});
        QCOMPARE(second.exitCode, 1);
        const QString holder = QStringLiteral("is being trained by process %1").arg(first.processId());
        QVERIFY2(second.err.contains(holder) && second.err.contains("run.lock"), qPrintable(second.err));
        // The same from this process's own RunLock, as the GUI's Trainer would take it.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, cassava::RunLock::acquire(cassava::RunDir(run.toStdString())));
        first.kill();  // SIGKILL: the kernel drops its lock, nothing to clean up
        first.waitForFinished();
        cassava::RunLock lock = cassava::RunLock::acquire(cassava::RunDir(run.toStdString()));
        QVERIFY(lock.held());
        lock.release();
        QVERIFY(cassava::RunLock::acquire(cassava::RunDir(run.toStdString())).held());
    }

    void refusesToOverwriteARun()
    {
        const QString run = tmp_.path() + "/whole";
        const auto again = runCli(trainArgs(data_, run));
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains("already holds a run"));
    }

    void choosesHowTorchThreadsWaitAndMallocKeepsMemoryUnlessTheUserDid()
    {
        // The suite runs with OMP_WAIT_POLICY set; a user's shell usually has none of these.
        const auto trainWith = [&](const QString& name, const QStringList& env) {
            QProcess p;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            for (const QString& key : e.keys())
                if (key == "OMP_WAIT_POLICY" || key == "GOMP_SPINCOUNT" || key.startsWith("MALLOC_") ||
                    key == "GLIBC_TUNABLES")
                    e.remove(key);
            for (const QString& kv : env)
                e.insert(kv.section('=', 0, 0), kv.section('=', 1));
            p.setProcessEnvironment(e);
            QStringList args = trainArgs(data_, tmp_.path() + "/" + name);
            args[args.indexOf("--epochs") + 1] = "1";
            p.start(QStringLiteral(CASSAVA_CLI), args);
            p.waitForFinished(300000);
            return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        };
        const QString chosen = trainWith("policy-default", {});
        QVERIFY2(chosen.contains("threads, spin 1000, malloc keeps freed memory)") ||
                     chosen.contains("threads, spin 10000, malloc keeps freed memory)"),
                 qPrintable(chosen));
        QVERIFY2(trainWith("policy-user", {"GOMP_SPINCOUNT=777", "MALLOC_ARENA_MAX=4"})
                     .contains("threads, spin 777, malloc as set by MALLOC_ARENA_MAX)"),
                 "the user's spin count and malloc setting");
        QVERIFY2(trainWith("policy-passive", {"OMP_WAIT_POLICY=PASSIVE"}).contains("threads, PASSIVE, malloc keeps freed memory)"),
                 "the user's policy");
    }

    void badFlagsAreUsageErrors()
    {
        const auto r = runCli({"train", "--data", data_, "--out", tmp_.path() + "/x", "--amp", "fp8"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("amp"));
        QCOMPARE(runCli({"train", "--resume", tmp_.path() + "/no-such-run"}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(CliTrainTest)
#include "test_cli_train.moc"
