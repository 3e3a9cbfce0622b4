// Opening Kaggle-layout folders the way users hand them to us: clean, messy, and hostile.
#include "TestSupport.h"

#include "Dataset.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace cassava;
using testsupport::writeText;

namespace {

// A dataset folder with the given train.csv and an (empty) image file per name in `images`.
QString makeDataset(const QTemporaryDir& tmp, const QByteArray& csv, const QStringList& images,
                    const QString& sub = "data")
{
    const QString root = tmp.path() + "/" + sub;
    QDir().mkpath(root + "/train_images");
    writeText(root + "/train.csv", csv);
    for (const auto& name : images)
        writeText(root + "/train_images/" + name, "x");
    return root;
}

const Problem* findProblem(const Dataset& d, const std::string& needle)
{
    for (const auto& p : d.problems())
        if (p.message.find(needle) != std::string::npos)
            return &p;
    return nullptr;
}

}  // namespace

class DatasetTest : public QObject {
    Q_OBJECT

private slots:
    void cleanDatasetOpensWithNamesAndCounts()
    {
        QTemporaryDir tmp;
        const QString root = makeDataset(tmp, "image_id,label\na.jpg,0\nb.jpg,3\nc.jpg,3\nd.jpg,4\ne.jpg,1\nf.jpg,2\n",
                                         {"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"}, "leaves");
        writeText(root + "/label_num_to_disease_map.json",
                  R"json({"0": "Cassava Bacterial Blight (CBB)", "1": "Cassava Brown Streak Disease (CBSD)", "2": "Cassava Green Mottle (CGM)", "3": "Cassava Mosaic Disease (CMD)", "4": "Healthy"})json");
        const Dataset d = Dataset::open(root.toStdString());
        QVERIFY2(d.problems().empty(), d.problems().empty() ? "" : d.problems()[0].toString().c_str());
        QVERIFY(d.usable());
        QCOMPARE(d.name(), std::string("leaves"));
        QCOMPARE(d.samples().size(), size_t(6));
        QCOMPARE(d.classCounts(), (std::vector<int>{1, 1, 1, 2, 1}));
        QCOMPARE(d.labels().shortName(0), std::string("CBB"));
        QCOMPARE(d.indexOf("c.jpg"), 2);
        QCOMPARE(d.indexOf("zzz.jpg"), -1);
        QCOMPARE(QString::fromStdString(d.imagePath(d.samples()[1])), root + "/train_images/b.jpg");
    }

    void defaultNamesWithoutALabelMap()
    {
        QTemporaryDir tmp;
        const Dataset d = Dataset::open(makeDataset(tmp, "image_id,label\na.jpg,2\n", {"a.jpg"}).toStdString());
        QCOMPARE(d.labels().names(), LabelMap::standard().names());
        QCOMPARE(d.labels().name(2), std::string("Cassava Green Mottle (CGM)"));
    }

    void spreadsheetExportWithBomCrlfAndQuotes()
    {
        QTemporaryDir tmp;
        const Dataset d = Dataset::open(
            makeDataset(tmp, "\xEF\xBB\xBF\"image_id\",\"label\"\r\n\"a b.jpg\",\"1\"\r\n\"c,d.jpg\",2\r\n",
                        {"a b.jpg", "c,d.jpg"})
                .toStdString());
        QVERIFY(d.usable());
        QCOMPARE(d.samples().size(), size_t(2));
        QCOMPARE(d.samples()[1].imageId, std::string("c,d.jpg"));
        QCOMPARE(d.samples()[1].line, 3);
    }

    void columnsInAnotherOrderAndExtraColumnsWarn()
    {
        QTemporaryDir tmp;
        const Dataset d =
            Dataset::open(makeDataset(tmp, "label,source,image_id\n3,field,a.jpg\n", {"a.jpg"}).toStdString());
        QVERIFY(d.usable());
        QCOMPARE(d.samples()[0].label, 3);
        const Problem* p = findProblem(d, "extra column 'source' ignored");
        QVERIFY(p);
        QCOMPARE(p->severity, Problem::Severity::Warning);
        QCOMPARE(p->line, 1);
    }

