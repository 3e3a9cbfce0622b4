// The built-in demo dataset: a user asks for N synthetic leaves (maybe with flipped labels) and
// must get a clean Kaggle-layout folder, the same bytes for the same seed, pictures whose symptoms
// really differ by class, and an honest record of which labels were flipped.
#include "TestSupport.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Dataset.h"
#include "FieldScene.h"
#include "Synth.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>

#include <filesystem>
#include <map>
#include <set>

using namespace cassava;
namespace fs = std::filesystem;

namespace {

SynthOptions smallSet(const QString& dir, int count = 12)
{
    SynthOptions o;
    o.outDir = dir.toStdString();
    o.count = count;
    o.width = 160;
    o.height = 120;
    return o;
}

// Every file under `root` (relative path -> bytes).
std::map<std::string, std::string> filesUnder(const std::string& root)
{
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), root).string()] = readFile(entry.path().string());
    return files;
}

// Rows of a CSV file after its header.
std::vector<std::vector<std::string>> csvRows(const std::string& path)
{
    const std::string text = readFile(path);
    CsvReader reader(text, path);
    std::vector<std::vector<std::string>> rows;
    CsvRecord record;
    bool header = true;
    while (reader.next(record)) {
        if (!header)
            rows.push_back(record.fields);
        header = false;
    }
    return rows;
}

// Colour statistics of the in-focus leaves of a picture, for the symptom checks.
struct LeafColours {
    double yellow = 0;  // fraction of leaf pixels that are clearly yellow
    double brown = 0;   // fraction that are dark brown / tan (necrosis)
    double pale = 0;    // fraction that are pale, washed-out (whitish / pale green)
    double area = 0;    // leaf pixels / picture pixels
};

LeafColours measureLeaves(int label, uint64_t index)
{
    const FieldScene scene = renderFieldScene(label, {320, 240}, 99, index);
    cv::Mat hsv;
    cv::cvtColor(scene.rgb, hsv, cv::COLOR_RGB2HSV);  // H in 0..179 (degrees / 2)
    LeafColours c;
    int leaf = 0;
    for (int y = 0; y < hsv.rows; ++y)
        for (int x = 0; x < hsv.cols; ++x) {
            if (scene.leaves(y, x) < 250)
                continue;
            ++leaf;
            const cv::Vec3b p = hsv.at<cv::Vec3b>(y, x);
            const int hue = p[0] * 2, sat = p[1], val = p[2];
            if (hue >= 40 && hue <= 66 && sat > 110 && val > 120)
                ++c.yellow;
            if (hue >= 5 && hue <= 40 && sat > 90 && val < 150)
                ++c.brown;
            if (sat < 100 && val > 140)
                ++c.pale;
        }
    if (leaf > 0) {
        c.yellow /= leaf;
        c.brown /= leaf;
        c.pale /= leaf;
    }
    c.area = static_cast<double>(leaf) / (hsv.rows * hsv.cols);
    return c;
}

LeafColours averageLeaves(int label, int pictures)
{
    LeafColours sum;
    for (int i = 0; i < pictures; ++i) {
        const LeafColours c = measureLeaves(label, static_cast<uint64_t>(i));
        sum.yellow += c.yellow / pictures;
        sum.brown += c.brown / pictures;
        sum.pale += c.pale / pictures;
        sum.area += c.area / pictures;
    }
    return sum;
}

}  // namespace

class SynthTest : public QObject {
    Q_OBJECT

private slots:
    void sameSeedGivesSameBytesWhateverTheThreadCount()
    {
        QTemporaryDir tmp;
        SynthOptions one = smallSet(tmp.path() + "/one");
        one.noiseRate = 0.25;
        one.testCount = 3;
        one.threads = 1;
        SynthOptions two = one;
        two.outDir = (tmp.path() + "/two").toStdString();
        two.threads = 2;
        synthesize(one);
        synthesize(two);
        const auto a = filesUnder(one.outDir), b = filesUnder(two.outDir);
        QCOMPARE(a.size(), size_t(12 + 3 + 5));  // pictures, 3 CSV files, the label map, synth.json
        QVERIFY(a == b);
        QVERIFY(a.count("train_images/synth_000011.jpg"));
        QVERIFY(a.count("test_images/synth_test_000002.jpg"));
        QCOMPARE(a.at("label_num_to_disease_map.json"), LabelMap::standard().toJson());
    }

