// Training as a researcher runs it: it learns, it is repeatable, it stops when asked and keeps a
// usable checkpoint, it resumes exactly, and a corrupt photo is a warning, not a crash.
#include "TestSupport.h"

#include "Checkpoint.h"
#include "RunDir.h"
#include "Trainer.h"

#include <QTemporaryDir>

#include <csignal>
#include <sys/resource.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <nlohmann/json.hpp>

#include "Random.h"

using namespace cassava;

namespace {

// Five classes a small network can tell apart in a few epochs: a disc of a class-specific colour
// at a random place on a noisy background.
QString makeColourDataset(const QString& root, int perClass, uint64_t seed = 1)
{
    const cv::Scalar colours[5] = {{40, 40, 220}, {40, 220, 40}, {220, 40, 40}, {40, 220, 220}, {220, 220, 40}};
    QDir().mkpath(root + "/train_images");
    QByteArray csv = "image_id,label\n";
    Random rng(seed);
    for (int i = 0; i < perClass * 5; ++i) {
        const int label = i % 5;
        cv::Mat img(48, 48, CV_8UC3);
        cv::randu(img, cv::Scalar(60, 60, 60), cv::Scalar(140, 140, 140));
        const int r = static_cast<int>(rng.uniformInt(10, 16));
        cv::circle(img, cv::Point(static_cast<int>(rng.uniformInt(r, 47 - r)), static_cast<int>(rng.uniformInt(r, 47 - r))),
                   r, colours[label], cv::FILLED);
        const QString name = QString("img%1.png").arg(i, 4, 10, QChar('0'));
        cv::imwrite((root + "/train_images/" + name).toStdString(), img);
        csv += (name + "," + QString::number(label) + "\n").toUtf8();
    }
    testsupport::writeText(root + "/train.csv", csv);
    return root;
}

TrainConfig smallConfig(const QString& data, const QString& out)
{
    TrainConfig c;
    c.data = data.toStdString();
    c.out = out.toStdString();
    c.model = "b0";
    c.size = 32;
    c.batch = 16;
    c.epochs = 2;
    c.folds = 0;
    c.valSplit = 0.25;
    c.lr = 1e-3;
    c.alpha = 0.1;
    // One thread each: ctest runs tests side by side, and oversubscribed OpenMP threads spin.
    c.threads = 1;
    c.workers = 1;
    c.limit = 80;
    c.cacheMb = 64;
    c.augment = AugmentOptions::none(32);
    c.augment.flipHorizontal = c.augment.flipVertical = true;
    c.logEverySteps = 2;
    c.seed = 7;
    return c;
}

std::vector<nlohmann::json> epochLines(const QString& run)
{
    std::vector<nlohmann::json> out;
    for (auto& line : RunDir(run.toStdString()).readMetrics())
        if (line["type"] == "epoch") {
            line.erase("seconds");       // wall time differs between runs
            line.erase("images_per_s");
            line.erase("rss_mb");      // and memory
            line.erase("heap_mb");
            out.push_back(line);
        }
    return out;
}

}  // namespace

class TrainerTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_;