    void missingColumnIsFatal()
    {
        QTemporaryDir tmp;
        const Dataset d = Dataset::open(makeDataset(tmp, "image_id,class\na.jpg,3\n", {"a.jpg"}).toStdString());
        QVERIFY(!d.usable());
        const Problem* p = findProblem(d, "header lacks the column label");
        QVERIFY(p);
        QCOMPARE(p->severity, Problem::Severity::Fatal);
        QCOMPARE(p->file, std::string("train.csv"));
        QCOMPARE(p->line, 1);
    }

    void everyBadRowIsReportedWithItsLine()
    {
        QTemporaryDir tmp;
        const QByteArray csv = "image_id,label\n"
                               "good.jpg,0\n"          // 2
                               "word.jpg,three\n"      // 3 not an integer
                               "float.jpg,1.5\n"       // 4 not an integer
                               "seven.jpg,7\n"         // 5 not in the map
                               "good.jpg,1\n"          // 6 duplicate
                               "/etc/passwd,1\n"       // 7 absolute
                               "sub/x.jpg,1\n"         // 8 separator
                               "..,1\n"                // 9 dot-dot
                               "gone.jpg,2\n"          // 10 missing file
                               "short.jpg\n"           // 11 too few fields
                               "win\\x.jpg,2\n"        // 12 backslash
                               "also-good.jpg,4\n";    // 13
        const Dataset d = Dataset::open(
            makeDataset(tmp, csv, {"good.jpg", "word.jpg", "float.jpg", "seven.jpg", "also-good.jpg", "stray.jpg"})
                .toStdString());
        QVERIFY(d.usable());
        QCOMPARE(d.samples().size(), size_t(2));
        struct Expect {
            int line;
            const char* text;
        };
        const Expect expected[] = {
            {3, "label 'three' is not an integer"},
            {4, "label '1.5' is not an integer"},
            {5, "label 7 is not in the label map (0..4)"},
            {6, "duplicate image_id 'good.jpg' (first on line 2)"},
            {7, "'/etc/passwd' refused: an absolute path"},
            {8, "'sub/x.jpg' refused: contains a path separator"},
            {9, "'..' refused: contains '..'"},
            {10, "image 'gone.jpg' is listed but train_images/gone.jpg does not exist"},
            {11, "has 1 fields, the header has 2"},
            {12, "'win\\x.jpg' refused: contains a path separator"},
        };
        for (const auto& e : expected) {
            const Problem* p = findProblem(d, e.text);
            QVERIFY2(p, e.text);
            QCOMPARE(p->line, e.line);
            QCOMPARE(p->file, std::string("train.csv"));
            QCOMPARE(p->severity, Problem::Severity::Error);
            QVERIFY(p->toString().rfind("train.csv:" + std::to_string(e.line) + ": error: ", 0) == 0);
        }
        const Problem* stray = findProblem(d, "present but not listed");
        QVERIFY(stray);
        QCOMPARE(stray->file, std::string("train_images/stray.jpg"));
        QCOMPARE(stray->severity, Problem::Severity::Warning);
    }

    void nothingOutsideTheFolderIsRead()
    {
        QTemporaryDir tmp;
        writeText(tmp.path() + "/secret.jpg", "outside");
        const QString root = makeDataset(tmp, "image_id,label\n../secret.jpg,1\n..%2Fsecret.jpg,1\nok.jpg,1\n",
                                         {"ok.jpg"});
        const Dataset d = Dataset::open(root.toStdString());
        QCOMPARE(d.samples().size(), size_t(1));
        QCOMPARE(d.samples()[0].imageId, std::string("ok.jpg"));
        QCOMPARE(d.indexOf("../secret.jpg"), -1);
        QCOMPARE(Dataset::unsafeImageIdReason("a..b.jpg").empty(), false);
        QCOMPARE(Dataset::unsafeImageIdReason("1000015157.jpg"), std::string());
        QVERIFY(!Dataset::unsafeImageIdReason(std::string("a\nb.jpg")).empty());
    }

