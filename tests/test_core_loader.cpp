// The data pipeline as training uses it: every image once per epoch, the same batches for the
// same seed whatever the threads do, bad photos left out with their name, the cache used.
#include "TestSupport.h"

#include "Loader.h"

#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <set>

using namespace cassava;

namespace {

std::vector<LoaderItem> makeImages(const QTemporaryDir& tmp, int count)
{
    std::vector<LoaderItem> items;
    for (int i = 0; i < count; ++i) {
        cv::Mat bgr(60 + i, 80, CV_8UC3, cv::Scalar(10 * i % 255, 100, 200 - 5 * i));
        cv::circle(bgr, cv::Point(20 + i, 30), 10, cv::Scalar(0, 0, 0), cv::FILLED);
        const std::string name = "img" + std::to_string(i) + ".jpg";
        const std::string path = tmp.path().toStdString() + "/" + name;
        cv::imwrite(path, bgr);
        items.push_back({path, "train_images/" + name, i % 5, i});
    }
    return items;
}

std::vector<Batch> epochOf(Loader& loader, int epoch)
{
    loader.startEpoch(epoch);
    std::vector<Batch> batches;
    Batch b;
    while (loader.next(b))
        batches.push_back(std::move(b));
    return batches;
}

}  // namespace

class LoaderTest : public QObject {
    Q_OBJECT

private slots:
    void everyImageOncePerEpochWithItsLabel()
    {
        QTemporaryDir tmp;
        const auto items = makeImages(tmp, 23);
        LoaderOptions o;
        o.batchSize = 5;
        o.augment.size = 32;
        o.workers = 2;
        Loader loader(items, o);
        QCOMPARE(loader.batchesPerEpoch(), 5);
        const auto batches = epochOf(loader, 0);
        QCOMPARE(batches.size(), size_t(5));
        std::multiset<int> seen;
        for (size_t b = 0; b < batches.size(); ++b) {
            QCOMPARE(batches[b].number, static_cast<int>(b));
            QCOMPARE(batches[b].images.size(), size_t(batches[b].count) * 3 * 32 * 32);
            for (int k = 0; k < batches[b].count; ++k) {
                seen.insert(batches[b].indices[static_cast<size_t>(k)]);
                QCOMPARE(batches[b].labels[static_cast<size_t>(k)], int64_t(batches[b].indices[static_cast<size_t>(k)] % 5));
            }
        }
        QCOMPARE(seen.size(), size_t(23));
        QCOMPARE(std::set<int>(seen.begin(), seen.end()).size(), size_t(23));
        QCOMPARE(batches.back().count, 3);
    }

    void sameSeedSameBatchesWhateverTheThreads()
    {
        QTemporaryDir tmp;
        const auto items = makeImages(tmp, 12);
        LoaderOptions o;
        o.batchSize = 4;
        o.augment.size = 24;
        o.seed = 5;
        o.workers = 1;
        Loader one(items, o);
        o.workers = 3;
        o.prefetchBatches = 1;
        Loader three(items, o);
        const auto a = epochOf(one, 2), b = epochOf(three, 2);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].indices, b[i].indices);
            QVERIFY(a[i].images == b[i].images);
        }
        // Another epoch shuffles and augments differently.
        const auto c = epochOf(one, 3);
        bool differs = false;
        for (size_t i = 0; i < a.size(); ++i)
            differs = differs || a[i].indices != c[i].indices;
        QVERIFY(differs);
    }

    void validationIsInOrderAndRepeatable()
    {
        QTemporaryDir tmp;
        const auto items = makeImages(tmp, 7);
        LoaderOptions o;
        o.train = false;
        o.batchSize = 3;
        o.augment.size = 16;
        Loader loader(items, o);
        const auto a = epochOf(loader, 0), b = epochOf(loader, 1);
        QCOMPARE(a[0].indices, (std::vector<int>{0, 1, 2}));
        QCOMPARE(a[2].indices, (std::vector<int>{6}));
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(a[i].images == b[i].images);
    }

    void aCorruptPhotoIsLeftOutAndNamed()
    {
        QTemporaryDir tmp;
        auto items = makeImages(tmp, 6);
        testsupport::writeText(QString::fromStdString(items[3].path), "GIF89a but not really");
        LoaderOptions o;
        o.batchSize = 6;
        o.augment.size = 16;
        Loader loader(items, o);
        const auto batches = epochOf(loader, 0);
        QCOMPARE(batches.size(), size_t(1));
        QCOMPARE(batches[0].count, 5);
        QCOMPARE(batches[0].errors.size(), size_t(1));
        QVERIFY2(batches[0].errors[0].find("train_images/img3.jpg") != std::string::npos, batches[0].errors[0].c_str());
        QVERIFY(std::find(batches[0].indices.begin(), batches[0].indices.end(), 3) == batches[0].indices.end());
    }

    void theCacheServesLaterEpochs()
    {
        QTemporaryDir tmp;
        const auto items = makeImages(tmp, 8);
        auto cache = std::make_shared<ImageCache>(64 << 20);
        LoaderOptions o;
        o.batchSize = 4;
        o.augment.size = 16;
        Loader loader(items, o, cache);
        epochOf(loader, 0);
        QCOMPARE(cache->size(), size_t(8));
        QCOMPARE(cache->hits(), int64_t(0));
        epochOf(loader, 1);
        QCOMPARE(cache->hits(), int64_t(8));

        auto tiny = std::make_shared<ImageCache>(100);  // smaller than one image
        Loader bounded(items, o, tiny);
        epochOf(bounded, 0);
        QCOMPARE(tiny->size(), size_t(0));
        QVERIFY(tiny->bytes() <= 100);
    }

    void stoppingMidEpochIsClean()
    {
        QTemporaryDir tmp;
        const auto items = makeImages(tmp, 20);
        LoaderOptions o;
        o.batchSize = 2;
        o.augment.size = 16;
        Loader loader(items, o);
        loader.startEpoch(0);
        Batch b;
        QVERIFY(loader.next(b));
        loader.stop();
        QVERIFY(!loader.next(b));
        // And it can start again.
        QCOMPARE(epochOf(loader, 1).size(), size_t(10));
    }
};

QTEST_GUILESS_MAIN(LoaderTest)
#include "test_core_loader.moc"
