// The dataset browser at the full competition's size, beside the obvious Qt way, in one run.
//
// 1. Open and first paint at 21,397 rows (kaggle_train_full.csv with the 1,000 real photos
//    hard-linked under every id into a temporary folder; offscreen QApplication):
//    Dataset::open, then DatasetView::setDataset and the grid's first paint; beside a
//    QStandardItemModel with one item per row in a default icon-mode QListView. Then the time to
//    repaint the grid after scrolling one page, the smoothness of scrolling.
// 2. Thumbnails per second for the 800x600 real photos, one thread: ours (core's reduced JPEG
//    decoding + area shrink, ThumbnailLoader::produce without the disk cache) beside Qt's own
//    QImageReader::setScaledSize; and ours answered from the disk cache (a second opening).
//
//   QT_QPA_PLATFORM=offscreen build/bench/bench_dataset_browser [repetitions]
#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetView.h"
#include "ThumbnailCache.h"
#include "ThumbnailDiskCache.h"
#include "ThumbnailLoader.h"

#include "Dataset.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QImageReader>
#include <QListView>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <ctime>
#include <unistd.h>
#include <vector>

namespace {

constexpr int box = 144;  // DatasetView's thumbnail width at a device pixel ratio of 1

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + t.tv_nsec / 1e9;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// Stops the clock when `widget` has been painted once.
class PaintWatch : public QObject {
public:
    explicit PaintWatch(QWidget* widget) { widget->installEventFilter(this); }
    bool painted = false;

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::Paint)
            painted = true;
        return false;
    }
};

// Shows a top-level widget, runs the event loop until `viewport` painted; returns milliseconds
// from `clock`'s start.
double untilPainted(QWidget* window, QWidget* viewport, const QElapsedTimer& clock)
{
    PaintWatch watch(viewport);
    window->show();
    while (!watch.painted)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    QApplication::processEvents();  // the paint itself has run once the event is processed
    return clock.nsecsElapsed() / 1e6;
}

// Milliseconds per frame: scroll one page, paint synchronously, over `pages` pages.
double scrollFrameMs(QListView* grid, int pages)
{
    QScrollBar* bar = grid->verticalScrollBar();
    bar->setValue(0);
    QApplication::processEvents();
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < pages; ++i) {
        bar->setValue(bar->value() + bar->pageStep());
        grid->viewport()->repaint();
    }
    return clock.nsecsElapsed() / 1e6 / pages;
}

struct Built {
    std::unique_ptr<QTemporaryDir> dir;
    QString root;
    QStringList photos;  // the 1,000 distinct real photos
};

Built buildFullDataset()
{
    Built b;
    const QString shared = QStringLiteral(CASSAVA_SHARED_DATA);
    const QString csvPath = shared + "/kaggle_train_full.csv";
    const QString photoDir = shared + "/cassava-sample/train_images";
    for (const QString& name : QDir(photoDir).entryList({"*.jpg"}, QDir::Files, QDir::Name))
        b.photos << photoDir + "/" + name;
    QFile csv(csvPath);
    if (b.photos.size() < 1000 || !csv.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "reference data absent: %s and %s\n", qPrintable(csvPath), qPrintable(photoDir));
        std::exit(2);
    }
    b.dir = std::make_unique<QTemporaryDir>();
    b.root = b.dir->path();
    QDir().mkpath(b.root + "/train_images");
    const QByteArray text = csv.readAll();
    QFile out(b.root + "/train.csv");
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
        std::exit(2);
    const QList<QByteArray> lines = text.split('\n');
    int n = 0;
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].trimmed().split(',');
        if (fields.size() != 2)
            continue;
        const QByteArray from = QFile::encodeName(b.photos[n++ % b.photos.size()]);
        const QByteArray to = QFile::encodeName(b.root + "/train_images/" + QString::fromUtf8(fields[0]));
        if (::link(from.constData(), to.constData()) != 0 && ::symlink(from.constData(), to.constData()) != 0)
            std::exit(2);
    }
    return b;
}

