// `cassava-studio --tour`, as the README's screenshots are made: a small generated dataset, a tiny
// model trained by the test, a few photos (one of them not an image), and one PNG per view.
#include "TestSupport.h"

#include <algorithm>

#include <QImage>
#include <QProcessEnvironment>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>

using testsupport::runCli;

namespace {

// Distinct colours in a coarse sample: a blank or black page has a handful.
int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y) & 0xF0F0F0);
    return colours.size();
}

}  // namespace

class TestUiTour : public QObject {
    Q_OBJECT

private slots:
    void theTourSavesOnePictureOfEveryView()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath("field"), run = dir.filePath("run"), out = dir.filePath("tour");
        // Noisy labels and two folds, so that the Review view has suspects to show.
        auto r = runCli({"synth", "--out", data, "--count", "30", "--size", "96x72", "--seed", "3", "--noise", "0.3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({"train", "--data", data, "--out", run, "--size", "64", "--epochs", "2", "--folds", "2",
                    "--batch", "8", "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        testsupport::writeText(dir.filePath("notes.jpg"), "these are field notes, not a photo\n");

        QStringList args{data, "--run", run, "--tour", out,
                         data + "/train_images/" + QDir(data + "/train_images").entryList(QDir::Files).value(0),
                         data + "/train_images/" + QDir(data + "/train_images").entryList(QDir::Files).value(1),
                         dir.filePath("notes.jpg")};
        QString program = QStringLiteral(CASSAVA_STUDIO);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* xdg : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
            env.insert(xdg, dir.filePath(xdg));
        // A real X server when there is one to start, as a person's desktop; offscreen otherwise.
        const QString xvfb = QStandardPaths::findExecutable("xvfb-run");
        if (!xvfb.isEmpty()) {
            args.prepend(program);
            args = QStringList{"-a", "-s", "-screen 0 1400x900x24"} + args;
            program = xvfb;
            env.insert("QT_QPA_PLATFORM", "xcb");
        } else {
            qInfo("xvfb-run not found: the tour runs offscreen");
        }
        QProcess studio;
        studio.setProcessEnvironment(env);
        studio.start(program, args);
        QVERIFY(studio.waitForFinished(300000));
        const QString err = QString::fromUtf8(studio.readAllStandardError());
        QCOMPARE(studio.exitStatus(), QProcess::NormalExit);
        QVERIFY2(studio.exitCode() == 0, qPrintable(err));

        QStringList expected = {"0-start.png",   "1-diagnose.png", "2-dataset.png",  "3-train.png",
                                "4-results.png", "5-review.png",   "6-shortcuts.png", "7-wizard-dataset.png",
                                "8-wizard-model.png", "9-wizard-schedule.png", "10-wizard-labels.png",
                                "11-wizard-summary.png", "12-train-live.png"};
        QStringList written = QDir(out).entryList(QDir::Files);
        std::sort(expected.begin(), expected.end());
        std::sort(written.begin(), written.end());
        QCOMPARE(written, expected);
        const QStringList printed = QString::fromUtf8(studio.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(printed.size(), expected.size());
        for (const QString& name : expected) {
            const QImage shot(QDir(out).filePath(name));
            QVERIFY2(!shot.isNull(), qPrintable(name));
            QVERIFY2(shot.width() >= 400 && shot.height() >= 300, qPrintable(name));
            QVERIFY2(distinctColours(shot) > 8, qPrintable(name + " looks blank"));
        }
        // The Review picture shows a suspect of the noisy run.
        QVERIFY2(err.contains("5-review.png: suspect "), qPrintable(err));
        // The views with content have more in them than the start page.
        const int empty = distinctColours(QImage(QDir(out).filePath("0-start.png")));
        for (const char* full : {"2-dataset.png", "4-results.png", "5-review.png", "12-train-live.png"})
            QVERIFY2(distinctColours(QImage(QDir(out).filePath(full))) > empty, full);
    }
};

QTEST_GUILESS_MAIN(TestUiTour)
#include "test_ui_tour.moc"
