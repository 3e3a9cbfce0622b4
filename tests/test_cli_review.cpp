// `cassava review`: decisions made by a script that is killed with SIGKILL at a random moment are
// all in the journal; the export feeds `cassava train --relabel`.
#include "TestSupport.h"

#include "AtomicFile.h"
#include "ReviewJournal.h"
#include "RunDir.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <csignal>
#include <map>
#include <sys/types.h>

using namespace cassava;
using testsupport::runCli;
using testsupport::writeText;

class CliReviewTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;

private slots:
    void killedScriptLosesNothingAndExportTrains()
    {
        QVERIFY(tmp_.isValid());
        const QString data = tmp_.path() + "/data", run = tmp_.path() + "/run";
        auto r = runCli({"synth", "--out", data, "--count", "40", "--size", "64x48", "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // A run folder as far as the review needs one: its config and the labels it trained on.
        writeText(run + "/config.json", QByteArray::fromStdString(nlohmann::json{{"data", data.toStdString()}}.dump(2)));
        const std::string train = readFile((data + "/train.csv").toStdString());
        writeText(run + "/labels.csv", QByteArray::fromStdString(train));

        // id -> given label; the script's decision for image i: exclude every third, relabel the rest.
        std::vector<std::pair<std::string, int>> images;
        for (const QString& line : QString::fromStdString(train).split('\n').mid(1)) {
            const QStringList f = line.trimmed().split(',');
            if (f.size() == 2)
                images.push_back({f[0].toStdString(), f[1].toInt()});
        }
        QVERIFY(images.size() >= 30);
        auto decisionOf = [](size_t i) { return i % 3 == 0 ? std::string("exclude") : std::string("relabel"); };
        auto labelOf = [&](size_t i) { return i % 3 == 0 ? -1 : (images[i].second + 1) % 5; };

        QString script = "set -e\n";
        for (size_t i = 0; i < images.size(); ++i)
            script += QString("'%1' review decide --run '%2' --image %3 --decision %4 --label %5 >/dev/null\n"
                              "echo %3 >> '%6/done.txt'\n")
                          .arg(CASSAVA_CLI, run, QString::fromStdString(images[i].first),
                               QString::fromStdString(decisionOf(i)))
                          .arg(labelOf(i) < 0 ? 0 : labelOf(i))
                          .arg(tmp_.path());
        writeText(tmp_.path() + "/decide.sh", script.toUtf8());

        // setsid: the shell leads its own process group, so one kill reaches the running decide too.
        QProcess p;
        p.start("setsid", {"sh", tmp_.path() + "/decide.sh"});
        QVERIFY(p.waitForStarted());
        const auto countDone = [&] {
            QFile f(tmp_.path() + "/done.txt");
            return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : 0;
        };
        for (int i = 0; i < 3000 && countDone() < 3 && p.state() == QProcess::Running; ++i)
            QTest::qWait(10);
        QTest::qWait(static_cast<int>(QRandomGenerator::global()->bounded(400)));
        QVERIFY2(p.state() == QProcess::Running, "the script ended before it could be killed");
        ::kill(-static_cast<pid_t>(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished());
        QTest::qWait(100);  // the group's members are gone with it

        QFile doneFile(tmp_.path() + "/done.txt");
        QVERIFY(doneFile.open(QIODevice::ReadOnly));
        std::vector<std::string> done;
        for (const QByteArray& line : doneFile.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                done.push_back(line.trimmed().toStdString());
        QVERIFY(done.size() >= 3 && done.size() < images.size());

        const ReviewJournal journal = ReviewJournal::open(run.toStdString());
        for (const auto& w : journal.warnings())
            qInfo("replay warning (a line torn by the kill): %s", w.c_str());
        QVERIFY(journal.decisions().size() == done.size() || journal.decisions().size() == done.size() + 1);
        std::string expected = "image_id,given,decision,label\n";
        std::map<std::string, std::string> rows;
        for (size_t i = 0; i < images.size(); ++i) {
            const bool returned = std::find(done.begin(), done.end(), images[i].first) != done.end();
            const ReviewItem* d = journal.decisionOf(images[i].first);
            if (returned)
                QVERIFY2(d, images[i].first.c_str());  // every decision that returned is on disk
            if (!d)
                continue;
            QCOMPARE(std::string(reviewDecisionName(d->decision)), decisionOf(i));
            QCOMPARE(d->label, labelOf(i));
            QCOMPARE(d->given, images[i].second);
            rows[images[i].first] = images[i].first + "," + std::to_string(images[i].second) + "," + decisionOf(i) +
                                    "," + std::to_string(labelOf(i)) + "\n";
        }
        for (const auto& [id, row] : rows)
            expected += row;

        // Undo and redo from the command line, then the export.
        r = runCli({"review", "undo", "--run", run});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({"review", "redo", "--run", run});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({"review", "redo", "--run", run});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nothing to redo"), qPrintable(r.err));

        const QString decisions = tmp_.path() + "/decisions.csv", cleaned = tmp_.path() + "/cleaned.csv";
        r = runCli({"review", "export", "--run", run, "--out", decisions, "--train-csv", cleaned});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readFile(decisions.toStdString()), expected);
        r = runCli({"review", "export", "--run", run, "--out", decisions});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));
        r = runCli({"review", "export", "--run", run, "--out", tmp_.path() + "/d.csv", "--train-csv",
                    data + "/train.csv", "--force"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("train.csv"), qPrintable(r.err));
        QCOMPARE(readFile((data + "/train.csv").toStdString()), train);
        r = runCli({"review", "decide", "--run", run, "--image", "nope.png", "--decision", "keep"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nope.png"), qPrintable(r.err));

        // Training reads the export: relabels applied, exclusions left out.
        const QString retrained = tmp_.path() + "/retrained";
        r = runCli({"train", "--data", data, "--out", retrained, "--relabel", decisions, "--size", "64", "--epochs",
                    "1", "--val-split", "0.3", "--batch", "8", "--threads", "1", "--workers", "1", "--no-augment"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        std::map<std::string, int> trained;
        for (const QString& line : QString::fromStdString(readFile(RunDir(retrained.toStdString()).labelsPath()))
                                       .split('\n')
                                       .mid(1)) {
            const QStringList f = line.trimmed().split(',');
            if (f.size() == 2)
                trained[f[0].toStdString()] = f[1].toInt();
        }
        size_t excluded = 0;
        for (size_t i = 0; i < images.size(); ++i) {
            const ReviewItem* d = journal.decisionOf(images[i].first);
            const auto it = trained.find(images[i].first);
            if (d && d->decision == ReviewDecision::Exclude) {
                QVERIFY2(it == trained.end(), images[i].first.c_str());
                ++excluded;
            } else {
                QVERIFY2(it != trained.end(), images[i].first.c_str());
                QCOMPARE(it->second, d ? d->label : images[i].second);
            }
        }
        QCOMPARE(trained.size(), images.size() - excluded);
        QVERIFY(excluded >= 1);
    }
};

QTEST_GUILESS_MAIN(CliReviewTest)
#include "test_cli_review.moc"
