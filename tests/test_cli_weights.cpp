// `cassava weights fetch` and `cassava train --weights imagenet` against a local server
// (tests/weights_server.py on 127.0.0.1) serving a torchvision file made here with random weights:
// a full download then import, an interrupted download resumed with a Range request, a server
// that ignores the Range, a corrupt file refused, a server that is down, a cached file not fetched
// again. Each test has its own XDG_CACHE_HOME.
#include "TestSupport.h"
#include "WeightsServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QProcessEnvironment>
#include <QTemporaryDir>

using namespace testsupport;

class CliWeightsTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString served_;   // folder the server serves
    QString name_;     // efficientnet_b0_test-HASH8.pth
    QByteArray bytes_; // its content
    QString skip_;
    std::unique_ptr<QTemporaryDir> cache_;

    QString cacheDir() const { return cache_->path() + "/cassava-studio/weights"; }
    QString cachedPath() const { return cacheDir() + "/" + name_; }

    CliResult cassava(const QStringList& args, const QMap<QString, QString>& extraEnv = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        isolateDownloadEnvironment(env, cache_->path());
        for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it)
            env.insert(it.key(), it.value());
        return runCli(args, env);
    }
    CliResult fetch(const WeightsServer& server, const QStringList& extra = {})
    {
        return cassava(QStringList{"weights", "fetch", "b0", "--mirror", server.url(), "--name", name_} + extra);
    }
    // What the cache folder holds besides the verified file: nothing, after any outcome but an
    // interrupted download (its .part).
    QStringList cacheEntries() const { return QDir(cacheDir()).entryList(QDir::Files | QDir::Hidden); }

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        skip_ = systemTorchMissing();
        if (!skip_.isEmpty())
            return;
        served_ = tmp_.filePath("served");
        QDir().mkpath(served_);
        name_ = makeTorchvisionWeights(served_);
        QVERIFY2(!name_.isEmpty(), "could not make a torchvision weights file");
        bytes_ = readAll(served_ + "/" + name_);
        // The name carries the file's own hash prefix, as torchvision's do.
        QVERIFY(name_.contains("-" + sha256Hex(bytes_).left(8) + ".pth"));
    }
    void init()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
        cache_ = std::make_unique<QTemporaryDir>();
        QVERIFY(cache_->isValid());
    }

    void fullDownloadThenImport()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        const QString ckpt = tmp_.filePath("imported.ckpt");
        const auto r = fetch(server, {"--import", ckpt});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(cachedPath()), qPrintable(r.out));
        QCOMPARE(readAll(cachedPath()), bytes_);
        QCOMPARE(cacheEntries(), QStringList{name_});
        QCOMPARE(server.requests(), QStringList{"GET /" + name_ + " range=- 200"});
        QVERIFY2(r.err.contains("classifier replaced by a fresh one (1000 -> 5 classes)"), qPrintable(r.err));

        // The checkpoint holds the downloaded weights: Python's torch.load reads it, and its
        // tensors equal the served file's (the classifier, replaced for 5 classes, aside).
        QProcess py;
        py.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON),
                 {"-c", "import sys, torch\n"
                        "ours = torch.load(sys.argv[1])['state_dict']\n"
                        "theirs = torch.load(sys.argv[2])\n"
                        "same = [k for k in theirs if not k.startswith('classifier') and torch.equal(ours[k], theirs[k])]\n"
                        "print(len(same), len([k for k in theirs if not k.startswith('classifier')]), tuple(ours['classifier.1.weight'].shape))\n",
                  ckpt, cachedPath()});
        QVERIFY(py.waitForFinished(120000));
        const QStringList counts = QString::fromUtf8(py.readAllStandardOutput()).trimmed().split(' ');
        QVERIFY2(counts.size() >= 3, py.readAllStandardError().constData());
        QCOMPARE(counts[0], counts[1]);
        QVERIFY(counts[0].toInt() > 300);
        QVERIFY2(counts.mid(2).join(' ') == "(5, 1280)", qPrintable(counts.join(' ')));
    }

    void interruptedDownloadResumes()
    {
        const int cut = 5000000;
        {
            WeightsServer server;
            QVERIFY(server.start(served_, {"--drop-after", QString::number(cut)}));
            const auto r = fetch(server);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(server.url() + "/" + name_), qPrintable(r.err));
            QVERIFY2(r.err.contains("resumes"), qPrintable(r.err));
            // Only the part is there, holding what arrived.
            QVERIFY(!QFile::exists(cachedPath()));
            const QStringList entries = cacheEntries();
            QCOMPARE(entries.size(), 1);
            QVERIFY(entries[0].endsWith(".part"));
            QCOMPARE(readAll(cacheDir() + "/" + entries[0]), bytes_.left(cut));

            // The next fetch asks for the rest only.
            const auto resumed = fetch(server);
            QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
            const QStringList requests = server.requests();
            QCOMPARE(requests.size(), 2);
            QCOMPARE(requests[1], QString("GET /%1 range=bytes=%2- 206").arg(name_).arg(cut));
        }
        QCOMPARE(readAll(cachedPath()), bytes_);  // verified by its hash on the way in, too
        QCOMPARE(cacheEntries(), QStringList{name_});
    }

    void serverIgnoringRangeRestartsFromZero()
    {
        {
            WeightsServer dropping;
            QVERIFY(dropping.start(served_, {"--drop-after", "3000000"}));
            QCOMPARE(fetch(dropping).exitCode, 1);
        }
        WeightsServer server;
        QVERIFY(server.start(served_, {"--ignore-range"}));
        const auto r = fetch(server);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Asked for the rest, got the whole file with 200: written from the start, not appended.
        QCOMPARE(server.requests(), QStringList{"GET /" + name_ + " range=bytes=3000000- 200"});
        QCOMPARE(readAll(cachedPath()), bytes_);
        QCOMPARE(cacheEntries(), QStringList{name_});
    }

    void corruptFileIsRefused()
    {
        WeightsServer server;
        QVERIFY(server.start(served_, {"--corrupt"}));
        const auto r = fetch(server, {"--import", tmp_.filePath("never.ckpt")});
        QCOMPARE(r.exitCode, 1);
        const QString prefix = sha256Hex(bytes_).left(8);
        QVERIFY2(r.err.contains("expected it to start with " + prefix), qPrintable(r.err));
        QVERIFY2(r.err.contains("SHA-256"), qPrintable(r.err));
        QVERIFY2(r.err.contains(server.url() + "/" + name_), qPrintable(r.err));
        // Nothing of it stays in the cache, and nothing was imported.
        QCOMPARE(cacheEntries(), QStringList{});
        QVERIFY(!QFile::exists(tmp_.filePath("never.ckpt")));
    }

    void serverDownFailsNamingTheUrl()
    {
        const int port = deadPort(served_);
        QVERIFY(port > 0);
        const QString mirror = QString("http://127.0.0.1:%1").arg(port);
        const auto r = cassava({"weights", "fetch", "b0", "--mirror", mirror});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(mirror + "/efficientnet_b0_rwightman-3dd342df.pth"), qPrintable(r.err));
        QVERIFY2(r.err.contains("download it elsewhere") || r.err.contains("elsewhere"), qPrintable(r.err));
        QVERIFY2(r.err.contains("--weights FILE") && r.err.contains("cassava import-weights"), qPrintable(r.err));
        QCOMPARE(cacheEntries(), QStringList{});

        // The same from the environment variable, for `cassava train --weights imagenet`: the run
        // fails before its folder is made.
        const QString run = tmp_.filePath("offline-run");
        const auto t = cassava({"train", "--data", tmp_.filePath("no-dataset-needed"), "--out", run, "--weights",
                                "imagenet"},
                               {{"CASSAVA_WEIGHTS_MIRROR", mirror}});
        QCOMPARE(t.exitCode, 1);
        QVERIFY2(t.err.contains(mirror + "/efficientnet_b0_rwightman-3dd342df.pth"), qPrintable(t.err));
        QVERIFY(!QFileInfo::exists(run));
    }

    void trainDownloadsAndRefusesAWrongFile()
    {
        // The mirror serves our random file under b0's published name: `train --weights imagenet`
        // downloads it, finds its hash is not 3dd342df..., and fails before making the run folder.
        const QString wrong = tmp_.filePath("wrong");
        QDir().mkpath(wrong);
        QFile::remove(wrong + "/efficientnet_b0_rwightman-3dd342df.pth");
        QVERIFY(QFile::copy(served_ + "/" + name_, wrong + "/efficientnet_b0_rwightman-3dd342df.pth"));
        WeightsServer server;
        QVERIFY(server.start(wrong));
        const QString run = tmp_.filePath("refused-run");
        const auto r = cassava({"train", "--data", tmp_.filePath("no-dataset-needed"), "--out", run, "--weights",
                                "imagenet"},
                               {{"CASSAVA_WEIGHTS_MIRROR", server.url()}});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("downloading ImageNet weights " + server.url() + "/efficientnet_b0_rwightman-3dd342df.pth"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("SHA-256 " + sha256Hex(bytes_).left(16) + "..., expected it to start with 3dd342df"),
                 qPrintable(r.err));
        QCOMPARE(server.requests().size(), 1);
        QVERIFY(!QFileInfo::exists(run));
        QCOMPARE(cacheEntries(), QStringList{});
    }

    void cachedFileIsNotFetchedAgain()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        QCOMPARE(fetch(server).exitCode, 0);
        QCOMPARE(server.requests().size(), 1);
        const auto again = fetch(server);
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains(cachedPath()));
        QCOMPARE(server.requests().size(), 1);  // no request made

        // list: b0's table file is not cached, the others neither; the cache folder is named.
        const auto list = cassava({"weights", "list"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(cacheDir()), qPrintable(list.out));
        QVERIFY2(list.out.contains(QRegularExpression("b7 +not cached +~265\\.4 MB +https://download\\.pytorch\\.org/"
                                                      "models/efficientnet_b7_lukemelas-dcc49843\\.pth")),
                 qPrintable(list.out));
    }

    void trainFromCachedImageNetWeights()
    {
        // The table's file for b0, put in the cache by hand (as a user who downloaded it
        // elsewhere would): no server runs, so a request would fail the run.
        QDir().mkpath(cacheDir());
        QVERIFY(QFile::copy(served_ + "/" + name_, cacheDir() + "/efficientnet_b0_rwightman-3dd342df.pth"));
        const auto list = cassava({"weights", "list"});
        QVERIFY2(list.out.contains(QRegularExpression("b0 +cached +21\\.4 MB +" +
                                                      QRegularExpression::escape(cacheDir()))),
                 qPrintable(list.out));

        const QString data = tmp_.filePath("synth");
        if (!QFileInfo::exists(data + "/train.csv"))
            QCOMPARE(cassava({"synth", "--out", data, "--count", "30", "--size", "64x48", "--seed", "3"}).exitCode, 0);
        const QString run = tmp_.filePath("imagenet-run");
        const auto r = cassava({"train", "--data", data, "--out", run, "--weights", "imagenet", "--size", "32",
                                "--epochs", "1", "--val-split", "0.25", "--batch", "8", "--threads", "1",
                                "--workers", "1", "--no-augment"},
                               {{"CASSAVA_WEIGHTS_MIRROR", "http://127.0.0.1:1"}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("ImageNet weights " + cacheDir() + "/efficientnet_b0_rwightman-3dd342df.pth"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("classifier replaced by a fresh one (1000 -> 5 classes)"), qPrintable(r.err));
        // The run stays reproducible: its config names the weights, not this machine's cache.
        const QJsonObject config = QJsonDocument::fromJson(readAll(run + "/config.json")).object();
        QCOMPARE(config["weights"].toString(), QString("imagenet"));
    }
};

QTEST_GUILESS_MAIN(CliWeightsTest)
#include "test_cli_weights.moc"
