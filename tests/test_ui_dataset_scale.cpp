// The dataset browser at the full competition's size: 21,397 rows (kaggle_train_full.csv with
// the 1,000 real photos hard-linked under every id). The list model and its filter and sort proxy
// count, filter and sort every row; the grid asks for thumbnails of the cells on screen and no
// others, nearest the centre first, and drops them when the user scrolls away.
#include "TestSupport.h"
#include "DatasetViewSupport.h"

#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetFilterBar.h"
#include "DatasetView.h"
#include "ThumbnailCache.h"
#include "ThumbnailLoader.h"
#include "VisibleItems.h"

#include "Dataset.h"

#include <QApplication>
#include <QCheckBox>
#include <QListView>
#include <QLocale>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <array>
#include <set>
#include <unistd.h>

using cassava::Dataset;
using cassava::ui::DatasetBrowserFilter;
using cassava::ui::DatasetBrowserModel;
using cassava::ui::DatasetView;
using cassava::ui::ThumbnailResult;
using ImageState = DatasetBrowserModel::ImageState;
using ProblemFilter = DatasetBrowserFilter::ProblemFilter;
using SortKey = DatasetBrowserFilter::SortKey;
using namespace datasetviewtest;

namespace {



// The proxy rows whose cells intersect the grid's viewport, by brute force over all rows.
std::set<int> visibleRowsBruteForce(const QListView& grid)
{
    std::set<int> rows;
    const QRect area = grid.viewport()->rect();
    for (int r = 0; r < grid.model()->rowCount(); ++r)
        if (grid.visualRect(grid.model()->index(r, 0)).intersects(area))
            rows.insert(r);
    return rows;
}

// The full competition train.csv with the 1,000 real photos hard-linked under all its ids.
struct FullDataset {
    std::unique_ptr<QTemporaryDir> dir;
    QString root;
    std::array<int, 5> counts{};
    QStringList ids;
    QString skipReason;
};

FullDataset buildFullDataset()
{
    FullDataset full;
    const QString csvPath = testsupport::sharedDataDir() + "/kaggle_train_full.csv";
    const QString photos = testsupport::sharedDataDir() + "/cassava-sample/train_images";
    QStringList sources = QDir(photos).entryList({"*.jpg"}, QDir::Files, QDir::Name);
    if (!QFileInfo::exists(csvPath) || sources.size() < 1000) {
        full.skipReason = "reference data absent: " + csvPath + " and " + photos +
                          " (see ../shared/data/README.md); test skipped";
        return full;
    }
    full.dir = std::make_unique<QTemporaryDir>();
    full.root = full.dir->path();
    QDir().mkpath(full.root + "/train_images");
    QFile csv(csvPath);
    if (!csv.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(csvPath));
    const QByteArray text = csv.readAll();
    testsupport::writeText(full.root + "/train.csv", text);
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines[i].trimmed().split(',');
        if (fields.size() != 2)
            continue;
        const QString id = QString::fromUtf8(fields[0]);
        full.ids << id;
        ++full.counts[static_cast<size_t>(fields[1].toInt())];
        const QByteArray from = QFile::encodeName(photos + "/" + sources[(full.ids.size() - 1) % sources.size()]);
        const QByteArray to = QFile::encodeName(full.root + "/train_images/" + id);
        if (::link(from.constData(), to.constData()) != 0 && ::symlink(from.constData(), to.constData()) != 0)
            qFatal("cannot link %s", to.constData());
    }
    return full;
}

}  // namespace

class TestDatasetScale : public QObject {
    Q_OBJECT

    QTemporaryDir cache_;
    FullDataset full_;

