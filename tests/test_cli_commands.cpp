// The `cassava` command line as a user on a server meets it: help, inspect, split, exit codes.
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

using testsupport::runCli;
using testsupport::writeText;

namespace {

// Four valid rows of tiny real JPEGs, one bad label, one missing image.
QString makeMessyDataset(const QTemporaryDir& tmp)
{
    const QString root = tmp.path() + "/messy";
    cv::Mat pixels(3, 4, CV_8UC3, cv::Scalar(40, 160, 60));
    std::vector<uchar> bytes;
    cv::imencode(".jpg", pixels, bytes);
    const QByteArray jpeg(reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size()));
    for (const char* name : {"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"})
        writeText(root + "/train_images/" + name, jpeg);
    writeText(root + "/train.csv", "image_id,label\na.jpg,0\nb.jpg,3\nc.jpg,3\nd.jpg,4\ne.jpg,nine\nf.jpg,1\n");
    return root;
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
    void helpListsTheCommands()
    {
        const auto r = runCli({"--help"});
        QCOMPARE(r.exitCode, 0);
        for (const char* command : {"inspect", "split", "synth", "train", "evaluate", "import-weights", "export"})
            QVERIFY2(r.out.contains(QString("  ") + command), qPrintable(r.out));
        const auto inspectHelp = runCli({"inspect", "--help"});
        QCOMPARE(inspectHelp.exitCode, 0);
        QVERIFY(inspectHelp.out.contains("Usage: cassava inspect DATA"));
        QVERIFY(inspectHelp.out.contains("--json"));
    }

    void unknownCommandsAndOptionsAreUsageErrors()
    {
        QCOMPARE(runCli({"frobnicate"}).exitCode, 2);
        const auto r = runCli({"inspect", "x", "--colour"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("unknown option --colour"));
        QVERIFY(runCli({"split", "x", "--folds", "five"}).err.contains("'five' is not a whole number"));
        QCOMPARE(runCli({"inspect"}).exitCode, 2);
    }

    void inspectNamesEveryProblemWithFileAndLine()
    {
        QTemporaryDir tmp;
        const QString root = makeMessyDataset(tmp);
        const auto r = runCli({"inspect", root});
        QCOMPARE(r.exitCode, 0);  // usable despite the bad rows
        QVERIFY2(r.out.contains("train.csv:6: error: label 'nine' is not an integer"), qPrintable(r.out));
        QVERIFY(r.out.contains("train.csv:7: error: image 'f.jpg' is listed but train_images/f.jpg does not exist"));
        QVERIFY(r.out.contains("Cassava Mosaic Disease (CMD)"));
        QVERIFY(r.out.contains("4x3"));
        QVERIFY(r.out.contains("The dataset is usable."));
    }

    void inspectJsonIsMachineReadable()
    {
        QTemporaryDir tmp;
        const auto r = runCli({"inspect", makeMessyDataset(tmp), "--json"});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(j["images"].toInt(), 4);
        QCOMPARE(j["usable"].toBool(), true);
        const QJsonArray classes = j["classes"].toArray();
        QCOMPARE(classes.size(), 5);
        QCOMPARE(classes[3].toObject()["count"].toInt(), 2);
        QCOMPARE(j["image_sizes"].toObject()["max_width"].toInt(), 4);
        bool found = false;
        for (const auto& p : j["problems"].toArray())
            found = found || (p.toObject()["line"].toInt() == 6 && p.toObject()["file"].toString() == "train.csv");
        QVERIFY(found);
    }

    void inspectFailsOnAnUnusableDataset()
    {
        QTemporaryDir tmp;
        const QString root = tmp.path() + "/bad";
        writeText(root + "/train.csv", "id,class\n1.jpg,0\n");
        QDir().mkpath(root + "/train_images");
        const auto r = runCli({"inspect", root});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.contains("train.csv:1: fatal: header lacks the column image_id and label"));
        QVERIFY(r.out.contains("NOT usable"));
    }

    void inspectReportsCorruptImages()
    {
        QTemporaryDir tmp;
        const QString root = makeMessyDataset(tmp);
        writeText(root + "/train_images/c.jpg", "hello, I am not a photo");
        const auto r = runCli({"inspect", root});
        QVERIFY2(r.out.contains("train.csv:4: error: train_images/c.jpg"), qPrintable(r.out));
        QVERIFY(r.out.contains("1 unreadable"));
    }

    void splitWritesStratifiedFolds()
    {
        QTemporaryDir tmp;
        const QString root = tmp.path() + "/many";
        QByteArray csv = "image_id,label\n";
        for (int i = 0; i < 50; ++i) {
            const QString name = QString("%1.jpg").arg(i);
            csv += (name + "," + QString::number(i % 5) + "\n").toUtf8();
            writeText(root + "/train_images/" + name, "x");
        }
        writeText(root + "/train.csv", csv);
        const QString out = tmp.path() + "/folds.csv";
        const auto r = runCli({"split", root, "--folds", "5", "--seed", "3", "--out", out});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("5 stratified folds"));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 51);
        QCOMPARE(lines[0], QString("image_id,fold"));
        QMap<QString, int> perClassFold;
        for (int i = 1; i < lines.size(); ++i) {
            const auto parts = lines[i].split(',');
            const int label = parts[0].section('.', 0, 0).toInt() % 5;
            ++perClassFold[QString("%1/%2").arg(label).arg(parts[1])];
        }
        for (int c = 0; c < 5; ++c)
            for (int fold = 0; fold < 5; ++fold)
                QCOMPARE(perClassFold[QString("%1/%2").arg(c).arg(fold)], 2);

        // The same seed gives the same file.
        const QString again = tmp.path() + "/again.csv";
        QCOMPARE(runCli({"split", root, "--folds", "5", "--seed", "3", "--out", again}).exitCode, 0);
        QFile g(again);
        QVERIFY(g.open(QIODevice::ReadOnly));
        f.seek(0);
        QCOMPARE(g.readAll(), f.readAll());

        const auto holdout = runCli({"split", root, "--val-split", "0.2", "--out", tmp.path() + "/h.csv"});
        QCOMPARE(holdout.exitCode, 0);
        QVERIFY(holdout.out.contains("hold-out"));
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli_commands.moc"
