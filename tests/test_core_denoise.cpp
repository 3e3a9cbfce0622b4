// Finding mislabelled images from out-of-fold probabilities, and measuring it against known flips.
#include "TestSupport.h"

#include "AtomicFile.h"
#include "Dataset.h"
#include "Denoise.h"
#include "LabelMap.h"
#include "LabelNoise.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <set>

using namespace cassava;
using testsupport::writeText;
namespace fs = std::filesystem;

namespace {

struct Row {
    std::string id;
    int label;
    std::vector<float> p;
};

ProbabilityTable tableOf(int classes, const std::vector<Row>& rows)
{
    ProbabilityTable t;
    t.classes = classes;
    for (const auto& r : rows) {
        t.imageIds.push_back(r.id);
        t.labels.push_back(r.label);
        t.folds.push_back(static_cast<int>(t.folds.size()) % 2);
        t.probabilities.insert(t.probabilities.end(), r.p.begin(), r.p.end());
    }
    return t;
}

// "id->suggested" for each suspect, in order: the whole answer in one comparable value.
std::vector<std::string> verdicts(const ProbabilityTable& t, const std::vector<Suspect>& suspects)
{
    std::vector<std::string> out;
    for (const auto& s : suspects)
        out.push_back(t.imageIds[s.row] + "->" + std::to_string(s.suggestedLabel));
    return out;
}

std::string thrownMessage(const std::function<void()>& action)
{
    try {
        action();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

bool close(double a, double b, double tolerance = 1e-6) { return std::abs(a - b) < tolerance; }

// A tiny Kaggle-layout folder with real JPEGs: `count` listed images labelled i % 5, plus a row
// whose image is missing and a row with a bad label (both invalid, so not flipped).
std::string makePhotoDataset(const QString& root, int count)
{
    QDir().mkpath(root + "/train_images");
    QByteArray csv = "image_id,label\n";
    for (int i = 0; i < count; ++i) {
        const std::string id = "leaf_" + std::to_string(i) + ".jpg";
        cv::Mat image(12, 16, CV_8UC3, cv::Scalar(20 * (i % 5), 120, 255 - 10 * i));
        if (!cv::imwrite(root.toStdString() + "/train_images/" + id, image))
            qFatal("cv::imwrite failed for %s", id.c_str());
        csv += QByteArray::fromStdString(id) + "," + QByteArray::number(i % 5) + "\n";
    }
    csv += "missing.jpg,1\nbad_label.jpg,9\n";
    writeText(root + "/train_images/bad_label.jpg", "x");
    writeText(root + "/train.csv", csv);
    writeText(root + "/label_num_to_disease_map.json", QByteArray::fromStdString(LabelMap::standard().toJson()));
    return root.toStdString();
}

}  // namespace

class DenoiseTest : public QObject {
    Q_OBJECT

private slots:
    void recipeFlagsConfidentDisagreementsAtTheThreshold()
    {
        const auto t = tableOf(3, {{"boundary", 0, {0.1f, 0.8f, 0.1f}},       // mean exactly 0.8: flagged
                                   {"below", 0, {0.11f, 0.79f, 0.10f}},       // 0.79: not flagged
                                   {"sure", 2, {0.95f, 0.03f, 0.02f}},
                                   {"agrees", 1, {0.0f, 0.99f, 0.01f}},       // prediction == label
                                   {"likely", 2, {0.05f, 0.9f, 0.05f}}});
        const auto suspects = findSuspects(t, {DenoiseMethod::Recipe, 0.8});
        QCOMPARE(verdicts(t, suspects), (std::vector<std::string>{"sure->0", "likely->1", "boundary->1"}));
        QCOMPARE(suspects[0].row, size_t(2));
        QCOMPARE(suspects[0].givenLabel, 2);
        QVERIFY(close(suspects[0].confidence, 0.95) && close(suspects[0].givenConfidence, 0.02));
        QCOMPARE(verdicts(t, findSuspects(t, {DenoiseMethod::Recipe, 0.5})),
                 (std::vector<std::string>{"sure->0", "likely->1", "boundary->1", "below->1"}));
        // 0.95 as a float is 0.94999999: a stored probability equal to the threshold still reaches it.
        QCOMPARE(verdicts(t, findSuspects(t, {DenoiseMethod::Recipe, 0.95})), (std::vector<std::string>{"sure->0"}));
        QVERIFY(findSuspects(t, {DenoiseMethod::Recipe, 0.96}).empty());
        // "agrees" is never flagged, however low the threshold.
        for (const auto& s : findSuspects(t, {DenoiseMethod::Recipe, 0.0}))
            QVERIFY(t.imageIds[s.row] != "agrees");
    }

    void recipeSumsOverTtaRuns()
    {
        // Two TTA runs: the notebook flags when the summed confidence reaches 0.8 x 2 = 1.6.
        const auto first = tableOf(3, {{"even", 0, {0.1f, 0.8f, 0.1f}},
                                       {"split", 0, {0.1f, 0.79f, 0.11f}},
                                       {"short", 0, {0.0f, 0.95f, 0.05f}}});
        const auto second = tableOf(3, {{"short", 0, {0.35f, 0.6f, 0.05f}},  // 0.95 + 0.6 = 1.55 < 1.6
                                        {"even", 0, {0.1f, 0.8f, 0.1f}},     // 1.6: flagged
                                        {"split", 0, {0.09f, 0.81f, 0.1f}}}); // 1.6: flagged
        const auto mean = averageRuns({first, second});
        QCOMPARE(mean.runs, 2);
        QCOMPARE(mean.imageIds, first.imageIds);
        QVERIFY(close(mean.row(2)[1], 0.775) && close(mean.row(2)[0], 0.175));
        QCOMPARE(verdicts(mean, findSuspects(mean, {DenoiseMethod::Recipe, 0.8})),
                 (std::vector<std::string>{"even->1", "split->1"}));
        auto stranger = second;
        stranger.imageIds[0] = "other";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, averageRuns({first, stranger}));
    }

    void confidentExamplesAreAgreeingRowsMostSureFirst()
    {
        const auto t = tableOf(3, {{"fair", 1, {0.2f, 0.6f, 0.2f}},
                                   {"wrong", 1, {0.9f, 0.05f, 0.05f}},   // the model says 0: not an example of 1
                                   {"sure", 1, {0.01f, 0.98f, 0.01f}},
                                   {"other", 2, {0.0f, 0.99f, 0.01f}},   // labelled 2: not an example of 1
                                   {"good", 1, {0.1f, 0.8f, 0.1f}}});
        QCOMPARE(confidentExamples(t, 1, 10), (std::vector<size_t>{2, 4, 0}));
        QCOMPARE(confidentExamples(t, 1, 2), (std::vector<size_t>{2, 4}));
        QVERIFY(confidentExamples(t, 2, 5).empty());
        QCOMPARE(confidentExamples(t, 0, 5), std::vector<size_t>{});
    }

    void confidentLearningByHand()
    {
        // t0 = (0.7 + 0.5 + 0.3) / 3 = 0.5; t1 = (0.8 + 0.25 + 0.7 + 0 + 0.44) / 5 = 0.438;
        // t2 = (0.6 + 0.25 + 0.35) / 3 = 0.4.
        const auto t = tableOf(3, {{"r0", 0, {0.7f, 0.2f, 0.1f}},     // confident in 0 only: agrees
                                   {"r1", 0, {0.5f, 0.4f, 0.1f}},     // p0 = t0 exactly: agrees
                                   {"r2", 0, {0.3f, 0.6f, 0.1f}},     // only 1: issue, margin 0.3
                                   {"r3", 1, {0.1f, 0.8f, 0.1f}},
                                   {"r4", 1, {0.65f, 0.25f, 0.1f}},   // only 0: issue, margin 0.4
                                   {"r5", 1, {0.2f, 0.7f, 0.1f}},
                                   {"r6", 2, {0.2f, 0.2f, 0.6f}},
                                   {"r7", 2, {0.45f, 0.3f, 0.25f}},   // none confident: not counted
                                   {"r8", 2, {0.05f, 0.6f, 0.35f}},   // only 1: issue, margin 0.25
                                   {"r9", 1, {0.55f, 0.0f, 0.45f}},   // 0 and 2: best is 0, margin 0.55
                                   {"r10", 1, {0.0f, 0.44f, 0.56f}}}); // 1 and 2: best is 2, margin 0.12
        const auto thresholds = perClassThresholds(t);
        QCOMPARE(thresholds.size(), size_t(3));
        QVERIFY(close(thresholds[0], 0.5) && close(thresholds[1], 0.438) && close(thresholds[2], 0.4));
        const auto suspects = findSuspects(t, {DenoiseMethod::Confident, 0.8});
        QCOMPARE(verdicts(t, suspects), (std::vector<std::string>{"r9->0", "r4->0", "r2->1", "r8->1", "r10->2"}));
        QCOMPARE(suspects[3].givenLabel, 2);
        QVERIFY(close(suspects[3].confidence, 0.6) && close(suspects[3].givenConfidence, 0.35));
        // The recipe at a low threshold disagrees on r7, which has no confident class.
        const auto recipe = verdicts(t, findSuspects(t, {DenoiseMethod::Recipe, 0.4}));
        QVERIFY(std::find(recipe.begin(), recipe.end(), "r7->0") != recipe.end());
    }

    void classWithoutRowsIsNeverConfident()
    {
        const auto t = tableOf(4, {{"a", 0, {0.9f, 0.05f, 0.05f, 0.0f}},
                                   {"b", 0, {0.0f, 0.0f, 0.0f, 1.0f}},  // all mass on unlabelled class 3
                                   {"c", 1, {0.1f, 0.9f, 0.0f, 0.0f}},
                                   {"d", 2, {0.0f, 0.1f, 0.9f, 0.0f}}});
        const auto thresholds = perClassThresholds(t);
        QVERIFY(close(thresholds[0], 0.45) && close(thresholds[1], 0.9) && close(thresholds[2], 0.9));
        QVERIFY(thresholds[3] > 1.0);
        QVERIFY(findSuspects(t, {DenoiseMethod::Confident, 0.8}).empty());
        QCOMPARE(verdicts(t, findSuspects(t, {DenoiseMethod::Recipe, 0.8})), (std::vector<std::string>{"b->3"}));
    }

    void methodNames()
    {
        DenoiseMethod m = DenoiseMethod::Recipe;
        QVERIFY(parseDenoiseMethod("confident", m) && m == DenoiseMethod::Confident);
        QVERIFY(parseDenoiseMethod("recipe", m) && m == DenoiseMethod::Recipe);
        QVERIFY(!parseDenoiseMethod("cleanlab", m) && m == DenoiseMethod::Recipe);
        QCOMPARE(std::string(denoiseMethodName(DenoiseMethod::Confident)), std::string("confident"));
    }

    void oofCsvRoundTrip()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/oof.csv";
        auto t = tableOf(3, {{"a.jpg", 0, {0.123456f, 0.5f, 0.376544f}}, {"odd, name.jpg", 2, {0.0f, 0.0f, 1.0f}}});
        t.folds = {3, 0};
        writeProbabilityCsv(path, t);
        QCOMPARE(readFile(path), std::string("image_id,label,fold,p0,p1,p2\n"
                                             "a.jpg,0,3,0.123456,0.500000,0.376544\n"
                                             "\"odd, name.jpg\",2,0,0.000000,0.000000,1.000000\n"));
        ProblemList problems;
        const auto back = readProbabilityCsv(path, problems);
        QVERIFY(problems.empty());
        QCOMPARE(back.classes, 3);
        QCOMPARE(back.runs, 1);
        QCOMPARE(back.imageIds, t.imageIds);
        QCOMPARE(back.labels, t.labels);
        QCOMPARE(back.folds, t.folds);
        QCOMPARE(back.probabilities.size(), t.probabilities.size());
        for (size_t k = 0; k < t.probabilities.size(); ++k)
            QVERIFY(close(back.probabilities[k], t.probabilities[k], 1e-6));
    }

