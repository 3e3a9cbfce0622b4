// Thumbnails as any grid view gets them: made on worker threads, never on the GUI thread; kept in
// memory under a byte budget, least recently used out first; kept on disk so a second opening
// decodes nothing; photos the user scrolled away from are dropped from the queue; missing and
// unreadable photos come back with a reason instead of a thumbnail.
#include "TestSupport.h"

#include "ThumbnailCache.h"
#include "ThumbnailDiskCache.h"
#include "ThumbnailLoader.h"

#include <QApplication>
#include <QDirIterator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using cassava::ui::ThumbnailCache;
using cassava::ui::ThumbnailDiskCache;
using cassava::ui::ThumbnailLoader;
using cassava::ui::ThumbnailRequest;
using cassava::ui::ThumbnailResult;

namespace {

constexpr int waitMs = 60000;  // an upper bound for the workers, not a timing assertion

// An 800x600 photo-like JPEG: a gradient and a disc, so scaling is visible.
QString writePhoto(const QString& path, int width = 800, int height = 600, int shade = 0)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    cv::Mat bgr(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 255 / width), uchar(y * 255 / height), uchar(shade));
    cv::circle(bgr, {width / 3, height / 2}, height / 4, cv::Scalar(30, 160, 40), cv::FILLED);
    if (!cv::imwrite(path.toStdString(), bgr))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QPixmap pixmapOf(int width, int height)
{
    QPixmap p(width, height);
    p.fill(Qt::darkGreen);
    return p;
}

int filesUnder(const QString& dir)
{
    int n = 0;
    for (QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories); it.hasNext(); it.next())
        ++n;
    return n;
}

// Collects what a loader delivers.
struct Deliveries {
    explicit Deliveries(ThumbnailLoader& loader)
    {
        QObject::connect(&loader, &ThumbnailLoader::thumbnailReady, &loader,
                         [this](const ThumbnailResult& r) { results.push_back(r); });
    }
    const ThumbnailResult* find(const QString& path) const
    {
        for (const auto& r : results)
            if (r.path == path)
                return &r;
        return nullptr;
    }
    std::vector<ThumbnailResult> results;
};

bool waitIdle(ThumbnailLoader& loader)
{
    return QTest::qWaitFor([&] { return loader.pendingCount() == 0; }, waitMs);
}

}  // namespace

