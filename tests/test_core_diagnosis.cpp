// What a diagnosis says, worked out by hand: a plant's consensus is the mean of its leaves'
// probabilities (not a vote), with how many leaves agree; unreadable leaves are left out; a
// diagnosis abstains below its confidence threshold or when the photo is not a leaf; and the leaf
// check tells a green leaf from a grey wall or a blue sky.
#include "Diagnosis.h"
#include "LeafCheck.h"
#include "Synth.h"

#include <QTest>

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>

using namespace cassava;

namespace {

void compareProbabilities(const std::vector<float>& actual, const std::vector<double>& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (size_t c = 0; c < expected.size(); ++c)
        QVERIFY2(std::abs(static_cast<double>(actual[c]) - expected[c]) < 1e-6,
                 qPrintable(QString("class %1: %2, expected %3").arg(c).arg(actual[c]).arg(expected[c])));
}

// A leaf (an ellipse with a darker midrib) over dark grey soil, filling about half the frame, with
// sensor noise: the simplest picture that should pass as a leaf. Its yellowish green (hue 90
// degrees) is that of leaves in daylight photos, warmer than a screen's pure green.
cv::Mat greenLeafPicture(int width, int height)
{
    cv::Mat rgb(height, width, CV_8UC3, cv::Scalar(70, 66, 62));
    cv::ellipse(rgb, cv::Point(width / 2, height / 2), cv::Size(width * 2 / 5, height * 2 / 5), 30, 0, 360,
                cv::Scalar(85, 125, 45), cv::FILLED);
    cv::line(rgb, cv::Point(width / 5, height * 4 / 5), cv::Point(width * 4 / 5, height / 5), cv::Scalar(60, 95, 35),
             3);
    // Lighter and darker patches at a scale of the picture, as a leaf's veins and mottling: the
    // leaf check also wants texture, not a flat colour, and it looks at the picture reduced.
    const int cell = std::max(2, width / 32);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            cv::Vec3b& p = rgb.at<cv::Vec3b>(y, x);
            if (p == cv::Vec3b(85, 125, 45) && (x / cell + y / cell) % 2)
                p = cv::Vec3b(50, 85, 25);
        }
    cv::Mat noise(rgb.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
    cv::Mat noisy;
    cv::add(rgb, noise, noisy, cv::noArray(), CV_8UC3);  // saturating, so the colours stay in range
    return noisy;
}

}  // namespace

class CoreDiagnosisTest : public QObject {
    Q_OBJECT

private slots:
    void consensusIsTheMeanOfTheLeaves()
    {
        // Two leaves say CMD, one says CBB.
        const PlantConsensus c = plantConsensus({{0.10f, 0.20f, 0.10f, 0.50f, 0.10f},
                                                 {0.20f, 0.10f, 0.10f, 0.50f, 0.10f},
                                                 {0.60f, 0.10f, 0.10f, 0.10f, 0.10f}});
        compareProbabilities(c.probabilities, {0.9 / 3, 0.4 / 3, 0.1, 1.1 / 3, 0.1});
        QCOMPARE(c.predicted, 3);
        QVERIFY(std::abs(c.confidence - 1.1f / 3) < 1e-6f);
        QCOMPARE(c.leaves, 3);
        QCOMPARE(c.agreeing, 2);
    }

    void consensusIsNotAVote()
    {
        // Two leaves lean weakly to CBB, one is sure of CMD: the mean says CMD, one leaf of three agrees.
        const PlantConsensus c = plantConsensus({{0.40f, 0.30f, 0.00f, 0.30f, 0.00f},
                                                 {0.40f, 0.30f, 0.00f, 0.30f, 0.00f},
                                                 {0.00f, 0.00f, 0.00f, 1.00f, 0.00f}});
        compareProbabilities(c.probabilities, {0.8 / 3, 0.2, 0.0, 1.6 / 3, 0.0});
        QCOMPARE(c.predicted, 3);
        QCOMPARE(c.leaves, 3);
        QCOMPARE(c.agreeing, 1);
    }