    void aSymlinkOutOfTheFolderIsRefusedLikeDotDot()
    {
        QTemporaryDir tmp;
        writeText(tmp.path() + "/secret.jpg", "outside");
        const QString root = makeDataset(tmp, "image_id,label\nok.jpg,1\nleak.jpg,1\nalias.jpg,2\ngone.jpg,3\n", {"ok.jpg"});
        QDir().mkpath(root + "/more");
        writeText(root + "/more/inside.jpg", "inside");
        QVERIFY(QFile::link(tmp.path() + "/secret.jpg", root + "/train_images/leak.jpg"));
        QVERIFY(QFile::link(root + "/more/inside.jpg", root + "/train_images/alias.jpg"));  // inside: fine
        QVERIFY(QFile::link(tmp.path() + "/nowhere.jpg", root + "/train_images/gone.jpg"));
        QVERIFY(QFile::link(tmp.path() + "/secret.jpg", root + "/train_images/unlisted.jpg"));
        QDir().mkpath(root + "/test_images");
        QVERIFY(QFile::link(tmp.path() + "/secret.jpg", root + "/test_images/t.jpg"));
        const Dataset d = Dataset::open(root.toStdString());
        QCOMPARE(d.samples().size(), size_t(2));
        QCOMPARE(d.indexOf("leak.jpg"), -1);
        QVERIFY(d.indexOf("alias.jpg") >= 0);
        QCOMPARE(d.indexOf("gone.jpg"), -1);
        const Problem* leak = findProblem(d, "leak.jpg' refused");
        QVERIFY(leak);
        QCOMPARE(leak->file, std::string("train.csv"));
        QCOMPARE(leak->line, 3);
        QVERIFY2(leak->message.find("outside the dataset folder") != std::string::npos, leak->message.c_str());
        QVERIFY(findProblem(d, "gone.jpg' refused: train_images/gone.jpg is a symbolic link to nothing"));
        const Problem* unlisted = findProblem(d, "not listed in train.csv, and refused");
        QVERIFY(unlisted);
        QCOMPARE(unlisted->file, std::string("train_images/unlisted.jpg"));
        QVERIFY(d.testImages().empty());
        QVERIFY(findProblem(d, "refused: it is a symbolic link to"));
    }

    // Found by fuzz/fuzz_dataset: a number too large for a double made the JSON parser throw
    // out_of_range, which no one caught.
    void aLabelMapWithAnOverflowingNumberIsAProblemNotACrash()
    {
        QTemporaryDir tmp;
        const QString root = makeDataset(tmp, "image_id,label\na.jpg,4\n", {"a.jpg"});
        writeText(root + "/label_num_to_disease_map.json", "{\"0\": 4E84444}");
        const Dataset d = Dataset::open(root.toStdString());
        const Problem* p = findProblem(d, "not valid JSON");
        QVERIFY(p);
        QCOMPARE(p->file, std::string("label_num_to_disease_map.json"));
        QCOMPARE(p->severity, Problem::Severity::Fatal);
        QVERIFY(!d.usable());
    }

    void unusableFolders()
    {
        QTemporaryDir tmp;
        const Dataset none = Dataset::open((tmp.path() + "/does-not-exist").toStdString());
        QVERIFY(!none.usable());
        QVERIFY(findProblem(none, "folder not found"));

        QDir().mkpath(tmp.path() + "/empty");
        const Dataset empty = Dataset::open((tmp.path() + "/empty").toStdString());
        QVERIFY(!empty.usable());
        const Problem* p = findProblem(empty, "not found: a Kaggle-layout dataset has train.csv");
        QVERIFY(p);
        QCOMPARE(p->file, std::string("train.csv"));

        writeText(tmp.path() + "/noimages/train.csv", "image_id,label\na.jpg,1\n");
        const Dataset noImages = Dataset::open((tmp.path() + "/noimages").toStdString());
        QVERIFY(!noImages.usable());
        QVERIFY(findProblem(noImages, "folder not found: the images listed in train.csv live there"));

        const Dataset allBad =
            Dataset::open(makeDataset(tmp, "image_id,label\na.jpg,9\n", {"a.jpg"}, "allbad").toStdString());
        QVERIFY(!allBad.usable());
        QVERIFY(findProblem(allBad, "no usable rows"));

        writeText(tmp.path() + "/headeronly/train.csv", "");
        QDir().mkpath(tmp.path() + "/headeronly/train_images");
        QVERIFY(findProblem(Dataset::open((tmp.path() + "/headeronly").toStdString()), "empty: expected the header"));
    }

