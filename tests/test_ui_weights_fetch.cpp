// The GUI's way to ImageNet weights: WeightsFetchDialog::ensure() downloads the file from a local
// server (tests/weights_server.py) on a worker thread behind a modal progress dialog and returns the
// verified cached path; a second call finds it cached without a request; a server that is down
// ends in an error box naming the URL and an empty result. Offscreen.
#include "TestSupport.h"
#include "WeightsServer.h"

#include "PretrainedWeights.h"
#include "WeightsFetchDialog.h"

#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

using namespace testsupport;
using cassava::ui::WeightsFetchDialog;

class UiWeightsFetchTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString served_, name_, skip_;
    QByteArray bytes_;

    QString cacheDir() const { return tmp_.filePath("cache/cassava-studio/weights"); }

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
        QVERIFY(!name_.isEmpty());
        bytes_ = readAll(served_ + "/" + name_);
        // This process's cache, no proxies, and the test file standing in for b0's.
        qputenv("XDG_CACHE_HOME", tmp_.filePath("cache").toUtf8());
        for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            qunsetenv(name);
        cassava::setImageNetWeightsFileName("b0", name_.toStdString());
    }
    void init()
    {
        if (!skip_.isEmpty())
            QSKIP(qPrintable(skip_));
    }

    void ensureDownloadsOnceAndReturnsTheFile()
    {
        WeightsServer server;
        QVERIFY(server.start(served_));
        qputenv(cassava::kWeightsMirrorVariable, server.url().toUtf8());
        QVERIFY(!WeightsFetchDialog::isCached("b0"));

        // The dialog is modal and shows while the worker downloads; the event loop keeps running.
        bool dialogSeen = false;
        QTimer watcher;
        connect(&watcher, &QTimer::timeout, [&] {
            if (qobject_cast<WeightsFetchDialog*>(QApplication::activeModalWidget()))
                dialogSeen = true;
        });
        watcher.start(0);
        const QString path = WeightsFetchDialog::ensure("b0", nullptr);
        watcher.stop();
        QCOMPARE(path, cacheDir() + "/" + name_);
        QCOMPARE(readAll(path), bytes_);
        QVERIFY(dialogSeen);
        QVERIFY(WeightsFetchDialog::isCached("b0"));
        QCOMPARE(server.requests().size(), 1);

        QCOMPARE(WeightsFetchDialog::ensure("b0", nullptr), path);
        QCOMPARE(server.requests().size(), 1);  // cached: no request
        QVERIFY(QFile::remove(path));
    }

    void serverDownShowsTheUrlAndReturnsEmpty()
    {
        const int port = deadPort(served_);
        QVERIFY(port > 0);
        const QString mirror = QString("http://127.0.0.1:%1").arg(port);
        qputenv(cassava::kWeightsMirrorVariable, mirror.toUtf8());

        QString shown;
        QTimer closer;
        connect(&closer, &QTimer::timeout, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                shown = box->text() + "\n" + box->informativeText();
                box->button(QMessageBox::Close)->click();
            }
        });
        closer.start(10);
        const QString path = WeightsFetchDialog::ensure("b0", nullptr);
        closer.stop();
        QVERIFY(path.isEmpty());
        QVERIFY2(shown.contains(mirror + "/" + name_), qPrintable(shown));
        QVERIFY2(shown.contains("elsewhere"), qPrintable(shown));
        QVERIFY(!WeightsFetchDialog::isCached("b0"));
        QVERIFY(!WeightsFetchDialog::isCached("b9"));
    }
};

QTEST_MAIN(UiWeightsFetchTest)
#include "test_ui_weights_fetch.moc"
