// Splits a researcher can trust: stratified, balanced, and the same for the same seed.
#include "TestSupport.h"

#include "Split.h"

#include <QTemporaryDir>

#include <cmath>
#include <map>

using namespace cassava;

namespace {

// The real class mix of the competition, scaled: 1087/2189/2386/13158/2577.
std::vector<int> competitionLabels(int scaleDivisor = 1)
{
    const int counts[] = {1087, 2189, 2386, 13158, 2577};
    std::vector<int> labels;
    for (int c = 0; c < 5; ++c)
        for (int i = 0; i < counts[c] / scaleDivisor; ++i)
            labels.push_back(c);
    // Interleave so that order carries no information.
    std::vector<int> mixed;
    for (size_t i = 0; i < labels.size(); ++i)
        mixed.push_back(labels[(i * 7919) % labels.size()]);
    return mixed;
}

}  // namespace

class SplitTest : public QObject {
    Q_OBJECT

private slots:
    void kFoldIsStratifiedWithinOne_data()
    {
        QTest::addColumn<int>("folds");
        QTest::addColumn<int>("divisor");
        QTest::newRow("5 folds, full competition") << 5 << 1;
        QTest::newRow("5 folds, small") << 5 << 100;
        QTest::newRow("3 folds") << 3 << 10;
        QTest::newRow("7 folds") << 7 << 37;
    }

    void kFoldIsStratifiedWithinOne()
    {
        QFETCH(int, folds);
        QFETCH(int, divisor);
        const auto labels = competitionLabels(divisor);
        const auto foldOf = stratifiedKFold(labels, folds, 42);
        QCOMPARE(foldOf.size(), labels.size());
        std::map<std::pair<int, int>, int> perClassFold;
        std::map<int, int> perClass, perFold;
        for (size_t i = 0; i < labels.size(); ++i) {
            QVERIFY(foldOf[i] >= 0 && foldOf[i] < folds);
            ++perClassFold[{labels[i], foldOf[i]}];
            ++perClass[labels[i]];
            ++perFold[foldOf[i]];
        }
        for (const auto& [label, n] : perClass) {
            const double ideal = static_cast<double>(n) / folds;
            for (int f = 0; f < folds; ++f)
                QVERIFY2(std::abs(perClassFold[{label, f}] - ideal) < 1.0,
                         qPrintable(QString("class %1 fold %2: %3 vs ideal %4").arg(label).arg(f)
                                        .arg(perClassFold[{label, f}]).arg(ideal)));
        }
        const double idealFold = static_cast<double>(labels.size()) / folds;
        for (int f = 0; f < folds; ++f)
            QVERIFY(std::abs(perFold[f] - idealFold) < 1.0);
    }

    void sameSeedSameFoldsOtherSeedOthers()
    {
        const auto labels = competitionLabels(10);
        QCOMPARE(stratifiedKFold(labels, 5, 7), stratifiedKFold(labels, 5, 7));
        const auto a = stratifiedKFold(labels, 5, 7), b = stratifiedKFold(labels, 5, 8);
        int moved = 0;
        for (size_t i = 0; i < a.size(); ++i)
            moved += a[i] != b[i];
        QVERIFY(moved > static_cast<int>(a.size()) / 2);  // ~80 % expected for independent folds
    }

    void foldsAreShuffledNotContiguous()
    {
        std::vector<int> labels(100, 0);
        const auto folds = stratifiedKFold(labels, 5, 1);
        int sameAsNext = 0;
        for (size_t i = 0; i + 1 < folds.size(); ++i)
            sameAsNext += folds[i] == folds[i + 1];
        QVERIFY(sameAsNext < 50);  // a contiguous assignment would give 95
    }

    void tooFewFoldsIsAnError()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stratifiedKFold({0, 1}, 1, 0));
    }

    void holdoutTakesTheFractionPerClass()
    {
        const auto labels = competitionLabels(10);
        const auto val = holdoutSplit(labels, 0.2, 3);
        int total = 0;
        std::map<int, int> valPerClass, perClass;
        for (size_t i = 0; i < labels.size(); ++i) {
            total += val[i];
            valPerClass[labels[i]] += val[i];
            ++perClass[labels[i]];
        }
        QCOMPARE(total, static_cast<int>(std::llround(labels.size() * 0.2)));
        for (const auto& [label, n] : perClass)
            QVERIFY(std::abs(valPerClass[label] - n * 0.2) < 1.0);
        QCOMPARE(holdoutSplit(labels, 0.2, 3), val);
        QVERIFY(holdoutSplit(labels, 0.2, 4) != val);
    }

    void unstratifiedHoldoutStillTakesTheFraction()
    {
        const auto labels = competitionLabels(10);
        const auto val = holdoutSplit(labels, 0.25, 9, false);
        int total = 0;
        for (int v : val)
            total += v;
        QCOMPARE(total, static_cast<int>(std::llround(labels.size() * 0.25)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, holdoutSplit(labels, 1.0, 9));
    }

    void foldsCsvRoundTrip()
    {
        QTemporaryDir tmp;
        const std::string path = (tmp.path() + "/folds.csv").toStdString();
        const std::vector<std::string> ids = {"a.jpg", "b,c.jpg", "d.jpg"};
        writeFoldsCsv(path, ids, {0, 1, 2});
        const auto read = readFoldsCsv(path);
        QVERIFY(read.problems.empty());
        QCOMPARE(read.imageIds, ids);
        QCOMPARE(read.folds, (std::vector<int>{0, 1, 2}));

        testsupport::writeText(tmp.path() + "/bad.csv", "image_id,fold\na.jpg,x\n");
        const auto bad = readFoldsCsv((tmp.path() + "/bad.csv").toStdString());
        QCOMPARE(bad.problems.size(), size_t(1));
        QCOMPARE(bad.problems[0].line, 2);
        QCOMPARE(bad.problems[0].file, std::string("bad.csv"));
    }
};

QTEST_GUILESS_MAIN(SplitTest)
#include "test_core_split.moc"