    void differentSeedGivesDifferentPictures()
    {
        QTemporaryDir tmp;
        SynthOptions first = smallSet(tmp.path() + "/a", 6);
        SynthOptions second = first;
        second.outDir = (tmp.path() + "/b").toStdString();
        second.seed = 2;
        synthesize(first);
        synthesize(second);
        const auto a = filesUnder(first.outDir), b = filesUnder(second.outDir);
        for (int i = 0; i < 6; ++i) {
            const std::string id = "train_images/synth_00000" + std::to_string(i) + ".jpg";
            QVERIFY2(a.at(id) != b.at(id), id.c_str());
        }
    }

    void picturesAreTheRequestedSizeAndDecode()
    {
        QTemporaryDir tmp;
        SynthOptions o = smallSet(tmp.path() + "/d", 2);
        o.width = 200;
        o.height = 90;
        synthesize(o);
        const cv::Mat img = cv::imread(o.outDir + "/train_images/synth_000001.jpg");
        QCOMPARE(img.cols, 200);
        QCOMPARE(img.rows, 90);
    }

    void noiseFlipsExactlyTheRequestedNumberToOtherClasses()
    {
        QTemporaryDir tmp;
        SynthOptions o = smallSet(tmp.path() + "/noisy", 40);
        o.width = 64;
        o.height = 48;
        o.noiseRate = 0.25;
        const SynthReport report = synthesize(o);
        QCOMPARE(report.flipped, 10);

        const auto train = csvRows(o.outDir + "/train.csv");
        const auto truth = csvRows(o.outDir + "/noise_truth.csv");
        QCOMPARE(train.size(), size_t(40));
        QCOMPARE(truth.size(), size_t(40));  // every image is listed, flipped or not
        int flipped = 0;
        std::vector<int> trueCounts(5, 0);
        for (size_t i = 0; i < truth.size(); ++i) {
            QCOMPARE(truth[i].size(), size_t(3));
            QCOMPARE(truth[i][0], train[i][0]);
            QCOMPARE(truth[i][2], train[i][1]);  // train.csv holds the given (noisy) label
            const int trueLabel = std::stoi(truth[i][1]), given = std::stoi(truth[i][2]);
            QVERIFY(trueLabel >= 0 && trueLabel < 5 && given >= 0 && given < 5);
            flipped += trueLabel != given;
            ++trueCounts[static_cast<size_t>(trueLabel)];
        }
        QCOMPARE(flipped, 10);
        QCOMPARE(trueCounts, (std::vector<int>{8, 8, 8, 8, 8}));

        // The picture shows the true label: re-drawing it from the true label gives the same bytes.
        for (size_t i = 0; i < truth.size(); ++i) {
            if (truth[i][1] == truth[i][2])
                continue;
            cv::Mat bgr;
            cv::cvtColor(drawLeaf(std::stoi(truth[i][1]), 64, 48, o.seed, i), bgr, cv::COLOR_RGB2BGR);
            std::vector<uchar> bytes;
            cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, o.jpegQuality});
            QVERIFY(readFile(o.outDir + "/train_images/" + truth[i][0]) == std::string(bytes.begin(), bytes.end()));
        }
    }

    void classesAreEqualByDefaultAndFollowTheCompetitionOnRequest()
    {
        SynthOptions o;
        o.outDir = "unused";
        o.count = 23;
        const SynthPlan equal = planSynth(o);
        std::vector<int> counts(5, 0);
        for (int label : equal.givenLabels)
            ++counts[static_cast<size_t>(label)];
        QCOMPARE(*std::max_element(counts.begin(), counts.end()) - *std::min_element(counts.begin(), counts.end()), 1);
        QCOMPARE(equal.flipped, 0);
        QVERIFY(equal.givenLabels == equal.trueLabels);

        o.count = 1000;
        o.mix = SynthMix::Competition;
        const SynthPlan real = planSynth(o);
        counts.assign(5, 0);
        for (int label : real.trueLabels)
            ++counts[static_cast<size_t>(label)];
        QCOMPARE(counts, (std::vector<int>{51, 102, 112, 615, 120}));
    }

    void writtenFolderOpensCleanlyAsADataset()
    {
        QTemporaryDir tmp;
        SynthOptions o = smallSet(tmp.path() + "/demo");
        o.testCount = 4;
        o.noiseRate = 0.1;
        synthesize(o);
        const Dataset d = Dataset::open(o.outDir);
        QVERIFY2(d.problems().empty(), d.problems().empty() ? "" : d.problems()[0].toString().c_str());
        QVERIFY(d.usable());
        QCOMPARE(d.samples().size(), size_t(12));
        QCOMPARE(d.numClasses(), 5);
        QCOMPARE(d.testImages().size(), size_t(4));
        const auto submission = csvRows(o.outDir + "/sample_submission.csv");
        QCOMPARE(submission.size(), size_t(4));
        for (const auto& row : submission)
            QCOMPARE(row[1], std::string("0"));
    }

    void symptomsChangeTheLeafTheWayTheDiseaseDoes()
    {
        const int pictures = 10;
        const LeafColours cbb = averageLeaves(0, pictures), cbsd = averageLeaves(1, pictures),
                          cgm = averageLeaves(2, pictures), cmd = averageLeaves(3, pictures),
                          healthy = averageLeaves(4, pictures);
        qInfo("yellow  CBB %.3f CBSD %.3f CGM %.3f CMD %.3f Healthy %.3f", cbb.yellow, cbsd.yellow, cgm.yellow,
              cmd.yellow, healthy.yellow);
        qInfo("brown   CBB %.3f CBSD %.3f CGM %.3f CMD %.3f Healthy %.3f", cbb.brown, cbsd.brown, cgm.brown,
              cmd.brown, healthy.brown);
        qInfo("pale    CBB %.3f CBSD %.3f CGM %.3f CMD %.3f Healthy %.3f", cbb.pale, cbsd.pale, cgm.pale,
              cmd.pale, healthy.pale);
        qInfo("area    CBB %.3f CBSD %.3f CGM %.3f CMD %.3f Healthy %.3f", cbb.area, cbsd.area, cgm.area,
              cmd.area, healthy.area);
        // CBSD and CMD: yellow chlorosis / mosaic; a healthy leaf is hardly yellow anywhere.
        QVERIFY(cbsd.yellow > healthy.yellow + 0.1);
        QVERIFY(cmd.yellow > healthy.yellow + 0.1);
        // CBB: brown lesions and dry margins.
        QVERIFY(cbb.brown > healthy.brown + 0.1);
        QVERIFY(cbb.brown > 2 * std::max({cbsd.brown, cgm.brown, cmd.brown}));
        // CGM: a paler leaf with whitish specks.
        QVERIFY(cgm.pale > healthy.pale + 0.1);
        QVERIFY(cgm.yellow < cbsd.yellow);
        // CMD: narrowed lobes; the same framing covers clearly less of the picture.
        QVERIFY(cmd.area < 0.85 * healthy.area);
    }

    void drawLeafIsDeterministicAndRejectsBadLabels()
    {
        const cv::Mat a = drawLeaf(3, 96, 72, 5, 17), b = drawLeaf(3, 96, 72, 5, 17);
        QCOMPARE(a.type(), CV_8UC3);
        QVERIFY(cv::norm(a, b, cv::NORM_INF) == 0);
        QVERIFY(cv::norm(a, drawLeaf(3, 96, 72, 5, 18), cv::NORM_L1) > 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, drawLeaf(5, 96, 72, 5, 17));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, drawLeaf(-1, 96, 72, 5, 17));
    }

    void badOptionsAreRefusedWithTheirName()
    {
        SynthOptions o;
        o.outDir = "unused";
        auto messageFor = [](const SynthOptions& options) -> std::string {
            try {
                validateSynthOptions(options);
            } catch (const std::invalid_argument& e) {
                return e.what();
            }
            return "";
        };
        SynthOptions bad = o;
        bad.count = 0;
        QVERIFY(messageFor(bad).find("count") != std::string::npos);
        bad = o;
        bad.noiseRate = 1.5;
        QVERIFY(messageFor(bad).find("noise") != std::string::npos);
        bad = o;
        bad.jpegQuality = 0;
        QVERIFY(messageFor(bad).find("quality") != std::string::npos);
        bad = o;
        bad.width = 2;
        QVERIFY(messageFor(bad).find("size") != std::string::npos);
        bad = o;
        bad.outDir.clear();
        QVERIFY(messageFor(bad).find("folder") != std::string::npos);
        QCOMPARE(messageFor(o), std::string());
    }

    void aFolderWithSomeoneElsesFilesIsRefusedAndLeftAlone()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.path() + "/photos";
        testsupport::writeText(dir + "/holiday.jpg", "not mine");
        try {
            synthesize(smallSet(dir));
            QFAIL("expected a refusal");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("not empty") != std::string::npos, e.what());
        }
        QCOMPARE(QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList{"holiday.jpg"});
    }

    void aFolderThatCannotBeCreatedIsAClearError()
    {
        QTemporaryDir tmp;
        testsupport::writeText(tmp.path() + "/file", "x");
        try {
            synthesize(smallSet(tmp.path() + "/file/demo"));
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find("file") != std::string::npos, e.what());
        }
    }

    void rerunningReplacesEarlierSynthOutputButKeepsUserFiles()
    {
        QTemporaryDir tmp;
        SynthOptions o = smallSet(tmp.path() + "/demo", 10);
        o.noiseRate = 0.2;
        o.testCount = 2;
        synthesize(o);
        testsupport::writeText(tmp.path() + "/demo/my_notes.txt", "keep me");
        testsupport::writeText(tmp.path() + "/demo/train_images/my_photo.jpg", "keep me too");

        o.count = 5;
        o.noiseRate = 0;
        o.testCount = 0;
        synthesize(o);
        const auto files = filesUnder(o.outDir);
        QVERIFY(files.count("my_notes.txt"));
        QVERIFY(files.count("train_images/my_photo.jpg"));
        QVERIFY(files.count("train_images/synth_000004.jpg"));
        QVERIFY(!files.count("train_images/synth_000005.jpg"));   // left over from the first run
        QVERIFY(!files.count("noise_truth.csv"));                 // this run has no noise
        QVERIFY(!files.count("sample_submission.csv"));
        QVERIFY(!files.count("test_images/synth_test_000000.jpg"));
        QCOMPARE(csvRows(o.outDir + "/train.csv").size(), size_t(5));
    }

    void progressCountsUpAndCancelStopsEarly()
    {
        QTemporaryDir tmp;
        std::vector<int> seen;
        SynthOptions o = smallSet(tmp.path() + "/p", 8);
        o.testCount = 2;
        synthesize(o, [&](int done, int total) {
            QCOMPARE(total, 10);
            seen.push_back(done);
        });
        QVERIFY(!seen.empty());
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 10);

        std::atomic<bool> cancel{false};
        SynthOptions big = smallSet(tmp.path() + "/c", 400);
        big.threads = 1;
        const SynthReport report = synthesize(big, [&](int done, int) { cancel = done >= 3; }, &cancel);
        QVERIFY(report.cancelled);
        QVERIFY(report.written < 400);
        QVERIFY(!QFileInfo::exists(tmp.path() + "/c/train.csv"));
        QVERIFY(readFile(big.outDir + "/synth.json").find("\"complete\": false") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(SynthTest)
#include "test_core_synth.moc"