private slots:
    void initTestCase() { data_ = makeColourDataset(tmp_.path() + "/colours", 40); }

    void tinyTrainingLearnsAndWritesTheRun()
    {
        TrainConfig c = smallConfig(data_, tmp_.path() + "/learn");
        c.epochs = 6;
        c.size = 48;
        c.limit = 0;
        c.zeroInitResidual = true;  // the option's path through a whole run, which must still learn
        std::vector<EpochFinished> epochs;
        int steps = 0;
        Trainer trainer(c, [&](const TrainEvent& e) {
            if (auto* ep = std::get_if<EpochFinished>(&e))
                epochs.push_back(*ep);
            if (std::holds_alternative<StepProgress>(e))
                ++steps;
        });
        const RunFinished r = trainer.run();
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(r.completed);
        QCOMPARE(epochs.size(), size_t(6));
        QVERIFY(steps > 0);
        // Chance is 0.2; a network that learned anything separates five colours.
        QVERIFY2(r.oofAccuracy >= 0.6, qPrintable(QString("accuracy %1").arg(r.oofAccuracy)));
        QVERIFY(epochs.back().trainLoss < epochs.front().trainLoss);

        const RunDir run(c.out);
        for (const auto& path : {run.configPath(), run.metricsPath(), run.summaryPath(), run.oofPath(),
                                 run.bestCheckpoint(0), run.lastCheckpoint(0)})
            QVERIFY2(QFileInfo::exists(QString::fromStdString(path)), path.c_str());
        const auto summary = run.readJson(run.summaryPath());
        QCOMPARE(summary["oof_images"].get<int>(), 50);  // a quarter of 200
        QCOMPARE(summary["per_class_accuracy"].size(), size_t(5));
        QCOMPARE(summary["confusion_matrix"]["matrix"].size(), size_t(5));
        // The best checkpoint describes itself: normalization adapted to the data, class names.
        CheckpointMetadata meta = readCheckpointMetadata(run.bestCheckpoint(0));
        QCOMPARE(meta.inputSize, 48);
        QCOMPARE(meta.classNames.size(), size_t(5));
        QVERIFY(std::abs(meta.mean[0] - 0.485) > 1e-3);
        QCOMPARE(TrainConfig::fromJson(run.readJson(run.configPath())).epochs, 6);
        QVERIFY(TrainConfig::fromJson(run.readJson(run.configPath())).zeroInitResidual);
    }

    void sameSeedSameRun()
    {
        const TrainConfig a = smallConfig(data_, tmp_.path() + "/same-a");
        TrainConfig b = a;
        b.out = (tmp_.path() + "/same-b").toStdString();
        QVERIFY(Trainer(a).run().completed);
        QVERIFY(Trainer(b).run().completed);
        const auto la = epochLines(QString::fromStdString(a.out)), lb = epochLines(QString::fromStdString(b.out));
        QCOMPARE(la.size(), size_t(2));
        QCOMPARE(QString::fromStdString(nlohmann::json(la).dump()), QString::fromStdString(nlohmann::json(lb).dump()));
    }

    void resumeContinuesExactly()
    {
        TrainConfig c = smallConfig(data_, tmp_.path() + "/whole");
        c.epochs = 3;
        QVERIFY(Trainer(c).run().completed);

        // The same run stopped after its first epoch, then resumed.
        c.out = (tmp_.path() + "/stopped").toStdString();
        Trainer* self = nullptr;
        Trainer first(c, [&](const TrainEvent& e) {
            if (std::holds_alternative<EpochFinished>(e))
                self->cancel();
        });
        self = &first;
        const RunFinished stopped = first.run();
        QVERIFY(stopped.cancelled);
        QCOMPARE(epochLines(QString::fromStdString(c.out)).size(), size_t(1));
        // A killed process may leave a torn line; resume ignores it.
        {
            QFile f(QString::fromStdString(RunDir(c.out).metricsPath()));
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"type\": \"epoch\", \"fold\": 0, \"epo");
        }
        int resumedFrom = -2;
        auto resumed = Trainer::resume(c.out, [&](const TrainEvent& e) {
            if (auto* s = std::get_if<RunStarted>(&e))
                resumedFrom = s->resumedFromEpoch;
        });
        QVERIFY(resumed->run().completed);
        QCOMPARE(resumedFrom, 1);
        const auto whole = epochLines(tmp_.path() + "/whole"), again = epochLines(QString::fromStdString(c.out));
        QCOMPARE(again.size(), size_t(3));  // no duplicated or missing epochs
        QCOMPARE(QString::fromStdString(nlohmann::json(again).dump()), QString::fromStdString(nlohmann::json(whole).dump()));
    }

    void cancelStopsWithinABatchAndKeepsACheckpoint()
    {
        TrainConfig c = smallConfig(data_, tmp_.path() + "/cancel");
        c.epochs = 50;
        std::atomic<int> steps{0};
        Trainer trainer(c, [&](const TrainEvent& e) {
            if (std::holds_alternative<StepProgress>(e))
                ++steps;
        });
        trainer.start();
        QTRY_VERIFY_WITH_TIMEOUT(steps.load() >= 1, 120000);
        trainer.cancel();
        const RunFinished r = trainer.wait();
        QVERIFY(r.cancelled);
        QVERIFY(!r.completed);
        QVERIFY(steps.load() <= 3);  // 2 steps per report: stopped within the next batch or so
        const std::string last = RunDir(c.out).lastCheckpoint(0);
        QVERIFY(QFileInfo::exists(QString::fromStdString(last)));
        QCOMPARE(readCheckpointMetadata(last).numClasses, 5);
    }

    void corruptImagesAreLeftOutWithAWarning()
    {
        const QString data = makeColourDataset(tmp_.path() + "/corrupt", 4, 3);
        testsupport::writeText(data + "/train_images/img0003.png", "\x89PNG but then nothing");
        TrainConfig c = smallConfig(data, tmp_.path() + "/corrupt-run");
        c.epochs = 1;
        c.valSplit = 0.5;
        std::vector<std::string> warnings;
        int skipped = 0;
        Trainer trainer(c, [&](const TrainEvent& e) {
            if (auto* m = std::get_if<RunMessage>(&e); m && m->level == RunMessage::Level::Warning)
                warnings.push_back(m->text);
            if (auto* ep = std::get_if<EpochFinished>(&e))
                skipped += ep->skippedImages;
        });
        const RunFinished r = trainer.run();
        QVERIFY2(r.error.empty(), r.error.c_str());
        bool named = false;
        for (const auto& w : warnings)
            named = named || w.find("train_images/img0003.png") != std::string::npos;
        // Wherever the split put it, the image is named in a warning.
        QVERIFY(named);
        const auto lines = epochLines(QString::fromStdString(c.out));
        QCOMPARE(lines.size(), size_t(1));
        QCOMPARE(lines[0]["skipped"].get<int>(), skipped);
    }

    void aFailedCheckpointWriteIsAnErrorAndKeepsThePreviousOne()
    {
        TrainConfig c = smallConfig(data_, tmp_.path() + "/disk-full");
        c.epochs = 2;
        // After the first epoch the "disk" fills up: files may grow to 1 MB only (RLIMIT_FSIZE stops
        // root too, unlike a read-only folder).
        struct rlimit before;
        ::getrlimit(RLIMIT_FSIZE, &before);
        std::signal(SIGXFSZ, SIG_IGN);
        Trainer trainer(c, [&](const TrainEvent& e) {
            if (std::holds_alternative<EpochFinished>(e)) {
                struct rlimit small = before;
                small.rlim_cur = 1 << 20;
                ::setrlimit(RLIMIT_FSIZE, &small);
            }
        });
        const RunFinished r = trainer.run();
        ::setrlimit(RLIMIT_FSIZE, &before);
        QVERIFY(!r.completed);
        QVERIFY2(r.error.find(RunDir(c.out).foldDir(0)) != std::string::npos, r.error.c_str());
        QVERIFY2(r.error.find("File too large") != std::string::npos, r.error.c_str());
        // The first epoch's checkpoints are intact and readable.
        for (const auto& path : {RunDir(c.out).lastCheckpoint(0), RunDir(c.out).bestCheckpoint(0)}) {
            const CheckpointMetadata meta = readCheckpointMetadata(path);
            QCOMPARE(meta.metrics["epoch"].get<int>(), 0);
        }
        // No temporary file is left beside them.
        for (const auto& entry : QDir(QString::fromStdString(RunDir(c.out).foldDir(0))).entryList(QDir::Files))
            QVERIFY2(!entry.contains(".tmp-"), qPrintable(entry));
    }

    void badSettingsAreRefusedWithTheirName()
    {
        TrainConfig c = smallConfig(data_, tmp_.path() + "/bad");
        c.selectBy = "val_f1";
        QVERIFY(c.validate().find("select_by") != std::string::npos);
        const RunFinished r = Trainer(c).run();
        QVERIFY(r.error.find("select_by") != std::string::npos);
        c.selectBy = "val_loss";
        c.data = (tmp_.path() + "/nowhere").toStdString();
        QVERIFY(Trainer(c).run().error.find("not a usable dataset") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TrainConfig::fromJson(nlohmann::json{{"epochz", 3}}));
    }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "test_engine_trainer.moc"