class TestThumbnails : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void lruKeepsTheMostRecentlyUsedUnderItsBudget()
    {
        const qint64 one = ThumbnailCache::costOf(pixmapOf(100, 75));
        QVERIFY(one >= 100 * 75 * 3);
        ThumbnailCache cache(3 * one);
        for (int i = 0; i < 3; ++i)
            cache.insert(QString::number(i), pixmapOf(100, 75));
        QCOMPARE(cache.count(), 3);
        QCOMPARE(cache.bytes(), 3 * one);

        // Looking at "0" makes it recent: the next insert evicts "1", the least recently used.
        QVERIFY(!cache.find("0").isNull());
        cache.insert("3", pixmapOf(100, 75));
        QCOMPARE(cache.count(), 3);
        QVERIFY(cache.bytes() <= cache.budget());
        QVERIFY(cache.contains("0"));
        QVERIFY(!cache.contains("1"));
        QVERIFY(cache.contains("2"));
        QVERIFY(cache.contains("3"));
        QCOMPARE(cache.evictions(), 1);

        // Replacing an entry does not count it twice.
        cache.insert("3", pixmapOf(100, 75));
        QCOMPARE(cache.bytes(), 3 * one);

        // A smaller budget (the user changed the setting) evicts at once, oldest first.
        cache.setBudget(one + one / 2);
        QCOMPARE(cache.count(), 1);
        QVERIFY(cache.contains("3"));
        QVERIFY(cache.bytes() <= cache.budget());

        // A pixmap larger than the whole budget is not kept, and evicts nothing.
        cache.insert("huge", pixmapOf(1000, 1000));
        QVERIFY(!cache.contains("huge"));
        QVERIFY(cache.contains("3"));
        cache.clear();
        QCOMPARE(cache.bytes(), 0);
        QCOMPARE(cache.count(), 0);
    }

    void manyInsertsNeverExceedTheBudget()
    {
        ThumbnailCache cache(200 * 1024);
        for (int i = 0; i < 500; ++i) {
            cache.insert(QString::number(i), pixmapOf(60 + i % 40, 45 + i % 30));
            QVERIFY2(cache.bytes() <= cache.budget(), qPrintable(QString::number(cache.bytes())));
        }
        QVERIFY(cache.count() < 500);
        QVERIFY(cache.contains("499"));
        QVERIFY(!cache.contains("0"));
    }

    void thumbnailsAreMadeOffTheGuiThread()
    {
        QTemporaryDir dir;
        QStringList paths;
        for (int i = 0; i < 12; ++i)
            paths << writePhoto(dir.filePath(QStringLiteral("p%1.jpg").arg(i)), 800, 600, i * 20);
        ThumbnailLoader loader;
        loader.setDiskCacheDir({});
        loader.setThumbnailSize(160);
        Deliveries got(loader);
        QList<ThumbnailRequest> requests;
        for (const QString& p : paths)
            requests.push_back({p, QFileInfo(p).fileName()});
        loader.request(requests);
        QVERIFY(waitIdle(loader));
        QCOMPARE(static_cast<int>(got.results.size()), paths.size());
        const Qt::HANDLE gui = QThread::currentThreadId();
        QCOMPARE(QThread::currentThread(), qApp->thread());
        for (const ThumbnailResult& r : got.results) {
            QVERIFY(r.ok());
            QVERIFY(r.producerThread != nullptr);
            QVERIFY2(r.producerThread != gui, "a thumbnail was made on the GUI thread");
            // 800x600 into a 160 px box keeps the aspect ratio.
            QCOMPARE(r.image.size(), QSize(160, 120));
            QCOMPARE(r.sourceSize, QSize(800, 600));
            QCOMPARE(r.format, QStringLiteral("jpeg"));
            QVERIFY(!r.fromDiskCache);
        }
    }

    void thumbnailLooksLikeThePhoto()
    {
        QTemporaryDir dir;
        const QString path = writePhoto(dir.filePath("photo.jpg"));
        const ThumbnailResult r = ThumbnailLoader::produce({path, "photo.jpg"}, 160, ThumbnailDiskCache());
        QVERIFY(r.ok());
        // The gradient runs blue to the right (BGR x -> B) and green downwards.
        const QColor left = r.image.pixelColor(2, 60), right = r.image.pixelColor(157, 60);
        QVERIFY2(right.blue() > left.blue() + 150, qPrintable(QString("%1 %2").arg(left.blue()).arg(right.blue())));
        const QColor disc = r.image.pixelColor(53, 60);  // the disc's centre at (1/3, 1/2)
        QVERIFY(disc.green() > 130 && disc.red() < 70);
        // A small photo is not enlarged.
        const QString small = writePhoto(dir.filePath("small.jpg"), 90, 60);
        const ThumbnailResult s = ThumbnailLoader::produce({small, {}}, 160, ThumbnailDiskCache());
        QCOMPARE(s.image.size(), QSize(90, 60));
    }

    void missingAndUnreadablePhotosAreReportedByName()
    {
        QTemporaryDir dir;
        testsupport::writeText(dir.filePath("notes.jpg"), "hello, this is not a photo");
        const QString good = writePhoto(dir.filePath("good.jpg"));
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        testsupport::writeText(dir.filePath("half.jpg"), f.read(f.size() / 2));

        const ThumbnailDiskCache disk(dir.filePath("cache"));
        const ThumbnailResult missing = ThumbnailLoader::produce({dir.filePath("gone.jpg"), "train_images/gone.jpg"}, 160, disk);
        QCOMPARE(missing.status, ThumbnailResult::Status::Missing);
        QVERIFY2(missing.error.startsWith("train_images/gone.jpg"), qPrintable(missing.error));
        QVERIFY(missing.image.isNull());

        const ThumbnailResult text = ThumbnailLoader::produce({dir.filePath("notes.jpg"), "train_images/notes.jpg"}, 160, disk);
        QCOMPARE(text.status, ThumbnailResult::Status::Unreadable);
        QVERIFY2(text.error.startsWith("train_images/notes.jpg"), qPrintable(text.error));

        const ThumbnailResult half = ThumbnailLoader::produce({dir.filePath("half.jpg"), "train_images/half.jpg"}, 160, disk);
        QCOMPARE(half.status, ThumbnailResult::Status::Unreadable);
        QVERIFY2(half.error.contains("half.jpg"), qPrintable(half.error));
        // Nothing was cached for them: a fixed file must be looked at again.
        QCOMPARE(filesUnder(dir.filePath("cache")), 0);
    }

    void secondLoadComesFromTheDiskCache()
    {
        QTemporaryDir dir;
        const QString cacheDir = dir.filePath("cache");
        QStringList paths;
        for (int i = 0; i < 6; ++i)
            paths << writePhoto(dir.filePath(QStringLiteral("train_images/%1.jpg").arg(i)), 800, 600, i * 30);
        QList<ThumbnailRequest> requests;
        for (const QString& p : paths)
            requests.push_back({p, {}});

        std::vector<ThumbnailResult> first;
        {
            ThumbnailLoader loader;
            loader.setDiskCacheDir(cacheDir);
            Deliveries got(loader);
            loader.request(requests);
            QVERIFY(waitIdle(loader));
            first = got.results;
        }
        QCOMPARE(static_cast<int>(first.size()), paths.size());
        for (const auto& r : first)
            QVERIFY(r.ok() && !r.fromDiskCache);
        QCOMPARE(filesUnder(cacheDir), paths.size());
        // No temporary files are left behind.
        for (QDirIterator it(cacheDir, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
            QVERIFY(it.next().endsWith(".jpg"));

        // A new loader (the app started again) answers from disk.
        ThumbnailLoader again;
        again.setDiskCacheDir(cacheDir);
        Deliveries second(again);
        again.request(requests);
        QVERIFY(waitIdle(again));
        QCOMPARE(static_cast<int>(second.results.size()), paths.size());
        for (const QString& p : paths) {
            const ThumbnailResult* r = second.find(p);
            QVERIFY(r);
            QVERIFY2(r->fromDiskCache, qPrintable(p));
            QCOMPARE(r->image.size(), QSize(160, 120));
            // The stored JPEG is close to what was made.
            const ThumbnailResult* made = nullptr;
            for (const auto& f : first)
                if (f.path == p)
                    made = &f;
            QVERIFY(made);
            const QColor a = made->image.pixelColor(80, 60), b = r->image.pixelColor(80, 60);
            QVERIFY(std::abs(a.red() - b.red()) < 12 && std::abs(a.green() - b.green()) < 12);
        }

        // An edited photo (new bytes, new mtime) is a miss: its old entry is never shown.
        writePhoto(paths[0], 640, 640, 255);
        std::filesystem::last_write_time(QFile::encodeName(paths[0]).toStdString(),
                                         std::filesystem::last_write_time(QFile::encodeName(paths[0]).toStdString()) +
                                             std::chrono::seconds(5));
        const ThumbnailResult edited = ThumbnailLoader::produce({paths[0], {}}, 160, ThumbnailDiskCache(cacheDir));
        QVERIFY(edited.ok());
        QVERIFY(!edited.fromDiskCache);
        QCOMPARE(edited.image.size(), QSize(160, 160));
        // Another size is another entry.
        const ThumbnailResult bigger = ThumbnailLoader::produce({paths[1], {}}, 256, ThumbnailDiskCache(cacheDir));
        QVERIFY(!bigger.fromDiskCache);
        QCOMPARE(bigger.image.size(), QSize(256, 192));
    }

    void aDamagedCacheEntryIsMadeAgain()
    {
        QTemporaryDir dir;
        const QString photo = writePhoto(dir.filePath("a.jpg"));
        const ThumbnailDiskCache disk(dir.filePath("cache"));
        QVERIFY(ThumbnailLoader::produce({photo, {}}, 160, disk).ok());
        QDirIterator it(disk.dir(), QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(it.hasNext());
        const QString entry = it.next();
        testsupport::writeText(entry, "");  // as after a power cut before the data reached the disk
        const ThumbnailResult again = ThumbnailLoader::produce({photo, {}}, 160, disk);
        QVERIFY(again.ok());
        QVERIFY(!again.fromDiskCache);
        QVERIFY(QFileInfo(entry).size() > 0);
        QVERIFY(ThumbnailLoader::produce({photo, {}}, 160, disk).fromDiskCache);
    }

    void defaultDiskCacheIsInTheXdgCacheFolder()
    {
        const QString dir = ThumbnailDiskCache::defaultDir();
        QVERIFY(!dir.isEmpty());
        QVERIFY(dir.startsWith(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)));
        QVERIFY(dir.endsWith("/thumbnails"));
        ThumbnailLoader loader;
        QCOMPARE(loader.diskCacheDir(), dir);
    }

    void photosScrolledAwayFromAreDropped()
    {
        QTemporaryDir dir;
        QList<ThumbnailRequest> top, bottom;
        for (int i = 0; i < 8; ++i)
            top.push_back({writePhoto(dir.filePath(QStringLiteral("top%1.jpg").arg(i)), 320, 240, i * 10), {}});
        for (int i = 0; i < 8; ++i)
            bottom.push_back({writePhoto(dir.filePath(QStringLiteral("bottom%1.jpg").arg(i)), 320, 240, i * 10), {}});
        ThumbnailLoader loader;
        loader.setDiskCacheDir({});
        Deliveries got(loader);
        // Paused, so that no worker takes anything before the user "scrolls".
        loader.setPaused(true);
        loader.request(top);
        QCOMPARE(loader.queuedCount(), 8);
        QCOMPARE(loader.queuedPaths().first(), top.first().path);
        // The second request names two of the first; the rest of the first is dropped.
        QList<ThumbnailRequest> scrolled = bottom;
        scrolled.push_back(top[6]);
        scrolled.push_back(top[7]);
        scrolled.push_back(bottom[0]);  // a duplicate is queued once
        loader.request(scrolled);
        QCOMPARE(loader.queuedCount(), 10);
        QCOMPARE(loader.queuedPaths().first(), bottom.first().path);  // in the order asked
        loader.setPaused(false);
        QVERIFY(waitIdle(loader));
        QCOMPARE(static_cast<int>(got.results.size()), 10);
        for (int i = 0; i < 6; ++i)
            QVERIFY2(!got.find(top[i].path), qPrintable(top[i].path));
        for (const auto& r : bottom)
            QVERIFY(got.find(r.path));
        QVERIFY(got.find(top[6].path) && got.find(top[7].path));
    }

    void visibleFirstOrderIsKept()
    {
        QTemporaryDir dir;
        QList<ThumbnailRequest> requests;
        for (int i = 0; i < 6; ++i)
            requests.push_back({writePhoto(dir.filePath(QStringLiteral("%1.jpg").arg(i)), 200, 150, i * 30), {}});
        ThumbnailLoader loader;
        loader.setDiskCacheDir({});
        loader.setMaxThreads(1);
        Deliveries got(loader);
        loader.request(requests);
        QVERIFY(waitIdle(loader));
        QCOMPARE(static_cast<int>(got.results.size()), 6);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(got.results[static_cast<size_t>(i)].path, requests[i].path);
    }
};

QTEST_MAIN(TestThumbnails)
#include "test_ui_dataset_thumbnails.moc"