    void badLabelMapMakesItUnusable()
    {
        QTemporaryDir tmp;
        const QString root = makeDataset(tmp, "image_id,label\na.jpg,1\n", {"a.jpg"});
        writeText(root + "/label_num_to_disease_map.json", "{\"0\": \"a\",");
        const Dataset d = Dataset::open(root.toStdString());
        QVERIFY(!d.usable());
        const Problem* p = findProblem(d, "not valid JSON");
        QVERIFY(p);
        QCOMPARE(p->file, std::string("label_num_to_disease_map.json"));
    }

    void labelsBeyondASmallerMap()
    {
        QTemporaryDir tmp;
        const QString root = makeDataset(tmp, "image_id,label\na.jpg,0\nb.jpg,2\n", {"a.jpg", "b.jpg"});
        writeText(root + "/label_num_to_disease_map.json", R"({"0": "sick", "1": "well"})");
        const Dataset d = Dataset::open(root.toStdString());
        QCOMPARE(d.numClasses(), 2);
        QCOMPARE(d.samples().size(), size_t(1));
        QVERIFY(findProblem(d, "label 2 is not in the label map (0..1)"));
        QVERIFY(findProblem(d, "class 1 (well) has no images"));
    }

    void testImagesAndSampleSubmission()
    {
        QTemporaryDir tmp;
        const QString root = makeDataset(tmp, "image_id,label\na.jpg,0\n", {"a.jpg"});
        writeText(root + "/test_images/t2.jpg", "x");
        writeText(root + "/test_images/t1.jpg", "x");
        writeText(root + "/sample_submission.csv", "image_id,label\nt1.jpg,4\nt9.jpg,4\nt1.jpg,4\n");
        const Dataset d = Dataset::open(root.toStdString());
        QCOMPARE(d.testImages(), (std::vector<std::string>{"t1.jpg", "t2.jpg"}));
        const Problem* missing = findProblem(d, "image 't9.jpg' is listed but test_images/t9.jpg does not exist");
        QVERIFY(missing);
        QCOMPARE(missing->file, std::string("sample_submission.csv"));
        QCOMPARE(missing->line, 3);
        QVERIFY(findProblem(d, "duplicate image_id 't1.jpg'"));
    }

    void realSampleOfTheCompetition()
    {
        REQUIRE_SHARED_DATA("cassava-sample/train.csv");
        const Dataset d = Dataset::open((testsupport::sharedDataDir() + "/cassava-sample").toStdString());
        QVERIFY(d.usable());
        QVERIFY2(d.problems().empty(), d.problems().empty() ? "" : d.problems()[0].toString().c_str());
        QCOMPARE(d.samples().size(), size_t(1000));
        QCOMPARE(d.classCounts(), (std::vector<int>{110, 200, 200, 290, 200}));
        QCOMPARE(d.labels().shortName(1), std::string("CBSD"));
    }

    void fullCompetitionCsvAtScale()
    {
        REQUIRE_SHARED_DATA("kaggle_train_full.csv");
        Dataset::OpenOptions options;
        options.checkImageFiles = false;
        options.trainCsv = (testsupport::sharedDataDir() + "/kaggle_train_full.csv").toStdString();
        QTemporaryDir tmp;
        const Dataset d = Dataset::open(tmp.path().toStdString(), options);
        QVERIFY(d.usable());
        QCOMPARE(d.samples().size(), size_t(21397));
        QCOMPARE(d.classCounts(), (std::vector<int>{1087, 2189, 2386, 13158, 2577}));
        QCOMPARE(d.indexOf(d.samples()[12345].imageId), 12345);

        // With the 1,000 sample photos as train_images, the other 20,397 rows are reported missing.
        REQUIRE_SHARED_DATA("cassava-sample/train_images");
        QDir().mkpath(tmp.path() + "/full");
        QVERIFY(QFile::link(testsupport::sharedDataDir() + "/cassava-sample/train_images",
                            tmp.path() + "/full/train_images"));
        QVERIFY(QFile::copy(testsupport::sharedDataDir() + "/kaggle_train_full.csv", tmp.path() + "/full/train.csv"));
        const Dataset full = Dataset::open((tmp.path() + "/full").toStdString());
        QVERIFY(full.usable());
        QCOMPARE(full.samples().size(), size_t(1000));
        QCOMPARE(countSeverity(full.problems(), Problem::Severity::Error), 20397);
    }
};

QTEST_GUILESS_MAIN(DatasetTest)
#include "test_core_dataset.moc"