// Images per second (thread CPU time) of each method over `photos`, best of `passes`. The methods
// take turns photo by photo, so a change in the machine's load hits all of them alike.
std::vector<double> rates(const QStringList& photos, int passes, const std::vector<std::function<bool(const QString&)>>& methods)
{
    std::vector<double> best(methods.size(), 0.0);
    for (int pass = 0; pass < passes; ++pass) {
        std::vector<double> seconds(methods.size(), 0.0);
        std::vector<int> made(methods.size(), 0);
        for (int i = 0; i < photos.size(); ++i)
            for (size_t k = 0; k < methods.size(); ++k) {
                const size_t m = (k + static_cast<size_t>(i)) % methods.size();  // who goes first rotates
                const double start = threadCpuSeconds();
                made[m] += methods[m](photos[i]);
                seconds[m] += threadCpuSeconds() - start;
            }
        for (size_t m = 0; m < methods.size(); ++m) {
            if (made[m] != photos.size())
                std::fprintf(stderr, "warning: method %zu made %d of %lld\n", m, made[m], static_cast<long long>(photos.size()));
            best[m] = std::max(best[m], photos.size() / seconds[m]);
        }
    }
    return best;
}

}  // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const Built data = buildFullDataset();

    // 1. Open and first paint. Ours and the baseline take turns, repetition by repetition.
    std::vector<double> openMs, oursSetMs, oursMs, baselineSetMs, baselineMs, oursScroll, baselineScroll;
    int rows = 0;
    constexpr int scrollPages = 40;
    QPixmap photoLike(box, box * 3 / 4);  // what a cell shows once its thumbnail is there
    photoLike.fill(QColor(90, 140, 60));
    for (int r = 0; r < repetitions; ++r) {
        QElapsedTimer clock;
        clock.start();
        auto dataset = std::make_shared<const cassava::Dataset>(cassava::Dataset::open(data.root.toStdString()));
        rows = static_cast<int>(dataset->samples().size());
        openMs.push_back(clock.nsecsElapsed() / 1e6);
        {
            QElapsedTimer paint;
            paint.start();
            cassava::ui::DatasetView view;
            view.thumbnailLoader()->setPaused(true);  // the paint, not the thumbnails, is timed here
            view.resize(1400, 900);
            view.setDataset(dataset);
            oursSetMs.push_back(paint.nsecsElapsed() / 1e6);
            oursMs.push_back(untilPainted(&view, view.grid()->viewport(), paint));
            // Thumbnails for the rows the scroll passes (one shared pixmap: no memory for 1,500).
            for (int row = 0; row < 1500; ++row)
                view.thumbnailCache()->insert(view.model()->path(view.proxy()->mapToSource(view.proxy()->index(row, 0)).row()),
                                              photoLike);
            oursScroll.push_back(scrollFrameMs(view.grid(), scrollPages));
        }
        {
            QElapsedTimer paint;
            paint.start();
            QStandardItemModel model;
            const QIcon icon(photoLike);
            for (const auto& s : dataset->samples())
                model.appendRow(new QStandardItem(icon, QString::fromStdString(s.imageId)));
            QListView list;
            list.setViewMode(QListView::IconMode);
            list.setIconSize(QSize(box, box));
            list.setModel(&model);
            list.resize(840, 860);  // the size of DatasetView's grid in a 1400x900 view
            baselineSetMs.push_back(paint.nsecsElapsed() / 1e6);
            baselineMs.push_back(untilPainted(&list, list.viewport(), paint));
            baselineScroll.push_back(scrollFrameMs(&list, scrollPages));
        }
    }
    const double open = median(openMs), ours = median(oursMs), base = median(baselineMs);
    std::printf("open and first paint, %d rows, wall time, median of %d\n", rows, repetitions);
    std::printf("%-64s %9s %8s\n", "step", "ms", "vs ours");
    std::printf("%-64s %9.1f\n", "Dataset::open (train.csv + listing train_images/)", open);
    std::printf("%-64s %9.1f\n", "  DatasetView built + setDataset (rows, sort, overview)", median(oursSetMs));
    std::printf("%-64s %9.1f %7.2fx\n", "DatasetView: built to first painted grid", ours, 1.0);
    std::printf("%-64s %9.1f\n", "  QStandardItemModel filled + QListView built", median(baselineSetMs));
    std::printf("%-64s %9.1f %7.2fx\n", "QStandardItemModel + default icon-mode QListView: to first paint", base, base / ours);
    std::printf("%-64s %9.2f %7.2fx\n", "scroll one page + repaint, DatasetView (ms per frame)", median(oursScroll), 1.0);
    std::printf("%-64s %9.2f %7.2fx\n", "scroll one page + repaint, QStandardItemModel (ms per frame)",
                median(baselineScroll), median(baselineScroll) / median(oursScroll));

    // 2. Thumbnails per second, one thread, the 1,000 distinct real photos.
    const cassava::ui::ThumbnailDiskCache noDisk;
    QTemporaryDir cacheDir;
    const cassava::ui::ThumbnailDiskCache disk(cacheDir.path());
    const int passes = std::max(2, repetitions / 2);
    for (const QString& p : data.photos)  // fill the disk cache: the first opening
        cassava::ui::ThumbnailLoader::produce({p, {}}, box, disk);
    const std::vector<double> r = rates(
        data.photos, passes,
        {[&](const QString& p) { return cassava::ui::ThumbnailLoader::produce({p, {}}, box, noDisk).ok(); },
         [&](const QString& p) {
             QImageReader reader(p);
             reader.setAutoTransform(true);
             reader.setScaledSize(reader.size().scaled(box, box, Qt::KeepAspectRatio));
             return !reader.read().isNull();
         },
         [&](const QString& p) { return cassava::ui::ThumbnailLoader::produce({p, {}}, box, disk).fromDiskCache; }});
    const double oursRate = r[0], qtRate = r[1], diskRate = r[2];
    std::printf("\nthumbnails of the %lld real 800x600 photos (%d px box), one thread, CPU time, best of %d\n",
                static_cast<long long>(data.photos.size()), box, passes);
    std::printf("%-64s %9s %8s\n", "method", "images/s", "vs Qt");
    std::printf("%-64s %9.1f %7.2fx\n", "ours: core reduced JPEG decoding (1/4) + area shrink", oursRate, oursRate / qtRate);
    std::printf("%-64s %9.1f %7.2fx\n", "Qt: QImageReader::setScaledSize", qtRate, 1.0);
    std::printf("%-64s %9.1f %7.2fx\n", "ours from the disk cache (second opening)", diskRate, diskRate / qtRate);
    return 0;
}