    void tiesGoToTheLowerLabel()
    {
        // The mean ties CBB and CBSD at 0.5: the lower label wins, and only the leaf that chose it agrees.
        PlantConsensus c = plantConsensus({{0.6f, 0.4f, 0.0f, 0.0f, 0.0f}, {0.4f, 0.6f, 0.0f, 0.0f, 0.0f}});
        compareProbabilities(c.probabilities, {0.5, 0.5, 0.0, 0.0, 0.0});
        QCOMPARE(c.predicted, 0);
        QCOMPARE(c.agreeing, 1);
        // A leaf that ties within itself counts for its lower label too.
        c = plantConsensus({{0.0f, 0.0f, 0.5f, 0.5f, 0.0f}, {0.0f, 0.0f, 0.3f, 0.7f, 0.0f}});
        QCOMPARE(c.predicted, 3);
        QCOMPARE(c.agreeing, 1);
    }

    void unreadableLeavesAreLeftOut()
    {
        const PlantConsensus c = plantConsensus({{}, {0.0f, 0.2f, 0.0f, 0.0f, 0.8f}, {}, {0.0f, 0.6f, 0.0f, 0.0f, 0.4f}});
        compareProbabilities(c.probabilities, {0.0, 0.4, 0.0, 0.0, 0.6});
        QCOMPARE(c.predicted, 4);
        QCOMPARE(c.leaves, 2);
        QCOMPARE(c.agreeing, 1);

        for (const auto& none : {std::vector<std::vector<float>>{}, std::vector<std::vector<float>>{{}, {}}}) {
            const PlantConsensus empty = plantConsensus(none);
            QCOMPARE(empty.leaves, 0);
            QCOMPARE(empty.predicted, -1);
            QCOMPARE(empty.agreeing, 0);
            QCOMPARE(empty.confidence, 0.0f);
            QVERIFY(empty.probabilities.empty());
        }
    }

    void oneLeafIsItsOwnConsensus()
    {
        const PlantConsensus c = plantConsensus({{0.05f, 0.05f, 0.7f, 0.1f, 0.1f}});
        compareProbabilities(c.probabilities, {0.05, 0.05, 0.7, 0.1, 0.1});
        QCOMPARE(c.predicted, 2);
        QCOMPARE(c.leaves, 1);
        QCOMPARE(c.agreeing, 1);
    }

