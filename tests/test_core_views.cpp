// Test-time views: the recipe's local crops, TTA flips that undo themselves, seeded random runs,
// and the loader handing every view of an image over in one batch.
#include "TestSupport.h"

#include "Loader.h"
#include "TestTimeViews.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>

#include <vector>

using namespace cassava;

namespace {

cv::Mat noise(int w, int h, int seed)
{
    cv::Mat m(h, w, CV_8UC3);
    cv::theRNG().state = static_cast<uint64_t>(seed);
    cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(256));
    return m;
}

bool same(const cv::Mat& a, const cv::Mat& b) { return a.size() == b.size() && cv::norm(a, b, cv::NORM_INF) == 0; }

bool inside(const cv::Rect2d& r, int w, int h)
{
    return r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.width <= w + 1e-9 && r.y + r.height <= h + 1e-9;
}

}  // namespace

class ViewsTest : public QObject {
    Q_OBJECT

private slots:
    void oneCropIsTheCentredSquare()
    {
        const auto w = cropWindows(800, 600, 1, 0.5);
        QCOMPARE(w.size(), size_t(1));
        QCOMPARE(w[0], cv::Rect2d(100, 0, 600, 600));
    }

    void fourCropsAreTheRecipesCorners()
    {
        // The recipe scans an 800x600 photo with four 512-px crops.
        const auto w = cropWindows(800, 600, 4, 512.0 / 600.0);
        QCOMPARE(w.size(), size_t(4));
        const std::vector<cv::Rect2d> expected = {{0, 0, 512, 512}, {288, 0, 512, 512}, {0, 88, 512, 512}, {288, 88, 512, 512}};
        for (size_t i = 0; i < 4; ++i) {
            QVERIFY(std::abs(w[i].x - expected[i].x) < 1e-6 && std::abs(w[i].y - expected[i].y) < 1e-6);
            QVERIFY(std::abs(w[i].width - 512) < 1e-6);
        }
    }

    void otherCountsCoverThePhotoAndStayInside()
    {
        for (const auto& [width, height] : std::vector<std::pair<int, int>>{{800, 600}, {600, 800}, {500, 500}, {1200, 300}}) {
            for (int k = 2; k <= 9; ++k) {
                const auto w = cropWindows(width, height, k, 0.7);
                QCOMPARE(static_cast<int>(w.size()), k);
                double minX = 1e9, maxX = 0, minY = 1e9, maxY = 0;
                for (const auto& r : w) {
                    QVERIFY2(inside(r, width, height), qPrintable(QString("%1x%2 k=%3").arg(width).arg(height).arg(k)));
                    minX = std::min(minX, r.x);
                    minY = std::min(minY, r.y);
                    maxX = std::max(maxX, r.x + r.width);
                    maxY = std::max(maxY, r.y + r.height);
                }
                // The crops reach both ends of the long side (of one side, for a square).
                const bool acrossX = minX < 1e-6 && std::abs(maxX - width) < 1e-6;
                const bool acrossY = minY < 1e-6 && std::abs(maxY - height) < 1e-6;
                QVERIFY(width > height ? acrossX : height > width ? acrossY : acrossX || acrossY);
            }
        }
        const auto five = cropWindows(800, 600, 5, 0.5);
        QCOMPARE(five[4], cv::Rect2d(250, 150, 300, 300));  // the centre
    }

    void aFlipOfAFlipIsTheIdentity()
    {
        const cv::Mat img = noise(48, 48, 3);
        View plain;
        plain.window = cv::Rect2d(0, 0, 48, 48);
        QVERIFY(same(renderViewPreview(img, plain, 48), img));  // a 1:1 window samples pixel centres
        for (const auto& [h, v] : std::vector<std::pair<bool, bool>>{{true, false}, {false, true}, {true, true}}) {
            View flip = plain;
            flip.flipHorizontal = h;
            flip.flipVertical = v;
            const cv::Mat once = renderViewPreview(img, flip, 48);
            cv::Mat expected;
            cv::flip(img, expected, h && v ? -1 : h ? 1 : 0);
            QVERIFY(same(once, expected));
            QVERIFY(same(renderViewPreview(once, flip, 48), img));
        }
    }

