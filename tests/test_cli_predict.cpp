// What a trained run gives its users from the command line: a Kaggle submission in the sample's
// order, diagnoses with heatmaps that survive a bad file, suspect labels by both rules, a dataset
// with recorded wrong labels to measure them against, and a retraining that records its labels.
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

using testsupport::readCsv;
using testsupport::runCli;

class CliPredictTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_, run_;

private slots:
    void initTestCase()
    {
        data_ = tmp_.path() + "/leaves";
        auto r = runCli({"synth", "--out", data_, "--count", "40", "--size", "64x48", "--seed", "4", "--test-count", "6",
                         "--noise", "0.2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        run_ = tmp_.path() + "/run";
        r = runCli({"train", "--data", data_, "--out", run_, "--size", "32", "--epochs", "1", "--folds", "2", "--batch",
                    "8", "--threads", "1", "--workers", "1", "--no-augment"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(QFile::exists(run_ + "/fold_1/best.ckpt"));
    }

    void submissionFollowsTheSampleOrder()
    {
        // A sample in an order of its own, naming 4 of the 6 test photos.
        const auto sample = readCsv(data_ + "/sample_submission.csv");
        QCOMPARE(sample.size(), 7);
        QByteArray custom = "image_id,label\n";
        const QStringList order = {sample[5][0], sample[2][0], sample[6][0], sample[1][0]};
        for (const QString& id : order)
            custom += id.toUtf8() + ",0\n";
        testsupport::writeText(tmp_.path() + "/sample.csv", custom);
        const QString out = tmp_.path() + "/submission.csv", probs = tmp_.path() + "/probs.csv";
        const auto r = runCli({"predict", "--run", run_, "--images", data_ + "/test_images", "--sample",
                               tmp_.path() + "/sample.csv", "--out", out, "--probs", probs, "--tta", "2", "--crops", "2",
                               "--threads", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY(r.err.contains("2 photos"));  // not in the sample: left out, said so
        const auto rows = readCsv(out);
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows[0], (QStringList{"image_id", "label"}));
        const auto p = readCsv(probs);
        QCOMPARE(p[0], (QStringList{"image_id", "label", "p0", "p1", "p2", "p3", "p4"}));
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(rows[i + 1][0], order[i]);
            QCOMPARE(p[i + 1][0], order[i]);
            QCOMPARE(rows[i + 1][1], p[i + 1][1]);
            double sum = 0, best = -1;
            int argmax = -1;
            for (int c = 0; c < 5; ++c) {
                const double v = p[i + 1][2 + c].toDouble();
                sum += v;
                if (v > best) {
                    best = v;
                    argmax = c;
                }
            }
            QVERIFY(std::abs(sum - 1) < 1e-4);
            QCOMPARE(rows[i + 1][1].toInt(), argmax);
        }
    }

    void aSampleNamingAMissingPhotoIsAnErrorWithItsLine()
    {
        const QString first = readCsv(data_ + "/sample_submission.csv")[1][0];
        testsupport::writeText(tmp_.path() + "/bad-sample.csv", ("image_id,label\n" + first + ",0\nnowhere.jpg,0\n").toUtf8());
        const auto r = runCli({"predict", "--run", run_, "--images", data_ + "/test_images", "--sample",
                               tmp_.path() + "/bad-sample.csv", "--out", tmp_.path() + "/never.csv"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("bad-sample.csv:3") && r.err.contains("nowhere.jpg"), qPrintable(r.err));
        QVERIFY(!QFile::exists(tmp_.path() + "/never.csv"));
    }

    void diagnoseNamesTheDiseaseAndDrawsHeatmapsDespiteABadFile()
    {
        const QString notes = tmp_.path() + "/notes.jpg";
        testsupport::writeText(notes, "not a photo");
        const QString photo = data_ + "/train_images/" + readCsv(data_ + "/train.csv")[1][0];
        const QString png = tmp_.path() + "/leaf.png";
        cv::Mat wide = cv::imread(photo.toStdString());
        QVERIFY(cv::imwrite(png.toStdString(), wide));
        const QString cams = tmp_.path() + "/cams";
        const auto r = runCli({"diagnose", "--model", run_ + "/fold_0/best.ckpt", photo, notes, png, "--cam", cams, "--json"});
        QCOMPARE(r.exitCode, 1);  // one photo failed; the others still ran
        const QJsonArray all = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(all.size(), 3);
        QVERIFY(all[1].toObject()["error"].toString().contains("notes.jpg"));
        for (int i : {0, 2}) {
            const QJsonObject o = all[i].toObject();
            const QJsonObject probs = o["probabilities"].toObject();
            QCOMPARE(probs.size(), 5);
            QVERIFY(probs.contains("Cassava Mosaic Disease (CMD)"));
            QVERIFY(probs.contains(o["disease"].toString()));
            const cv::Mat cam = cv::imread(o["cam"].toString().toStdString());
            QCOMPARE(cam.cols, wide.cols);
            QCOMPARE(cam.rows, wide.rows);
        }
        const auto text = runCli({"diagnose", "--run", run_, photo});
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY(text.out.contains("%") && text.out.contains("Healthy"));
    }

    void denoiseFlagsByBothRulesAndScoresAgainstTheTruth()
    {
        // --tta 1 reads oof.csv as it is: with threshold 0 the recipe flags exactly the rows whose
        // prediction differs from the label.
        const auto oof = readCsv(run_ + "/oof.csv");
        QCOMPARE(oof.size(), 41);
        QStringList disagree;
        for (int i = 1; i < oof.size(); ++i) {
            int argmax = 0;
            for (int c = 1; c < 5; ++c)
                if (oof[i][3 + c].toDouble() > oof[i][3 + argmax].toDouble())
                    argmax = c;
            if (argmax != oof[i][1].toInt())
                disagree << oof[i][0];
        }
        const QString out = tmp_.path() + "/suspects.csv";
        auto r = runCli({"denoise", "--run", run_, "--out", out, "--tta", "1", "--threshold", "0", "--truth",
                         data_ + "/noise_truth.csv", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto suspects = readCsv(out);
        QCOMPARE(suspects[0].mid(0, 4), (QStringList{"image_id", "given_label", "suggested_label", "confidence"}));
        QStringList flagged;
        for (int i = 1; i < suspects.size(); ++i) {
            flagged << suspects[i][0];
            if (i > 1)
                QVERIFY(suspects[i - 1][3].toDouble() >= suspects[i][3].toDouble());  // most confident first
        }
        flagged.sort();
        disagree.sort();
        QCOMPARE(flagged, disagree);
        const QJsonObject summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(summary["flagged"].toInt(), disagree.size());
        QCOMPARE(summary["against_truth"].toObject()["flipped"].toInt(), 8);  // 20 % of 40

        // TTA re-prediction with the fold models, and confident learning.
        const QString saved = tmp_.path() + "/oof-tta.csv";
        r = runCli({"denoise", "--run", run_, "--data", data_, "--out", tmp_.path() + "/confident.csv", "--method",
                    "confident", "--tta", "2", "--save-oof", saved});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readCsv(saved).size(), 41);
        QVERIFY(readCsv(saved) != oof);
        QVERIFY(r.out.contains("confident rule"));

        r = runCli({"denoise", "--run", run_, "--method", "both"});
        QCOMPARE(r.exitCode, 2);
    }

    void flippedLabelsAreRecordedAndRetrainingRecordsItsLabels()
    {
        const QString noisy = tmp_.path() + "/noisy";
        auto r = runCli({"flip-labels", "--data", data_, "--out", noisy, "--fraction", "0.25", "--seed", "9"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto truth = readCsv(noisy + "/noise_truth.csv");
        const auto given = readCsv(noisy + "/train.csv");
        const auto source = readCsv(data_ + "/train.csv");
        QCOMPARE(given.size(), source.size());
        int flipped = 0;
        for (int i = 1; i < given.size(); ++i) {
            QCOMPARE(truth[i][0], source[i][0]);
            QCOMPARE(truth[i][1], source[i][1]);  // the truth is the source's label
            QCOMPARE(truth[i][2], given[i][1]);
            flipped += given[i][1] != source[i][1];
        }
        QCOMPARE(flipped, 10);
        r = runCli({"flip-labels", "--data", data_, "--out", noisy, "--fraction", "0.25"});
        QCOMPARE(r.exitCode, 1);  // never overwrites
        // Nor does training write a run into a folder that holds something else (here a dataset).
        r = runCli({"train", "--data", noisy, "--out", noisy, "--size", "32", "--epochs", "1"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not empty"), qPrintable(r.err));
        QVERIFY(!QFile::exists(noisy + "/config.json"));

        // Retraining with corrections: the run records the labels it used; train.csv is untouched.
        const QByteArray before = [&] { QFile f(data_ + "/train.csv"); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        testsupport::writeText(tmp_.path() + "/decisions.csv", ("image_id,label\n" + source[1][0] + ",4\n").toUtf8());
        testsupport::writeText(tmp_.path() + "/drop.csv", ("image_id\n" + source[2][0] + "\n").toUtf8());
        const QString again = tmp_.path() + "/again";
        r = runCli({"train", "--data", data_, "--out", again, "--size", "32", "--epochs", "1", "--val-split", "0.5",
                    "--batch", "8", "--threads", "1", "--workers", "1", "--no-augment", "--relabel",
                    tmp_.path() + "/decisions.csv", "--exclude", tmp_.path() + "/drop.csv"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto used = readCsv(again + "/labels.csv");
        QCOMPARE(used.size(), 40);  // 40 images, one left out, plus the header
        QCOMPARE(used[1], (QStringList{source[1][0], "4"}));
        for (const auto& row : used)
            QVERIFY(row[0] != source[2][0]);
        const QByteArray after = [&] { QFile f(data_ + "/train.csv"); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        QCOMPARE(after, before);
    }
};

QTEST_GUILESS_MAIN(CliPredictTest)
#include "test_cli_predict.moc"