    void leavesWithDifferentClassCountsThrow()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 plantConsensus({{0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, {0.25f, 0.25f, 0.25f, 0.25f}}));
        // Also when an unreadable leaf comes first.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, plantConsensus({{}, {0.5f, 0.5f}, {0.3f, 0.3f, 0.4f}}));
    }

    void verdictAtTheThresholdEdges()
    {
        const AbstainOptions half{0.5f, true};
        QCOMPARE(verdictFor(0.5f, true, half), Verdict::Diagnosed);  // at the threshold: not below it
        QCOMPARE(verdictFor(std::nextafter(0.5f, 0.0f), true, half), Verdict::NotSure);
        QCOMPARE(verdictFor(0.99f, true, half), Verdict::Diagnosed);
        QCOMPARE(verdictFor(0.0f, true, half), Verdict::NotSure);

        // 0 never abstains on confidence; above 1 always does.
        QCOMPARE(verdictFor(0.0f, true, AbstainOptions{0.0f, true}), Verdict::Diagnosed);
        QCOMPARE(verdictFor(1.0f, true, AbstainOptions{1.01f, true}), Verdict::NotSure);

        // The default threshold is the one the options start with.
        const AbstainOptions defaults;
        QCOMPARE(defaults.minConfidence, kDefaultAbstainConfidence);
        QVERIFY(defaults.checkLeaf);
        QVERIFY(kDefaultAbstainConfidence > 0.0f && kDefaultAbstainConfidence < 1.0f);
        QCOMPARE(verdictFor(kDefaultAbstainConfidence, true, defaults), Verdict::Diagnosed);
        QCOMPARE(verdictFor(std::nextafter(kDefaultAbstainConfidence, 0.0f), true, defaults), Verdict::NotSure);
    }

    void aPictureThatIsNotALeafAbstainsWhateverTheConfidence()
    {
        const AbstainOptions half{0.5f, true};
        QCOMPARE(verdictFor(1.0f, false, half), Verdict::NotALeaf);
        QCOMPARE(verdictFor(0.1f, false, half), Verdict::NotALeaf);  // the leaf check comes first
        // With the leaf check off, only the confidence counts.
        const AbstainOptions noCheck{0.5f, false};
        QCOMPARE(verdictFor(0.9f, false, noCheck), Verdict::Diagnosed);
        QCOMPARE(verdictFor(0.3f, false, noCheck), Verdict::NotSure);
    }

    void verdictNamesAreTheWordsOfTheOutput()
    {
        QCOMPARE(QString(verdictName(Verdict::Diagnosed)), QString("diagnosed"));
        QCOMPARE(QString(verdictName(Verdict::NotSure)), QString("not sure"));
        QCOMPARE(QString(verdictName(Verdict::NotALeaf)), QString("not a leaf"));
    }

    void aGreenLeafLooksLikeALeaf()
    {
        const LeafCheck small = checkLeaf(greenLeafPicture(160, 120));
        QVERIFY2(small.looksLikeLeaf, qPrintable(QString("leaf share %1").arg(small.plantShare)));
        QVERIFY2(small.plantShare > 0.3 && small.plantShare < 0.8, qPrintable(QString::number(small.plantShare)));
        // A phone-sized photo is looked at reduced, with the same answer.
        const LeafCheck large = checkLeaf(greenLeafPicture(4000, 3000));
        QVERIFY(large.looksLikeLeaf);
        QVERIFY2(std::abs(large.plantShare - small.plantShare) < 0.05,
                 qPrintable(QString("%1 against %2").arg(large.plantShare).arg(small.plantShare)));
    }

    void theDemoDatasetsDrawnLeavesLookLikeLeaves()
    {
        for (int label = 0; label < 5; ++label)
            for (uint64_t index = 0; index < 4; ++index) {
                const LeafCheck check = checkLeaf(drawLeaf(label, 200, 150, 7, index));
                QVERIFY2(check.looksLikeLeaf, qPrintable(QString("class %1, picture %2: leaf share %3")
                                                             .arg(label).arg(index).arg(check.plantShare)));
            }
    }

    void greyAndBluePicturesAreNotLeaves()
    {
        const cv::Scalar colours[] = {{128, 128, 128}, {30, 30, 30}, {235, 235, 235}, {40, 80, 200}, {120, 170, 230}};
        for (const cv::Scalar& colour : colours) {
            const LeafCheck check = checkLeaf(cv::Mat(120, 160, CV_8UC3, colour));
            QVERIFY2(!check.looksLikeLeaf, qPrintable(QString("RGB %1,%2,%3").arg(colour[0]).arg(colour[1]).arg(colour[2])));
            QCOMPARE(check.plantShare, 0.0);
        }
        // A blue sky with a thin green strip at the bottom is still not a leaf.
        cv::Mat sky(100, 100, CV_8UC3, cv::Scalar(110, 160, 225));  // small enough to be looked at as it is
        sky.rowRange(95, 100).setTo(cv::Scalar(85, 125, 45));
        const LeafCheck check = checkLeaf(sky);
        QVERIFY2(std::abs(check.plantShare - 0.05) < 1e-9, qPrintable(QString::number(check.plantShare)));
        QVERIFY(!check.looksLikeLeaf);
    }

    void theShareCountsLeafColouredPixels()
    {
        cv::Mat half(100, 100, CV_8UC3, cv::Scalar(128, 128, 128));
        half.colRange(0, 50).setTo(cv::Scalar(85, 125, 45));
        QCOMPARE(checkLeaf(half).plantShare, 0.5);
    }

    void anEmptyOrWrongPictureIsNotALeaf()
    {
        QVERIFY(!checkLeaf(cv::Mat()).looksLikeLeaf);
        QVERIFY(!checkLeaf(cv::Mat(50, 50, CV_8UC1, cv::Scalar(120))).looksLikeLeaf);
        QVERIFY(!checkLeaf(cv::Mat(50, 50, CV_8UC4, cv::Scalar(85, 125, 45, 255))).looksLikeLeaf);
    }
};

QTEST_APPLESS_MAIN(CoreDiagnosisTest)
#include "test_core_diagnosis.moc"