    void oofCsvBadRowsAreReportedWithTheirLines()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/oof.csv";
        writeText(QString::fromStdString(path), "image_id,label,fold,p0,p1,p2\n"
                                                "a.jpg,0,0,0.5,0.3,0.2\n"     // 2
                                                "b.jpg,0,0,0.5,0.5\n"         // 3 fields
                                                "c.jpg,3,0,0.1,0.1,0.8\n"     // 4 label out of range
                                                "d.jpg,x,0,0.1,0.1,0.8\n"     // 5 label not a number
                                                "e.jpg,1,0,0.1,nan,0.2\n"     // 6
                                                "f.jpg,1,0,0.1,1.5,0.2\n"     // 7
                                                "g.jpg,1,0,-0.1,0.5,0.2\n"    // 8
                                                "h.jpg,1,0,0.1,abc,0.2\n"     // 9
                                                "i.jpg,2,1,0.1,0.2,0.7\n"     // 10
                                                "a.jpg,1,0,0.1,0.2,0.7\n"     // 11 duplicate
                                                "j.jpg,1,0,0.1,inf,0.2\n"     // 12
                                                "k.jpg,1,z,0.1,0.2,0.7\n");   // 13 fold
        ProblemList problems;
        const auto t = readProbabilityCsv(path, problems);
        QCOMPARE(t.imageIds, (std::vector<std::string>{"a.jpg", "i.jpg"}));
        QCOMPARE(t.labels, (std::vector<int>{0, 2}));
        QCOMPARE(t.folds, (std::vector<int>{0, 1}));
        std::vector<int> lines;
        for (const auto& p : problems) {
            lines.push_back(p.line);
            QCOMPARE(p.file, path);
            QCOMPARE(p.severity, Problem::Severity::Error);
        }
        QCOMPARE(lines, (std::vector<int>{3, 4, 5, 6, 7, 8, 9, 11, 12, 13}));
        QVERIFY(problems[1].message.find("label '3'") != std::string::npos);
        QVERIFY(problems[7].message.find("duplicate") != std::string::npos);
    }

    void oofCsvMissingOrMisshapenThrows()
    {
        QTemporaryDir tmp;
        const std::string missing = tmp.path().toStdString() + "/none/oof.csv";
        QVERIFY(thrownMessage([&] { ProblemList p; readProbabilityCsv(missing, p); }).find(missing) != std::string::npos);
        for (const QByteArray header : {"image_id,label,p0,p1\n", "image_id,label,fold,p0,p2\n", "image_id,label,fold,p0\n", ""}) {
            const std::string path = tmp.path().toStdString() + "/bad.csv";
            writeText(QString::fromStdString(path), header + "a.jpg,0,0,1.0\n");
            ProblemList p;
            QVERIFY2(thrownMessage([&] { readProbabilityCsv(path, p); }).find(path) != std::string::npos, header.constData());
        }
    }

    void suspectsCsvListsSuspectsInOrder()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/suspects.csv";
        const auto t = tableOf(3, {{"x.jpg", 0, {0.1f, 0.85f, 0.05f}}, {"y.jpg", 2, {0.95f, 0.03f, 0.02f}},
                                   {"z.jpg", 1, {0.1f, 0.8f, 0.1f}}});
        writeSuspectsCsv(path, t, findSuspects(t, {}));
        QCOMPARE(readFile(path), std::string("image_id,given_label,suggested_label,confidence,p0,p1,p2\n"
                                             "y.jpg,2,0,0.950000,0.950000,0.030000,0.020000\n"
                                             "x.jpg,0,1,0.850000,0.100000,0.850000,0.050000\n"));
    }

    void scoringAgainstKnownFlips()
    {
        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/noise_truth.csv";
        writeText(QString::fromStdString(path), "image_id,true_label,given_label\n"
                                                "a,0,1\nb,1,2\nc,2,3\nd,3,4\ne,0,0\nf,1,1\n"
                                                "g,2\n"          // 8: two fields
                                                "h,x,1\n"        // 9
                                                "i,4,4\nj,0,0\nk,1,1\n");
        ProblemList problems;
        const NoiseTruth truth = readNoiseTruth(path, problems);
        QCOMPARE(truth.images, 9);
        QCOMPARE(truth.flipped, (std::vector<std::string>{"a", "b", "c", "d"}));
        QCOMPARE(problems.size(), size_t(2));
        QCOMPARE(problems[0].line, 8);
        QCOMPARE(problems[1].line, 9);
        QCOMPARE(problems[1].file, path);

        const std::vector<std::string> all = {"a", "b", "c", "d", "e", "f", "i", "j", "k"};
        const auto s = scoreDetection({"a", "b", "e", "f", "i"}, truth, all);
        QCOMPARE(s.flagged, 5);
        QCOMPARE(s.flipped, 4);
        QCOMPARE(s.truePositives, 2);
        QVERIFY(close(s.precision, 0.4) && close(s.recall, 0.5) && close(s.f1, 2 * 0.4 * 0.5 / 0.9));
        const auto j = toJson(s);
        QCOMPARE(j["true_positives"].get<int>(), 2);
        QVERIFY(close(j["f1"].get<double>(), 0.8 / 1.8));

        // A hold-out run covers a subset: d was never predicted, so it is not a miss.
        const auto held = scoreDetection({"a", "b", "e", "f", "i"}, truth, {"a", "b", "c", "e", "f", "i"});
        QCOMPARE(held.flipped, 3);
        QVERIFY(close(held.recall, 2.0 / 3) && close(held.precision, 0.4) && close(held.f1, 0.5));

        const auto none = scoreDetection({}, truth, all);
        QCOMPARE(none.flipped, 4);
        QVERIFY(none.precision == 0 && none.recall == 0 && none.f1 == 0);

        writeText(QString::fromStdString(path), "image_id,label\na,0\n");
        QVERIFY(thrownMessage([&] { readNoiseTruth(path, problems); }).find(path) != std::string::npos);
    }

    void flippedCopyOfRealPhotos()
    {
        QTemporaryDir tmp;
        const std::string source = makePhotoDataset(tmp.path() + "/photos", 20);
        const std::string out = tmp.path().toStdString() + "/noisy";
        const FlipReport report = flipLabels(source, out, 0.33, 7);  // round(0.33 x 20 valid rows) = 7
        QCOMPARE(report.images, 20);
        QCOMPARE(report.flipped, 7);

        ProblemList problems;
        const NoiseTruth truth = readNoiseTruth(out + "/noise_truth.csv", problems);
        QVERIFY(problems.empty());
        QCOMPARE(truth.images, 20);
        QCOMPARE(truth.flipped.size(), size_t(7));

        const Dataset noisy = Dataset::open(out);
        QVERIFY2(noisy.usable() && countSeverity(noisy.problems(), Problem::Severity::Error) == 0,
                 noisy.problems().empty() ? "" : noisy.problems()[0].toString().c_str());
        QVERIFY(fs::is_symlink(out + "/train_images"));
        QVERIFY(fs::read_symlink(out + "/train_images").is_absolute());
        QCOMPARE(noisy.samples().size(), size_t(20));
        const std::set<std::string> flipped(truth.flipped.begin(), truth.flipped.end());
        std::vector<int> perClass(5, 0);
        for (size_t i = 0; i < noisy.samples().size(); ++i) {
            const Sample& s = noisy.samples()[i];
            const int trueLabel = static_cast<int>(i % 5);
            QCOMPARE(s.imageId, "leaf_" + std::to_string(i) + ".jpg");  // same order
            QCOMPARE(s.label != trueLabel, flipped.count(s.imageId) == 1);
            perClass[static_cast<size_t>(trueLabel)] += s.label != trueLabel;
            QVERIFY(!cv::imread(noisy.imagePath(s)).empty());
        }
        QCOMPARE(report.perClassFlipped, perClass);
        QCOMPARE(readFile(out + "/label_num_to_disease_map.json"), readFile(source + "/label_num_to_disease_map.json"));
        const auto flip = nlohmann::json::parse(readFile(out + "/flip.json"));
        QCOMPARE(flip["flipped"].get<int>(), 7);
        QCOMPARE(flip["seed"].get<uint64_t>(), uint64_t(7));
        QVERIFY(close(flip["fraction"].get<double>(), 0.33));
        QVERIFY(fs::equivalent(flip["source"].get<std::string>(), source));

        // Same seed, same flips; another seed, other flips. An empty existing folder is fine.
        fs::create_directory(tmp.path().toStdString() + "/again");
        flipLabels(source, tmp.path().toStdString() + "/again", 0.33, 7);
        QCOMPARE(readFile(tmp.path().toStdString() + "/again/train.csv"), readFile(out + "/train.csv"));
        flipLabels(source, tmp.path().toStdString() + "/other", 0.33, 8);
        QVERIFY(readFile(tmp.path().toStdString() + "/other/train.csv") != readFile(out + "/train.csv"));
        QCOMPARE(flipLabels(source, tmp.path().toStdString() + "/clean", 0.0, 7).flipped, 0);
        QCOMPARE(readFile(tmp.path().toStdString() + "/clean/train.csv").find("missing.jpg"), std::string::npos);
    }

    void flipRefusals()
    {
        QTemporaryDir tmp;
        const std::string source = makePhotoDataset(tmp.path() + "/photos", 5);
        const std::string out = tmp.path().toStdString() + "/out";
        writeText(QString::fromStdString(out + "/keep.txt"), "mine");
        QVERIFY(thrownMessage([&] { flipLabels(source, out, 0.2, 1); }).find("not empty") != std::string::npos);
        QCOMPARE(readFile(out + "/keep.txt"), std::string("mine"));
        const std::string fresh = tmp.path().toStdString() + "/fresh";
        for (double fraction : {1.0, -0.1, std::numeric_limits<double>::quiet_NaN()})
            QVERIFY(thrownMessage([&] { flipLabels(source, fresh, fraction, 1); }).find("fraction") != std::string::npos);
        QVERIFY(!fs::exists(fresh));
        QDir().mkpath(tmp.path() + "/empty");
        QVERIFY(thrownMessage([&] { flipLabels(tmp.path().toStdString() + "/empty", fresh, 0.2, 1); })
                    .find("cannot be used") != std::string::npos);
        QVERIFY(!fs::exists(fresh));
    }
};

QTEST_APPLESS_MAIN(DenoiseTest)
#include "test_core_denoise.moc"
