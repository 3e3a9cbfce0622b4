// core's download and pretrained-weights table, in process: SHA-256 of known inputs, the table
// against Debian's torchvision source, the cache folder from XDG_CACHE_HOME, progress that ends at
// the file's size, a cancel that keeps the .part, a complete .part answered 416, HTTP errors and
// proxies from the environment. The server (tests/weights_server.py) needs only Python's stdlib.
#include "TestSupport.h"
#include "WeightsServer.h"

#include "Download.h"
#include "PretrainedWeights.h"

#include <QRandomGenerator>
#include <QRegularExpression>

#include <atomic>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

using namespace testsupport;
using namespace cassava;

// url="https://download.pytorch.org/models/efficientnet_bN_AUTHOR-HASH.pth" in efficientnet.py
const char* const kUrlPattern = "url=\"(https://download\\.pytorch\\.org/models/efficientnet_b\\d_[a-z]+-[0-9a-f]+\\.pth)\"";

class CoreDownloadTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString served_;
    QByteArray bytes_;  // served_/random.bin

    QString dest(const QString& name) const { return tmp_.filePath("dest/" + name); }

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        served_ = tmp_.filePath("served");
        QDir().mkpath(served_);
        bytes_.resize(3 * 1000 * 1000 + 17);
        QRandomGenerator rng(7);
        for (char& b : bytes_)
            b = static_cast<char>(rng.bounded(256));
        writeText(served_ + "/random.bin", bytes_);
        for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
                                 "NO_PROXY", "CASSAVA_WEIGHTS_MIRROR"})
            qunsetenv(name);
    }

    void sha256OfKnownInputs()
    {
        writeText(tmp_.filePath("abc"), "abc");
        QCOMPARE(sha256OfFile(str(tmp_.filePath("abc"))),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(QString::fromStdString(sha256OfFile(str(served_ + "/random.bin"))), sha256Hex(bytes_));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, sha256OfFile(str(tmp_.filePath("absent"))));
    }

    void tableIsTorchvisions()
    {
        const auto& table = imageNetWeightsTable();
        QCOMPARE(table.size(), size_t(8));
        for (size_t i = 0; i < table.size(); ++i) {
            QCOMPARE(table[i].variant, "b" + std::to_string(i));
            QCOMPARE(hashPrefixFromFileName(table[i].fileName), table[i].hashPrefix);
            QCOMPARE(imageNetWeightsUrl(table[i].variant), "https://download.pytorch.org/models/" + table[i].fileName);
        }
        // Exactly the IMAGENET1K_V1 URLs of the torchvision the system has (Debian: 0.14).
        const QString source = "/usr/lib/python3/dist-packages/torchvision/models/efficientnet.py";
        if (!QFileInfo::exists(source))
            QSKIP("python3-torchvision is not installed: the table is not compared with its source");
        const QString text = QString::fromUtf8(readAll(source));
        QStringList urls;
        for (const auto& m : QRegularExpression(kUrlPattern)
                                 .globalMatch(text))
            urls << m.captured(1);
        QStringList ours;
        for (const auto& w : table)
            ours << QString::fromStdString(imageNetWeightsUrl(w.variant));
        QCOMPARE(urls, ours);
    }

    void fileNamesCarryTheirHash()
    {
        QCOMPARE(hashPrefixFromFileName("efficientnet_b1-c27df63c.pth"), std::string("c27df63c"));
        QCOMPARE(hashPrefixFromFileName("efficientnet_b0.pth"), std::string());
        QCOMPARE(hashPrefixFromFileName("efficientnet_b0-3dd34.pth"), std::string());  // too short
        QCOMPARE(hashPrefixFromFileName("efficientnet_b0-3DD342DF.pth"), std::string());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, setImageNetWeightsFileName("b0", "weights.pth"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, setImageNetWeightsFileName("b0", "../x-3dd342df.pth"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, setImageNetWeightsFileName("b8", "x-3dd342df.pth"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, imageNetWeights("resnet50"));
    }

    void cacheFolderAndMirror()
    {
        qputenv("XDG_CACHE_HOME", "/somewhere/cache");
        QCOMPARE(weightsCacheDir(), std::string("/somewhere/cache/cassava-studio/weights"));
        qputenv("XDG_CACHE_HOME", "relative/cache");  // invalid by the XDG spec: ignored
        QCOMPARE(weightsCacheDir(), std::string(qgetenv("HOME").constData()) + "/.cache/cassava-studio/weights");
        qunsetenv("XDG_CACHE_HOME");
        QCOMPARE(weightsCacheDir(), std::string(qgetenv("HOME").constData()) + "/.cache/cassava-studio/weights");

        QCOMPARE(weightsBaseUrl(), std::string("https://download.pytorch.org/models"));
        qputenv(kWeightsMirrorVariable, "http://mirror.lan/torch/");
        QCOMPARE(imageNetWeightsUrl("b7"), std::string("http://mirror.lan/torch/efficientnet_b7_lukemelas-dcc49843.pth"));
        QCOMPARE(weightsBaseUrl("http://other/"), std::string("http://other"));  // the option wins
        qunsetenv(kWeightsMirrorVariable);
    }

    void progressEndsAtTheSize()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        std::vector<std::pair<int64_t, int64_t>> reports;
        DownloadOptions options;
        options.progress = [&](int64_t done, int64_t total) { reports.emplace_back(done, total); };
        const DownloadResult r = downloadFile(str(server.url() + "/random.bin"), str(dest("full.bin")), options);
        QCOMPARE(r.bytes, int64_t(bytes_.size()));
        QCOMPARE(r.resumedFrom, int64_t(0));
        QCOMPARE(readAll(dest("full.bin")), bytes_);
        QVERIFY(!QFile::exists(dest("full.bin.part")));
        QVERIFY(!reports.empty());
        QCOMPARE(reports.back(), std::make_pair(int64_t(bytes_.size()), int64_t(bytes_.size())));
        for (size_t i = 1; i < reports.size(); ++i)
            QVERIFY(reports[i].first >= reports[i - 1].first);
    }

    void cancelKeepsThePartAndResumes()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        std::atomic<bool> cancel{false};
        DownloadOptions options;
        options.cancel = &cancel;
        options.progress = [&](int64_t done, int64_t) {
            if (done > 0)
                cancel = true;  // as a user pressing Cancel once bytes arrive
        };
        const std::string target = str(dest("cancelled.bin"));
        QVERIFY_THROWS_EXCEPTION(DownloadCancelled, downloadFile(str(server.url() + "/random.bin"), target, options));
        QVERIFY(!QFile::exists(dest("cancelled.bin")));
        const QByteArray part = readAll(dest("cancelled.bin.part"));
        QVERIFY(!part.isEmpty());
        QCOMPARE(part, bytes_.left(part.size()));

        if (part.size() < bytes_.size()) {
            const DownloadResult r = downloadFile(str(server.url() + "/random.bin"), target);
            QCOMPARE(r.resumedFrom, int64_t(part.size()));
            QCOMPARE(server.requests().last(), QString("GET /random.bin range=bytes=%1- 206").arg(part.size()));
        } else {
            downloadFile(str(server.url() + "/random.bin"), target);  // all had arrived: 416, then afresh
        }
        QCOMPARE(readAll(dest("cancelled.bin")), bytes_);
    }

    void completePartIsAnswered416AndRestarted()
    {
        // A .part as long as the file (killed between the last byte and the rename): the server
        // cannot continue it; the download starts again rather than failing forever.
        WeightsServer server;
        QVERIFY(server.start(served_));
        writeText(dest("whole.bin.part"), bytes_);
        const DownloadResult r = downloadFile(str(server.url() + "/random.bin"), str(dest("whole.bin")));
        QCOMPARE(r.resumedFrom, int64_t(0));
        QCOMPARE(readAll(dest("whole.bin")), bytes_);
        QCOMPARE(server.requests(), (QStringList{QString("GET /random.bin range=bytes=%1- 416").arg(bytes_.size()),
                                                 "GET /random.bin range=- 200"}));
    }

    void httpErrorNamesTheUrl()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        const std::string url = str(server.url() + "/missing.pth");
        try {
            downloadFile(url, str(dest("missing.pth")));
            QFAIL("a 404 did not throw");
        } catch (const DownloadCancelled&) {
            QFAIL("a 404 is not a cancel");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), "could not download " + url + ": HTTP 404 (not found)");
        }
        QVERIFY(!QFile::exists(dest("missing.pth")));
        QVERIFY(!QFile::exists(dest("missing.pth.part")));
    }

    void oneDownloadIntoTheCacheAtATime()
    {
        // Another process (here: this test) holds the cache folder's lock: a second fetch refuses
        // rather than writing the same .part; once released, the fetch proceeds (and fails here
        // only because nothing listens at the mirror).
        qputenv("XDG_CACHE_HOME", tmp_.filePath("locked-cache").toUtf8());
        const QString dir = QString::fromStdString(weightsCacheDir());
        QDir().mkpath(dir);
        const int fd = ::open(dir.toLocal8Bit().constData(), O_RDONLY | O_DIRECTORY);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), 0);
        FetchOptions options;
        options.mirror = "http://127.0.0.1:1";
        try {
            fetchImageNetWeights("b2", options);
            QFAIL("a fetch went ahead while another held the cache");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("another process"), e.what());
        }
        ::close(fd);
        try {
            fetchImageNetWeights("b2", options);
            QFAIL("nothing listens at the mirror");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("http://127.0.0.1:1/efficientnet_b2_rwightman-bcdf34b7.pth"), e.what());
        }
        qunsetenv("XDG_CACHE_HOME");
    }

    void proxiesComeFromTheEnvironment()
    {
        // The server as an HTTP proxy: http URLs go through http_proxy, https ones through
        // HTTPS_PROXY (uppercase accepted) as a CONNECT, which it refuses.
        WeightsServer proxy;
        QVERIFY(proxy.start(served_));
        qputenv("http_proxy", proxy.url().toUtf8());
        downloadFile("http://weights.invalid/models/random.bin", str(dest("proxied.bin")));
        QCOMPARE(readAll(dest("proxied.bin")), bytes_);
        QCOMPARE(proxy.requests(), QStringList{"GET http://weights.invalid/models/random.bin range=- 200"});
        qunsetenv("http_proxy");

        qputenv("HTTPS_PROXY", proxy.url().toUtf8());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 downloadFile("https://weights.invalid/models/random.bin", str(dest("tls.bin"))));
        QCOMPARE(proxy.requests().last(), QString("CONNECT weights.invalid:443 501"));
        qunsetenv("HTTPS_PROXY");

        qputenv("ALL_PROXY", proxy.url().toUtf8());
        qputenv("NO_PROXY", "weights.invalid");  // direct: the name does not resolve
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 downloadFile("http://weights.invalid/models/random.bin", str(dest("direct.bin"))));
        QCOMPARE(proxy.requests().size(), 2);
        qunsetenv("NO_PROXY");
        downloadFile("http://weights.invalid/models/random.bin", str(dest("all.bin")));
        QCOMPARE(proxy.requests().size(), 3);
        qunsetenv("ALL_PROXY");
    }
};

QTEST_GUILESS_MAIN(CoreDownloadTest)
#include "test_core_download.moc"