    const FullDataset& full()
    {
        if (!full_.dir && full_.skipReason.isEmpty())
            full_ = buildFullDataset();
        return full_;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void fullDatasetListsFiltersAndSorts21397Rows()
    {
        const FullDataset& data = full();
        if (!data.skipReason.isEmpty())
            QSKIP(qPrintable(data.skipReason));
        const auto dataset = openDataset(data.root);
        QCOMPARE(static_cast<int>(dataset->samples().size()), 21397);
        QVERIFY(dataset->usable());
        DatasetBrowserModel model;
        model.setDataset(dataset);
        QCOMPARE(model.rowCount(), 21397);
        QCOMPARE(model.missingCount(), 0);
        DatasetBrowserFilter proxy;
        proxy.setBrowserModel(&model);
        QCOMPARE(proxy.rowCount(), 21397);
        const std::vector<int> counts = proxy.classCounts();
        for (int c = 0; c < 5; ++c)
            QCOMPARE(counts[static_cast<size_t>(c)], data.counts[static_cast<size_t>(c)]);
        QCOMPARE(data.counts[3], 13158);  // CMD, as Kaggle's train.csv has it

        // Sorted by id, numbers as numbers: the proxy's order is the ids' natural order.
        QStringList sorted = data.ids;
        std::sort(sorted.begin(), sorted.end(), [](const QString& a, const QString& b) {
            const QString ka = a.section('.', 0, 0), kb = b.section('.', 0, 0);
            return ka.size() != kb.size() ? ka.size() < kb.size() : ka < kb;  // all ids are digits + ".jpg"
        });
        QCOMPARE(proxyIds(proxy), sorted);

        proxy.setClassShown(3, false);
        QCOMPARE(proxy.rowCount(), 21397 - 13158);
        proxy.setSortKey(SortKey::Label, Qt::DescendingOrder);
        for (int r = 1; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r - 1, 0).data(DatasetBrowserModel::LabelRole).toInt() >=
                    proxy.index(r, 0).data(DatasetBrowserModel::LabelRole).toInt());
        QCOMPARE(proxy.index(0, 0).data(DatasetBrowserModel::LabelRole).toInt(), 4);
        proxy.showAllClasses();

        const QString needle = "1000";
        const auto expected = std::count_if(data.ids.begin(), data.ids.end(), [&](const QString& id) { return id.contains(needle); });
        proxy.setSearchText(needle);
        QCOMPARE(proxy.rowCount(), static_cast<int>(expected));
        QVERIFY(expected > 10);
        std::vector<int> expectedCounts(5, 0);
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.imageId(r).contains(needle))
                ++expectedCounts[static_cast<size_t>(model.label(r))];
        QCOMPARE(proxy.classCounts(), expectedCounts);
        proxy.setProblemFilter(ProblemFilter::AnyProblem);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void fullDatasetGridAsksOnlyForVisibleCellsAndDropsThemOnScroll()
    {
        const FullDataset& data = full();
        if (!data.skipReason.isEmpty())
            QSKIP(qPrintable(data.skipReason));
        auto view = makeView(cache_.filePath("full"));
        cassava::ui::ThumbnailLoader* loader = view->thumbnailLoader();
        loader->setPaused(true);  // so the queue can be compared with what is on screen
        view->show();
        view->setDataset(openDataset(data.root));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QListView* grid = view->grid();

        auto queuedRows = [&] {
            std::set<int> rows;
            for (const QString& path : loader->queuedPaths())
                rows.insert(view->proxy()->mapFromSource(view->model()->index(view->model()->rowOfPath(path))).row());
            return rows;
        };
        // Once layout settled, the queue holds exactly the cells on screen.
        QVERIFY(QTest::qWaitFor([&] { return loader->queuedCount() > 0 && queuedRows() == visibleRowsBruteForce(*grid); },
                                waitMs));
        const std::set<int> top = visibleRowsBruteForce(*grid);
        QVERIFY(top.size() >= 12 && top.size() < 200);
        // Nearest the centre first.
        const QPointF centre = QRectF(grid->viewport()->rect()).center();
        auto distance = [&](int row) {
            const QPointF d = QRectF(grid->visualRect(view->proxy()->index(row, 0))).center() - centre;
            return d.x() * d.x() + d.y() * d.y();
        };
        const QStringList order = loader->queuedPaths();
        double previous = -1;
        for (const QString& path : order) {
            const int row = view->proxy()->mapFromSource(view->model()->index(view->model()->rowOfPath(path))).row();
            QVERIFY(distance(row) >= previous);
            previous = distance(row);
        }
        const auto ordered = cassava::ui::visibleIndexesByDistanceToCentre(grid);
        QCOMPARE(static_cast<size_t>(ordered.size()), top.size());

        // Scroll to the middle: the top's requests are dropped, the middle's queued.
        grid->verticalScrollBar()->setValue(grid->verticalScrollBar()->maximum() / 2);
        QVERIFY(QTest::qWaitFor([&] { return queuedRows() == visibleRowsBruteForce(*grid); }, waitMs));
        const std::set<int> middle = visibleRowsBruteForce(*grid);
        QVERIFY(*middle.begin() > *top.rbegin());
        QVERIFY(*middle.begin() > 10000);

        std::vector<Qt::HANDLE> producers;
        connect(loader, &cassava::ui::ThumbnailLoader::thumbnailReady, this,
                [&](const ThumbnailResult& r) { producers.push_back(r.producerThread); });
        loader->setPaused(false);
        QVERIFY(waitThumbnails(*view));
        QCOMPARE(producers.size(), middle.size());
        for (Qt::HANDLE h : producers)
            QVERIFY(h != QThread::currentThreadId());
        QCOMPARE(static_cast<size_t>(view->thumbnailCache()->count()), middle.size());
        for (int row : middle)
            QCOMPARE(view->model()->state(view->proxy()->mapToSource(view->proxy()->index(row, 0)).row()),
                     ImageState::Ok);
        // The class toggles count the whole dataset.
        QCOMPARE(view->filterBar()->classButton(3)->text(), QStringLiteral("CMD  ") + QLocale().toString(13158));
    }
};

QTEST_MAIN(TestDatasetScale)
#include "test_ui_dataset_scale.moc"
