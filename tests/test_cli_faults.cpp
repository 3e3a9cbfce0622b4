// The fault campaigns of RELIABILITY.md on the command line.
// - kill -9: `cassava train` killed at 20 moments (CASSAVA_CRASH_AT names a crash point: a training
//   step, the BatchNorm calibration, the middle of a checkpoint, resume-file, CSV or JSON write,
//   between folds; or a SIGKILL after a random delay), each followed by `--resume`. After every
//   kill `cassava verify` finds no damaged file; every run that finishes equals the uninterrupted
//   one: the same epoch lines, the same oof.csv, the same weights in every best.ckpt.
//   predict, denoise and review export killed while writing: each output is absent or complete.
// - A full disk (a small tmpfs in a mount namespace), a file-size limit (ulimit -f) and a read-only
//   run folder: exit code 1, a message naming the file and the reason, the previous checkpoint
//   byte for byte as it was, and a resume that finishes once there is room.
// The seed and the number of kills come from CASSAVA_FAULT_SEED and CASSAVA_KILL_MOMENTS.
#include "TestSupport.h"

#include "Checkpoint.h"
#include "EfficientNet.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <map>
#include <random>
#include <unistd.h>

using testsupport::epochLines;
using testsupport::runCli;
using testsupport::writeText;

namespace {

QStringList trainArgs(const QString& data, const QString& out)
{
    // 2 folds of 16 photos, 2 epochs of 2 steps, one calibration batch per epoch: every phase of a
    // run, a few seconds each.
    return {"train", "--data", data, "--out", out, "--size", "32", "--epochs", "2", "--folds", "2", "--batch", "8",
            "--threads", "1", "--workers", "1", "--seed", "5", "--limit", "32"};
}

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray digestOf(const QString& path)
{
    return QCryptographicHash::hash(bytesOf(path), QCryptographicHash::Sha256).toHex();
}

struct Outcome {
    bool killed = false;  // ended by SIGKILL (a crash point or the test's kill)
    int exitCode = -1;
    QString err;
};

// Runs the CLI with CASSAVA_CRASH_AT=crashAt (none when empty); kills it after killAfterMs (never
// when 0).
Outcome runFaulty(const QStringList& args, const QString& crashAt, int killAfterMs = 0)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!crashAt.isEmpty())
        env.insert("CASSAVA_CRASH_AT", crashAt);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CASSAVA_CLI), args);
    Outcome o;
    if (!p.waitForStarted())
        return o;
    if (killAfterMs > 0 && !p.waitForFinished(killAfterMs))
        p.kill();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        o.err = "timed out";
        return o;
    }
    o.killed = p.exitStatus() == QProcess::CrashExit;
    o.exitCode = o.killed ? -1 : p.exitCode();
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

// `cassava verify`: no damaged file; the number of leftover temporaries in `leftovers`.
bool runIsWhole(const QString& run, QString& report, int* leftovers = nullptr)
{
    const auto r = runCli({"verify", "--run", run, "--quiet"});
    report = r.out + r.err;
    if (leftovers) {  // from its last line: "RUN: 9 whole, 0 damaged, 0 tolerated, 2 leftover temporaries, ..."
        const auto m = QRegularExpression(QStringLiteral("(\\d+) leftover temporaries")).match(r.out);
        *leftovers = m.hasMatch() ? m.captured(1).toInt() : -1;
    }
    return r.exitCode == 0;
}

// Whether the mount-namespace tricks (a small tmpfs, a read-only bind mount) work here.
bool canUseMountNamespace()
{
    QProcess p;
    p.start("unshare", {"-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs \"$d\" && umount \"$d\" && rmdir \"$d\""});
    return p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

}  // namespace

class CliFaultsTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_, whole_, partial_;

    QString path(const QString& name) const { return tmp_.path() + "/" + name; }

    // A finished run equals the uninterrupted one.
    void compareWithWhole(const QString& run)
    {
        QCOMPARE(epochLines(run), epochLines(whole_));
        QCOMPARE(bytesOf(run + "/oof.csv"), bytesOf(whole_ + "/oof.csv"));
        for (int fold = 0; fold < 2; ++fold) {
            const QString name = QString("/fold_%1/best.ckpt").arg(fold);
            cassava::CheckpointMetadata a, b;
            auto ours = cassava::loadCheckpoint(testsupport::str(run + name), &a);
            auto theirs = cassava::loadCheckpoint(testsupport::str(whole_ + name), &b);
            QCOMPARE(a.metrics.dump(), b.metrics.dump());
            const auto x = ours->named_parameters(true), y = theirs->named_parameters(true);
            QCOMPARE(x.size(), y.size());
            for (const auto& p : x)
                QVERIFY2(torch::equal(p.value(), y[p.key()]), p.key().c_str());
            const auto bx = ours->named_buffers(true), by = theirs->named_buffers(true);
            for (const auto& p : bx)
                QVERIFY2(torch::equal(p.value(), by[p.key()]), p.key().c_str());
        }
        QString report;
        int leftovers = -1;
        QVERIFY2(runIsWhole(run, report, &leftovers), qPrintable(report));
        QCOMPARE(leftovers, 0);  // the last resume removed what earlier kills left
    }

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        data_ = path("leaves");
        auto r = runCli({"synth", "--out", data_, "--count", "60", "--size", "64x48", "--seed", "3", "--test-count", "6"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        whole_ = path("whole");
        r = runCli(trainArgs(data_, whole_));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // A run killed inside fold 0's second epoch: resume.pt, last.ckpt and best.ckpt exist.
        partial_ = path("partial");
        const Outcome o = runFaulty(trainArgs(data_, partial_), "batch@3");
        QVERIFY2(o.killed, qPrintable(o.err));
        QVERIFY(QFile::exists(partial_ + "/fold_0/last.ckpt"));
    }

    // The campaign's judge must see damage: each file cut short or broken the way a crash without
    // atomic writes would leave it.
    void verifyNamesEveryDamagedFile()
    {
        const QString run = path("damaged");
        QVERIFY(QProcess::execute("cp", {"-a", whole_, run}) == 0);
        QString report;
        QVERIFY2(runIsWhole(run, report), qPrintable(report));
        auto cut = [&](const QString& name, int keep) {
            QByteArray bytes = bytesOf(run + "/" + name);
            QVERIFY(bytes.size() > keep);
            writeText(run + "/" + name, bytes.left(keep < 0 ? bytes.size() + keep : keep));
        };
        // A torn last line of the append-only metrics is tolerated, as its readers tolerate it.
        QFile metrics(run + "/metrics.jsonl");
        QVERIFY(metrics.open(QIODevice::Append));
        metrics.write("{\"type\":\"step\",\"fold\":1,\"lo");
        metrics.close();
        auto r = runCli({"verify", "--run", run});
        QVERIFY2(r.exitCode == 0 && r.out.contains("tolerated metrics.jsonl"), qPrintable(r.out));

        cut("fold_1/best.ckpt", -1000);
        cut("fold_0/resume.pt", 4096);
        cut("summary.json", -3);
        cut("oof.csv", -7);
        cut("folds.csv", -1);  // the last newline only
        writeText(run + "/fold_0/last.ckpt.tmp-a1B2c3", "half");
        r = runCli({"verify", "--run", run});
        QCOMPARE(r.exitCode, 1);
        for (const char* name : {"fold_1/best.ckpt", "fold_0/resume.pt", "summary.json", "oof.csv", "folds.csv"})
            QVERIFY2(r.out.contains(QString("DAMAGED   %1: ").arg(name)), qPrintable(name + (": " + r.out)));
        QVERIFY2(r.out.contains("leftover  fold_0/last.ckpt.tmp-a1B2c3"), qPrintable(r.out));
        QVERIFY2(r.out.contains("5 damaged, 1 tolerated, 1 leftover"), qPrintable(r.out));
        QCOMPARE(runCli({"verify", "--run", path("absent")}).exitCode, 1);
    }

    void killedTrainingResumesToTheUninterruptedRun()
    {
        const char* seedText = std::getenv("CASSAVA_FAULT_SEED");
        const unsigned seed = seedText ? static_cast<unsigned>(std::atol(seedText)) : 20261201u;
        const char* momentsText = std::getenv("CASSAVA_KILL_MOMENTS");
        const int moments = momentsText ? std::atoi(momentsText) : 20;
        qInfo("seed %u, %d kills (CASSAVA_FAULT_SEED, CASSAVA_KILL_MOMENTS)", seed, moments);
        std::mt19937 rng(seed);
        // Every crash point of core/CrashPoint.h that `cassava train` passes, and a kill after a
        // random delay.
        const QStringList points = {"batch", "calibration", "fold-done", "write:best.ckpt", "write:last.ckpt",
                                    "write:resume.pt", "write:oof.csv", "write:metrics.jsonl", "write:summary.json",
                                    "write:status.json", "write:config.json", "write:folds.csv", "write:labels.csv",
                                    "delay", "delay", "delay"};
        std::map<QString, int> killsAt;
        int kills = 0, finished = 0, leftoversSeen = 0, attempts = 0, cycle = 0;
        QString run = path("killed-0");
        // Each point until it has killed once (a pass the process never reached is tried again at
        // the first pass), then points at random.
        QStringList uncovered = points;
        uncovered.removeDuplicates();
        bool retry = false;
        while (kills < moments && attempts++ < moments * 5) {
            const QString point = !uncovered.isEmpty() ? uncovered.front() : points[static_cast<int>(rng() % points.size())];
            // Early passes: a pass the process never reaches costs a whole run to its end.
            const int pass = retry ? 1 : 1 + static_cast<int>(rng() % (point == "batch" ? 4 : 2));
            const int delayMs = 300 + static_cast<int>(rng() % 3000);
            const bool fresh = !QFile::exists(run + "/config.json");
            const QStringList args = fresh ? trainArgs(data_, run) : QStringList{"train", "--resume", run};
            const QString moment = point == "delay" ? QString("after %1 ms").arg(delayMs) : QString("%1@%2").arg(point).arg(pass);
            QElapsedTimer clock;
            clock.start();
            const Outcome o = point == "delay" ? runFaulty(args, {}, delayMs) : runFaulty(args, moment);
            qInfo("%s %s: %s after %.1f s", fresh ? "start" : "resume", qPrintable(moment),
                  o.killed ? "killed" : "finished", clock.elapsed() / 1000.0);
            retry = !o.killed && !uncovered.isEmpty();
            if (o.killed) {
                ++kills;
                ++killsAt[point];
                uncovered.removeAll(point);
                QString report;
                int leftovers = 0;
                QVERIFY2(runIsWhole(run, report, &leftovers),
                         qPrintable(QString("after a kill at %1 (%2):\n%3").arg(moment, run, report)));
                leftoversSeen += leftovers;
                continue;
            }
            // Not killed: the run got to its end before the moment came.
            QVERIFY2(o.exitCode == 0, qPrintable(QString("%1: %2").arg(moment, o.err)));
            compareWithWhole(run);
            ++finished;
            run = path(QString("killed-%1").arg(++cycle));
        }
        if (QFile::exists(run + "/config.json")) {
            const Outcome o = runFaulty({"train", "--resume", run}, {});
            QVERIFY2(!o.killed && o.exitCode == 0, qPrintable(o.err));
            compareWithWhole(run);
            ++finished;
        }
        QString tally;
        for (const auto& [point, n] : killsAt)
            tally += QString(" %1 x%2").arg(point).arg(n);
        qInfo("%d kills (%s), %d finished runs equal to the uninterrupted one, %d leftover temporaries seen "
              "(removed by the next resume)", kills, qPrintable(tally.trimmed()), finished, leftoversSeen);
        QCOMPARE(kills, moments);
    }

    void aStartKilledBeforeItsConfigStartsAgain()
    {
        const QString run = path("first-write");
        const Outcome o = runFaulty(trainArgs(data_, run), "write:config.json");
        QVERIFY(o.killed);
        QVERIFY(!QFile::exists(run + "/config.json"));
        // The same command again: the folder holds only the lock and a temporary, so it starts.
        const auto r = runCli(trainArgs(data_, run) << "--epochs" << "1");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("left by an interrupted write") || r.out.contains("left by an interrupted write"));
    }

    void killedOutputsAreAbsentOrComplete()
    {
        // Each command writes into a fresh folder; killed while writing (or after a random delay)
        // its outputs are absent or exactly the uninterrupted command's.
        struct Command {
            QString name;
            QStringList args;   // %OUT% stands for the output folder
            QStringList outputs;
        };
        QVERIFY(runCli({"review", "decide", "--run", whole_, "--image",
                        readCsvFirstIds(whole_ + "/labels.csv", 3).join(','), "--decision", "exclude"})
                    .exitCode == 0);
        const QList<Command> commands = {
            {"predict", {"predict", "--run", whole_, "--data", data_, "--out", "%OUT%/submission.csv", "--probs",
                         "%OUT%/probs.csv", "--tta", "2", "--threads", "1"}, {"submission.csv", "probs.csv"}},
            {"denoise", {"denoise", "--run", whole_, "--data", data_, "--out", "%OUT%/suspects.csv", "--save-oof",
                         "%OUT%/oof_tta2.csv", "--tta", "2", "--threshold", "0.2", "--threads", "1"},
             {"oof_tta2.csv", "suspects.csv"}},
            {"review export", {"review", "export", "--run", whole_, "--out", "%OUT%/decisions.csv", "--train-csv",
                               "%OUT%/train.csv"}, {"decisions.csv", "train.csv"}},
        };
        std::mt19937 rng(7);
        int cases = 0;
        for (const Command& c : commands) {
            auto argsFor = [&](const QString& out) {
                QStringList a = c.args;
                a.replaceInStrings("%OUT%", out);
                return a;
            };
            const QString reference = path("out-" + c.name.split(' ').join('-') + "-whole");
            QDir().mkpath(reference);
            const Outcome whole = runFaulty(argsFor(reference), {});
            QVERIFY2(!whole.killed && whole.exitCode == 0, qPrintable(c.name + ": " + whole.err));
            QStringList moments;
            for (const QString& output : c.outputs)
                moments << "write:" + output;
            moments << "delay" << "delay" << "delay";
            for (const QString& moment : moments) {
                const QString out = path(QString("out-%1-%2").arg(cases++).arg(c.name.split(' ').join('-')));
                QDir().mkpath(out);
                const Outcome o = moment == "delay" ? runFaulty(argsFor(out), {}, 100 + static_cast<int>(rng() % 2500))
                                                    : runFaulty(argsFor(out), moment);
                if (moment != "delay")
                    QVERIFY2(o.killed, qPrintable(c.name + " passed no " + moment));
                for (const QString& output : c.outputs) {
                    if (!QFile::exists(out + "/" + output))
                        continue;
                    QVERIFY2(bytesOf(out + "/" + output) == bytesOf(reference + "/" + output),
                             qPrintable(QString("%1 killed at %2: %3 is not the whole file").arg(c.name, moment, output)));
                }
                if (moment.startsWith("write:"))
                    QVERIFY2(!QFile::exists(out + "/" + moment.mid(6)), qPrintable(moment));
            }
        }
        qInfo("%d killed predict / denoise / review export commands: every output absent or complete", cases);
    }

    void aFileSizeLimitFailsCleanlyAndKeepsTheCheckpoint()
    {
        // A resume first rewrites fold 0's last.ckpt (~16 MB): under an 8 MB limit that write fails.
        const QString run = path("limited");
        QVERIFY(QProcess::execute("cp", {"-a", partial_, run}) == 0);
        const QByteArray before = digestOf(run + "/fold_0/last.ckpt");
        QProcess p;
        p.start("bash", {"-c", QString("ulimit -f 8192; exec '%1' train --resume '%2'").arg(CASSAVA_CLI, run)});
        QVERIFY(p.waitForFinished(300000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);  // not ended by SIGXFSZ
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains(run + "/fold_0/last.ckpt") && err.contains("File too large"), qPrintable(err));
        qInfo("file-size limit: %s", qPrintable(err.trimmed().split('\n').last()));
        QCOMPARE(digestOf(run + "/fold_0/last.ckpt"), before);
        QString report;
        QVERIFY2(runIsWhole(run, report), qPrintable(report));
        // Without the limit the same run finishes as the uninterrupted one.
        const auto r = runCli({"train", "--resume", run});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        compareWithWhole(run);
    }

    void aFullDiskFailsCleanlyAndTheRunFinishesOnceThereIsRoom()
    {
        if (!canUseMountNamespace())
            QSKIP("needs a mount namespace for a small tmpfs (unshare -rm with mount); not available here");
        // In a mount namespace of its own: a copy of the killed run on a tmpfs with 4 MB free, a
        // resume that must rewrite a 16 MB checkpoint, then the same tmpfs grown and a resume.
        const QString script = QString(R"(set -eu
mnt=$(mktemp -d)
mount -t tmpfs -o size=512m tmpfs "$mnt"
cp -a '%2' "$mnt/run"
used=$(du -sk "$mnt" | cut -f1)
mount -o remount,size=$((used + 4096))k "$mnt"
df -k "$mnt" > '%3/df'
sha256sum "$mnt/run/fold_0/last.ckpt" | cut -d' ' -f1 > '%3/before'
rc=0; '%1' train --resume "$mnt/run" > '%3/full.out' 2> '%3/full.err' || rc=$?; echo $rc > '%3/full.rc'
sha256sum "$mnt/run/fold_0/last.ckpt" | cut -d' ' -f1 > '%3/after'
rc=0; '%1' verify --run "$mnt/run" --quiet > '%3/verify.out' || rc=$?; echo $rc > '%3/verify.rc'
ls -A "$mnt/run" "$mnt/run/fold_0" > '%3/files'
mount -o remount,size=512m "$mnt"
rc=0; '%1' train --resume "$mnt/run" > '%3/room.out' 2> '%3/room.err' || rc=$?; echo $rc > '%3/room.rc'
cp -a "$mnt/run" '%3/run'
umount "$mnt"
)").arg(CASSAVA_CLI, partial_, path("disk"));
        QDir().mkpath(path("disk"));
        writeText(path("disk/run.sh"), script.toUtf8());
        QProcess p;
        p.start("unshare", {"-rm", "bash", path("disk/run.sh")});
        QVERIFY(p.waitForFinished(600000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QString err = QString::fromUtf8(bytesOf(path("disk/full.err")));
        QCOMPARE(bytesOf(path("disk/full.rc")).trimmed(), QByteArray("1"));
        QVERIFY2(err.contains("/run/fold_0/last.ckpt") && err.contains("No space left on device"), qPrintable(err));
        qInfo("disk full: %s", qPrintable(err.trimmed().split('\n').last()));
        QCOMPARE(bytesOf(path("disk/after")), bytesOf(path("disk/before")));
        QVERIFY2(bytesOf(path("disk/verify.rc")).trimmed() == "0", bytesOf(path("disk/verify.out")).constData());
        QVERIFY2(!bytesOf(path("disk/files")).contains(".tmp-"), bytesOf(path("disk/files")).constData());
        QVERIFY2(bytesOf(path("disk/room.rc")).trimmed() == "0", bytesOf(path("disk/room.err")).constData());
        compareWithWhole(path("disk/run"));
    }

    void aReadOnlyRunFolderIsAClearError()
    {
        const QString run = path("read-only");
        QVERIFY(QProcess::execute("cp", {"-a", partial_, run}) == 0);
        const QByteArray before = digestOf(run + "/fold_0/last.ckpt");
        // root writes through file permissions: a read-only bind mount in a namespace instead.
        const bool root = ::geteuid() == 0;
        if (root && !canUseMountNamespace())
            QSKIP("running as root without mount namespaces: cannot make a folder read-only here");
        const QString commands = QString(R"(
'%1' train --resume '%2' > '%3/train.out' 2> '%3/train.err'; echo $? > '%3/train.rc'
'%1' predict --run '%2' --data '%4' --threads 1 --out '%2/submission.csv' > /dev/null 2> '%3/predict.err'; echo $? > '%3/predict.rc'
'%1' verify --run '%2' > '%3/verify.out' 2>&1; echo $? > '%3/verify.rc'
)").arg(CASSAVA_CLI, run, tmp_.path(), data_);
        const QString script = root ? QString("mount --bind '%1' '%1' && mount -o remount,bind,ro '%1' &&").arg(run) + commands
                                    : QString("chmod -R a-w '%1'\n").arg(run) + commands + QString("chmod -R u+w '%1'\n").arg(run);
        writeText(path("read-only.sh"), script.toUtf8());
        QProcess p;
        if (root)
            p.start("unshare", {"-rm", "bash", path("read-only.sh")});
        else
            p.start("bash", {path("read-only.sh")});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QString trainErr = QString::fromUtf8(bytesOf(path("train.err")));
        QCOMPARE(bytesOf(path("train.rc")).trimmed(), QByteArray("1"));
        QVERIFY2(trainErr.contains(run + "/") && (trainErr.contains("Read-only file system") || trainErr.contains("Permission denied")),
                 qPrintable(trainErr));
        qInfo("read-only: %s", qPrintable(trainErr.trimmed().split('\n').last()));
        const QString predictErr = QString::fromUtf8(bytesOf(path("predict.err")));
        QCOMPARE(bytesOf(path("predict.rc")).trimmed(), QByteArray("1"));
        QVERIFY2(predictErr.contains(run + "/submission.csv"), qPrintable(predictErr));
        // Reading works: verify reads every file of the read-only run.
        QVERIFY2(bytesOf(path("verify.rc")).trimmed() == "0", bytesOf(path("verify.out")).constData());
        QCOMPARE(digestOf(run + "/fold_0/last.ckpt"), before);
    }

private:
    static QStringList readCsvFirstIds(const QString& csv, int count)
    {
        QStringList ids;
        for (const QStringList& row : testsupport::readCsv(csv).mid(1, count))
            ids << row[0];
        return ids;
    }
};

QTEST_GUILESS_MAIN(CliFaultsTest)
#include "test_cli_faults.moc"
