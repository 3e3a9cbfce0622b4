// Augmentation as training sees it: one resampling, the recipe's transforms, the same for a seed.
#include "TestSupport.h"

#include "Augment.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <vector>

using namespace cassava;

namespace {

// A picture whose halves and corners differ, so flips and crops are visible.
cv::Mat marked(int w, int h)
{
    cv::Mat m(h, w, CV_8UC3, cv::Scalar(30, 120, 40));
    cv::rectangle(m, cv::Rect(0, 0, w / 2, h / 2), cv::Scalar(220, 40, 40), cv::FILLED);
    cv::rectangle(m, cv::Rect(w / 2, h / 2, w / 2, h / 2), cv::Scalar(240, 230, 60), cv::FILLED);
    cv::circle(m, cv::Point(w / 5, 4 * h / 5), h / 10, cv::Scalar(10, 10, 200), cv::FILLED);
    return m;
}

double meanAbsDiff(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat d;
    cv::absdiff(a, b, d);
    const cv::Scalar s = cv::mean(d);
    return (s[0] + s[1] + s[2]) / 3;
}

}  // namespace

class AugmentTest : public QObject {
    Q_OBJECT

private slots:
    void noAugmentationIsTheCentredSquareResized()
    {
        const cv::Mat img = marked(320, 240);
        const cv::Mat plain = augmentPreview(img, AugmentOptions::none(96), 1);
        cv::Mat expected;
        cv::resize(img(cv::Rect(40, 0, 240, 240)), expected, cv::Size(96, 96), 0, 0, cv::INTER_LINEAR);
        QVERIFY2(meanAbsDiff(plain, expected) < 6.0, qPrintable(QString::number(meanAbsDiff(plain, expected))));
    }

    void aFlipMirrorsTheImage()
    {
        const cv::Mat img = marked(200, 200);
        AugmentOptions o = AugmentOptions::none(100);
        o.flipHorizontal = true;
        const cv::Mat plain = augmentPreview(img, AugmentOptions::none(100), 0);
        cv::Mat mirrored;
        cv::flip(plain, mirrored, 1);
        bool sawFlip = false, sawPlain = false;
        for (uint64_t seed = 0; seed < 20; ++seed) {
            const cv::Mat out = augmentPreview(img, o, seed);
            if (meanAbsDiff(out, mirrored) < 1.0)
                sawFlip = true;
            else if (meanAbsDiff(out, plain) < 1.0)
                sawPlain = true;
            else
                QFAIL("a flip-only augmentation gave neither the image nor its mirror");
        }
        QVERIFY(sawFlip && sawPlain);
    }

    void sameSeedSameImageOtherSeedOther()
    {
        const cv::Mat img = marked(400, 300);
        AugmentOptions o;
        o.size = 64;
        const Normalization n;
        std::vector<float> a(3 * 64 * 64), b(a.size()), c(a.size());
        augmentInto(img, o, 7, n, a.data());
        augmentInto(img, o, 7, n, b.data());
        augmentInto(img, o, 8, n, c.data());
        QVERIFY(a == b);
        QVERIFY(a != c);
    }

    void rotationsStayWithinAQuarterTurn()
    {
        AugmentOptions o = AugmentOptions::none(64);
        o.rotationTurns = 0.25;
        double largest = 0;
        for (uint64_t seed = 0; seed < 200; ++seed) {
            const auto m = drawAugmentation(100, 100, o, seed).outputToSource;
            const double degrees = std::atan2(m(1, 0), m(0, 0)) * 180 / 3.14159265358979;
            QVERIFY(std::abs(degrees) <= 90.0 + 1e-9);
            largest = std::max(largest, std::abs(degrees));
        }
        QVERIFY(largest > 60);  // the range is used, not just its middle
    }

    void zoomOnlyZoomsIn()
    {
        AugmentOptions o = AugmentOptions::none(100);
        o.zoomMin = -0.2;
        o.zoomMax = 0.0;
        for (uint64_t seed = 0; seed < 50; ++seed) {
            const auto m = drawAugmentation(100, 100, o, seed).outputToSource;
            const double scale = std::hypot(m(0, 0), m(1, 0));  // source pixels per output pixel
            QVERIFY(scale <= 1.0 + 1e-9 && scale >= 0.8 - 1e-9);
        }
    }

    void contrastScalesAboutTheMean()
    {
        cv::Mat img(50, 50, CV_8UC3);
        cv::randu(img, 60, 190);
        AugmentOptions o = AugmentOptions::none(50);
        o.contrast = 0.2;
        Normalization identity;
        identity.mean = {0, 0, 0};
        identity.std = {1, 1, 1};
        std::vector<float> plain(3 * 50 * 50), out(plain.size());
        augmentInto(img, AugmentOptions::none(50), 0, identity, plain.data());
        augmentInto(img, o, 3, identity, out.data());
        const float factor = drawAugmentation(50, 50, o, 3).contrast;
        QVERIFY(factor >= 0.8f && factor <= 1.2f && factor != 1.0f);
        double meanPlain = 0, meanOut = 0;
        for (size_t i = 0; i < plain.size() / 3; ++i) {
            meanPlain += plain[i];
            meanOut += out[i];
        }
        meanPlain /= plain.size() / 3;
        meanOut /= plain.size() / 3;
        QVERIFY(std::abs(meanPlain - meanOut) < 0.01);
        const size_t k = 123;
        QVERIFY(std::abs((out[k] - meanOut) - factor * (plain[k] - meanPlain)) < 0.01);
    }

    void normalizationAdaptsToTheData()
    {
        NormalizationStats stats;
        cv::Mat a(10, 10, CV_8UC3, cv::Scalar(0, 100, 255)), b(10, 10, CV_8UC3, cv::Scalar(255, 100, 255));
        stats.add(a);
        stats.add(b);
        const Normalization n = stats.result();
        QCOMPARE(stats.pixels(), int64_t(200));
        QVERIFY(std::abs(n.mean[0] - 0.5f) < 1e-6 && std::abs(n.std[0] - 0.5f) < 1e-6);
        QVERIFY(std::abs(n.mean[1] - 100 / 255.0f) < 1e-6);
        QVERIFY(n.std[2] > 0);  // a constant channel gets a floor, never a division by zero

        std::vector<float> out(3 * 10 * 10);
        centerCropInto(b, 10, n, out.data());
        QVERIFY(std::abs(out[0] - 1.0f) < 1e-5);  // (1 - 0.5) / 0.5
    }
};

QTEST_GUILESS_MAIN(AugmentTest)
#include "test_core_augment.moc"