    void mirroredViewsEqualTheirOwnResampling()
    {
        // renderViewsInto mirrors floats for flip-only runs; a resampling of each view must agree.
        const cv::Mat img = noise(120, 90, 4);
        TtaOptions o;
        o.runs = 6;
        o.crops = 2;
        o.cropFraction = 0.8;
        const auto views = planViews(img.cols, img.rows, o, 3);
        const size_t image = 3 * 32 * 32;
        std::vector<float> all(views.size() * image), one(image);
        renderViewsInto(img, views, 32, Normalization{}, all.data());
        for (size_t v = 0; v < views.size(); ++v) {
            renderViewInto(img, views[v], 32, Normalization{}, one.data());
            for (size_t i = 0; i < image; ++i)
                QVERIFY2(std::abs(all[v * image + i] - one[i]) < 1e-5, qPrintable(QString("view %1").arg(v)));
        }
    }

    void runsAreThePlainViewThenFlipsThenSeededDraws()
    {
        TtaOptions o;
        o.runs = 8;
        o.crops = 2;
        o.seed = 5;
        const auto views = planViews(800, 600, o, 17);
        QCOMPARE(views.size(), size_t(16));
        for (int crop = 0; crop < 2; ++crop) {
            const View* v = &views[static_cast<size_t>(crop) * 8];
            QVERIFY(!v[0].flipHorizontal && !v[0].flipVertical && v[0].zoom == 0 && v[0].contrast == 1.0f);
            QVERIFY(v[1].flipHorizontal && !v[1].flipVertical);
            QVERIFY(!v[2].flipHorizontal && v[2].flipVertical);
            QVERIFY(v[3].flipHorizontal && v[3].flipVertical);
            for (int r = 4; r < 8; ++r) {
                QVERIFY(v[r].zoom >= -0.2 && v[r].zoom <= 0.0);
                QVERIFY(v[r].contrast >= 0.8f && v[r].contrast <= 1.2f);
            }
            QVERIFY(v[0].window == v[7].window);
        }
        QVERIFY(views[0].window != views[8].window);
        // Seeded: the same photo gets the same views; another photo or seed gets others.
        const auto again = planViews(800, 600, o, 17);
        const auto other = planViews(800, 600, o, 18);
        bool differs = false;
        for (size_t i = 0; i < views.size(); ++i) {
            QCOMPARE(views[i].zoom, again[i].zoom);
            QCOMPARE(views[i].contrast, again[i].contrast);
            differs = differs || views[i].zoom != other[i].zoom;
        }
        QVERIFY(differs);
    }

    void sourceSideAvoidsUpscaling()
    {
        TtaOptions o;
        QCOMPARE(o.sourceShortSide(224), 224);
        o.crops = 4;
        QCOMPARE(o.sourceShortSide(512), 600);  // the recipe's 512-px crops need the full 600 px
        o.runs = 6;                             // zooming in by up to 0.2 reads a smaller window
        QCOMPARE(o.sourceShortSide(512), 750);
    }

    void theLoaderHandsOverEveryViewOfAnImage()
    {
        QTemporaryDir dir;
        std::vector<LoaderItem> items;
        for (int i = 0; i < 3; ++i) {
            const std::string path = dir.filePath(QString("p%1.png").arg(i)).toStdString();
            QVERIFY(cv::imwrite(path, noise(40, 40, 10 + i)));
            items.push_back({path, "p.png", 0, i});
        }
        items.push_back({dir.filePath("missing.png").toStdString(), "missing.png", 0, 3});
        LoaderOptions lo;
        lo.train = false;
        lo.batchSize = 2;
        lo.augment.size = 40;
        lo.views.runs = 2;  // plain and horizontally flipped
        lo.workers = 1;
        Loader loader(items, lo);
        loader.startEpoch(0);
        Batch b;
        int images = 0;
        std::vector<int> errors;
        const size_t plane = 3 * 40 * 40;
        while (loader.next(b)) {
            QCOMPARE(b.views, 2);
            QCOMPARE(b.images.size(), static_cast<size_t>(b.count) * 2 * plane);
            errors.insert(errors.end(), b.errorIndices.begin(), b.errorIndices.end());
            for (int i = 0; i < b.count; ++i) {
                const float* plain = b.images.data() + static_cast<size_t>(i) * 2 * plane;
                const float* flipped = plain + plane;
                // The second view is the first mirrored, value for value.
                for (int c = 0; c < 3; ++c)
                    for (int y = 0; y < 40; ++y)
                        for (int x = 0; x < 40; ++x)
                            QCOMPARE(flipped[(c * 40 + y) * 40 + x], plain[(c * 40 + y) * 40 + 39 - x]);
            }
            images += b.count;
        }
        QCOMPARE(images, 3);
        QCOMPARE(errors, std::vector<int>{3});
    }
};

QTEST_APPLESS_MAIN(ViewsTest)
#include "test_core_views.moc"
