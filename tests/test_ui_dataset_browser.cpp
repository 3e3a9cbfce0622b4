// The dataset browser as a curator meets it: open a folder and see every row of train.csv as a
// thumbnail, missing and unreadable photos marked; filter by class, problem and id; sort by id,
// label or a run's predictions; look at a photo large, zoom, move on with the arrow keys.
// (test_ui_dataset_scale does the same at the full competition's 21,397 rows.)
#include "TestSupport.h"
#include "DatasetViewSupport.h"

#include "ClassCountChart.h"
#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetFilterBar.h"
#include "DatasetPreview.h"
#include "DatasetView.h"
#include "ImagePreview.h"
#include "ThumbnailCache.h"
#include "ThumbnailLoader.h"

#include "Dataset.h"

#include <QApplication>
#include <QComboBox>
#include <QListView>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QWheelEvent>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <qcustomplot.h>

#include <array>
#include <cmath>

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


std::string encodeJpeg(int width, int height, int shade)
{
    cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(40, 100 + shade, 60));
    cv::rectangle(bgr, cv::Rect(0, 0, width / 2, height / 3), cv::Scalar(200, 40, 40), cv::FILLED);
    std::vector<uchar> bytes;
    cv::imencode(".jpg", bgr, bytes);
    return std::string(bytes.begin(), bytes.end());
}

// A JPEG APP1 segment whose IFD0 holds one Orientation entry (little-endian TIFF).
std::string exifOrientation(int orientation)
{
    auto u16 = [](int v) { return std::string{char(v & 0xFF), char(v >> 8)}; };
    auto u32 = [&](int v) { return u16(v) + u16(0); };
    const std::string tiff = "II" + u16(42) + u32(8) + u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) +
                             u16(0) + u32(0);
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const size_t length = payload.size() + 2;
    return std::string{'\xFF', '\xE1', char(length >> 8), char(length & 0xFF)} + payload;
}

void writeBytes(const QString& path, const std::string& bytes)
{
    testsupport::writeText(path, QByteArray(bytes.data(), static_cast<int>(bytes.size())));
}

// A small Kaggle-layout folder: two photos per class, a text file named .jpg (class 1), a JPEG
// cut in half (class 3), a photo stored 160x120 with EXIF orientation 6 (shown 120x160, class
// 4), and a row whose photo does not exist (class 2).
struct Planted {
    QString root;
    std::array<int, 5> rowsPerClass{};  // every row of train.csv, the missing one included
    QStringList goodIds;
};

Planted plant(const QString& root)
{
    Planted p;
    p.root = root;
    QByteArray csv = "image_id,label\n";
    auto add = [&](const QString& id, int label) {
        csv += id.toUtf8() + ',' + QByteArray::number(label) + '\n';
        ++p.rowsPerClass[static_cast<size_t>(label)];
    };
    for (int label = 0; label < 5; ++label)
        for (int i = 0; i < 2; ++i) {
            const QString id = QStringLiteral("leaf_%1_%2.jpg").arg(label).arg(i);
            writeBytes(root + "/train_images/" + id, encodeJpeg(200, 150, label * 30 + i * 10));
            add(id, label);
            p.goodIds << id;
        }
    testsupport::writeText(root + "/train_images/notes.jpg", "these are field notes, not a photo");
    add("notes.jpg", 1);
    const std::string whole = encodeJpeg(200, 150, 99);
    writeBytes(root + "/train_images/half.jpg", whole.substr(0, whole.size() / 2));
    add("half.jpg", 3);
    const std::string plain = encodeJpeg(160, 120, 50);
    writeBytes(root + "/train_images/turned.jpg", plain.substr(0, 2) + exifOrientation(6) + plain.substr(2));
    add("turned.jpg", 4);
    add("gone.jpg", 2);
    testsupport::writeText(root + "/train.csv", csv);
    return p;
}


}  // namespace

class TestDatasetBrowser : public QObject {
    Q_OBJECT

    QTemporaryDir cache_;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyRowOfTrainCsvIsARowMissingOnesLast()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        const auto dataset = openDataset(p.root);
        QCOMPARE(static_cast<int>(dataset->samples().size()), 13);  // core leaves the missing row out

        DatasetBrowserModel model;
        model.setDataset(dataset);
        QCOMPARE(model.rowCount(), 14);
        QCOMPARE(model.sampleCount(), 13);
        QCOMPARE(model.missingCount(), 1);
        QCOMPARE(model.unreadableCount(), 0);  // not known before a thumbnail is tried
        const int gone = model.rowOfImage("gone.jpg");
        QCOMPARE(gone, 13);
        QCOMPARE(model.state(gone), ImageState::Missing);
        QCOMPARE(model.label(gone), 2);
        QVERIFY2(model.error(gone).contains("train_images/gone.jpg"), qPrintable(model.error(gone)));
        QVERIFY(!model.needsThumbnail(gone));
        const QModelIndex first = model.index(0);
        QCOMPARE(first.data(Qt::DisplayRole).toString(), QStringLiteral("leaf_0_0.jpg"));
        QCOMPARE(first.data(DatasetBrowserModel::PathRole).toString(), p.root + "/train_images/leaf_0_0.jpg");
        QCOMPARE(model.state(0), ImageState::Unchecked);
        QVERIFY(model.needsThumbnail(0));
        QVERIFY(first.data(Qt::ToolTipRole).toString().contains("Cassava Bacterial Blight"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void filtersCountAndSortTheSmallDataset()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        DatasetBrowserModel model;
        model.setDataset(openDataset(p.root));
        DatasetBrowserFilter proxy;
        proxy.setBrowserModel(&model);
        QCOMPARE(proxy.rowCount(), 14);
        const std::vector<int> counts = proxy.classCounts();
        QCOMPARE(static_cast<int>(counts.size()), 5);
        for (int c = 0; c < 5; ++c)
            QCOMPARE(counts[static_cast<size_t>(c)], p.rowsPerClass[static_cast<size_t>(c)]);

        proxy.setClassShown(3, false);
        QCOMPARE(proxy.rowCount(), 14 - p.rowsPerClass[3]);
        QCOMPARE(proxy.classCounts()[3], p.rowsPerClass[3]);  // what ticking it again would show
        proxy.showAllClasses();

        proxy.setProblemFilter(ProblemFilter::Missing);
        QCOMPARE(proxyIds(proxy), QStringList{"gone.jpg"});
        QCOMPARE(proxy.classCounts(), (std::vector<int>{0, 0, 1, 0, 0}));
        proxy.setProblemFilter(ProblemFilter::All);

        proxy.setSearchText("LEAF_4");
        QCOMPARE(proxyIds(proxy), (QStringList{"leaf_4_0.jpg", "leaf_4_1.jpg"}));
        proxy.setSearchText("");

        proxy.setSortKey(SortKey::Label);
        int last = -1;
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const int label = proxy.index(r, 0).data(DatasetBrowserModel::LabelRole).toInt();
            QVERIFY(label >= last);
            last = label;
        }
        proxy.setSortKey(SortKey::ImageId, Qt::DescendingOrder);
        const QStringList ids = proxyIds(proxy);
        QStringList sorted = ids;
        std::sort(sorted.begin(), sorted.end(), std::greater<QString>());
        QCOMPARE(ids, sorted);
        QCOMPARE(ids.first(), QStringList{"turned.jpg"}.first());
    }

    void idsSortAsPeopleReadThem()
    {
        using cassava::ui::compareNatural;
        QVERIFY(compareNatural(u"107350755.jpg", u"1072326766.jpg") < 0);  // fewer digits, smaller number
        QVERIFY(compareNatural(u"9.jpg", u"10.jpg") < 0);
        QVERIFY(compareNatural(u"leaf_2_10.jpg", u"leaf_2_9.jpg") > 0);
        QVERIFY(compareNatural(u"a.jpg", u"b.jpg") < 0);
        QVERIFY(compareNatural(u"img7", u"img7b") < 0);
        QCOMPARE(compareNatural(u"x12.png", u"x12.png"), 0);
        QVERIFY(compareNatural(u"007.jpg", u"7.jpg") != 0);  // distinct ids never tie
        QCOMPARE(compareNatural(u"007.jpg", u"7.jpg"), -compareNatural(u"7.jpg", u"007.jpg"));
    }

    void gridMarksMissingAndUnreadablePhotos()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        auto view = makeView(cache_.filePath("small"));
        std::vector<Qt::HANDLE> producers;
        connect(view->thumbnailLoader(), &cassava::ui::ThumbnailLoader::thumbnailReady, this,
                [&](const ThumbnailResult& r) { producers.push_back(r.producerThread); });
        view->show();
        view->setDataset(openDataset(p.root));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QVERIFY(waitThumbnails(*view));

        const DatasetBrowserModel& model = *view->model();
        QCOMPARE(static_cast<int>(producers.size()), 13);  // every photo with a file, once
        for (Qt::HANDLE h : producers)
            QVERIFY2(h != QThread::currentThreadId(), "a thumbnail was made on the GUI thread");
        for (const QString& id : p.goodIds + QStringList{"turned.jpg"})
            QCOMPARE(model.state(model.rowOfImage(id)), ImageState::Ok);
        QCOMPARE(model.state(model.rowOfImage("notes.jpg")), ImageState::Unreadable);
        QCOMPARE(model.state(model.rowOfImage("half.jpg")), ImageState::Unreadable);
        QVERIFY2(model.error(model.rowOfImage("notes.jpg")).startsWith("train_images/notes.jpg"),
                 qPrintable(model.error(model.rowOfImage("notes.jpg"))));
        QCOMPARE(model.unreadableCount(), 2);
        QVERIFY(model.index(0).data(Qt::DecorationRole).value<QPixmap>().width() > 0);
        QVERIFY(model.index(model.rowOfImage("half.jpg")).data(Qt::DecorationRole).isNull());

        // The problem menu counts them once the counts refresh.
        QVERIFY(QTest::qWaitFor([&] { return view->filterBar()->problemBox()->itemText(3).contains("(2)"); }, waitMs));
        QVERIFY(view->filterBar()->problemBox()->itemText(1).contains("(3)"));
        view->filterBar()->setProblemFilter(ProblemFilter::AnyProblem);
        QCOMPARE(view->proxy()->rowCount(), 3);
        QCOMPARE(view->filterBar()->shownText(), QStringLiteral("Showing 3 of 14"));
        // A cell paints its marker without a thumbnail (and without crashing).
        const QImage shot = view->grid()->viewport()->grab().toImage();
        QVERIFY(!shot.isNull());
    }

    void previewShowsThePhotoOrientedWithItsLabelSizeAndFormat()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        auto view = makeView(cache_.filePath("preview"));
        view->show();
        view->setDataset(openDataset(p.root));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));

        view->selectImage("turned.jpg");
        QCOMPARE(view->currentImageId(), QStringLiteral("turned.jpg"));
        auto* preview = view->preview();
        QVERIFY(QTest::qWaitFor([&] { return !preview->isLoading() && preview->infoText() != "Loading…"; }, waitMs));
        QCOMPARE(preview->titleText(), QStringLiteral("turned.jpg"));
        QVERIFY2(preview->labelText().contains("Healthy"), qPrintable(preview->labelText()));
        QVERIFY2(preview->infoText().contains("120 × 160 px") && preview->infoText().contains("JPEG"),
                 qPrintable(preview->infoText()));
        QVERIFY(preview->infoText().contains("EXIF orientation 6"));
        cassava::ui::ImagePreview* image = preview->image();
        QCOMPARE(image->imageSize(), QSize(120, 160));
        QVERIFY(!image->showsStandIn());

        // Zoom: fit, 100 %, the wheel about the cursor, double-click back to fit.
        QVERIFY(image->isFitted());
        const double fitted = image->zoom();
        QVERIFY(fitted > 1.0);  // a small photo fills the panel
        image->showActualSize();
        QVERIFY(!image->isFitted());
        QCOMPARE(image->zoom(), 1.0 / image->devicePixelRatioF());
        const QPointF centre = QRectF(image->rect()).center();
        QWheelEvent wheel(centre, image->mapToGlobal(centre), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(image, &wheel);
        QVERIFY(image->zoom() > 1.2 / image->devicePixelRatioF());
        // Dragging pans a photo larger than the panel, and only as far as its edges.
        for (int i = 0; i < 12; ++i)
            image->zoomIn();
        QVERIFY(image->imageSize().height() * image->zoom() > image->height());
        const QPointF before = image->imageOffset();
        const QPoint grab = centre.toPoint(), to = grab + QPoint(40, 30);
        QTest::mousePress(image, Qt::LeftButton, {}, grab);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), image->mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(image, &move);
        QTest::mouseRelease(image, Qt::LeftButton, {}, to);
        QCOMPARE(image->imageOffset(), before + QPointF(40, 30));
        QTest::mousePress(image, Qt::LeftButton, {}, QPoint(0, 0));
        QMouseEvent away(QEvent::MouseMove, QPointF(5000, 5000), image->mapToGlobal(QPointF(5000, 5000)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(image, &away);
        QTest::mouseRelease(image, Qt::LeftButton, {}, QPoint(0, 0));
        QCOMPARE(image->imageOffset(), QPointF(0, 0));  // the top-left corner stops at the panel's
        QTest::mouseDClick(image, Qt::LeftButton, {}, centre.toPoint());
        QVERIFY(image->isFitted());
        QCOMPARE(image->zoom(), fitted);

        view->selectImage("notes.jpg");
        QVERIFY(QTest::qWaitFor([&] { return preview->infoText().contains("Unreadable"); }, waitMs));
        QVERIFY(preview->infoText().contains("notes.jpg"));
        QVERIFY(!image->hasImage());
        view->selectImage("gone.jpg");
        QVERIFY(preview->infoText().contains("Missing"));
    }

    void arrowKeysMoveThroughTheGrid()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        auto view = makeView(cache_.filePath("keys"));
        view->show();
        view->setDataset(openDataset(p.root));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        const QStringList ids = proxyIds(*view->proxy());
        QCOMPARE(view->currentImageId(), ids[0]);  // the first photo is shown at once
        view->grid()->setFocus();
        QTest::keyClick(view->grid(), Qt::Key_Right);
        QCOMPARE(view->currentImageId(), ids[1]);
        QCOMPARE(view->preview()->titleText(), ids[1]);
        // From the preview too: the keys go to the grid.
        QTest::keyClick(view->preview()->image(), Qt::Key_Right);
        QCOMPARE(view->currentImageId(), ids[2]);
        QTest::keyClick(view->grid(), Qt::Key_Left);
        QCOMPARE(view->currentImageId(), ids[1]);
        // Down moves a whole row of the grid.
        int columns = 0;
        const int firstTop = view->grid()->visualRect(view->proxy()->index(0, 0)).top();
        while (view->grid()->visualRect(view->proxy()->index(columns, 0)).top() == firstTop)
            ++columns;
        QVERIFY(columns >= 4);  // the cells fill the width of the grid
        QVERIFY2(view->grid()->gridSize().width() * (columns + 1) > view->grid()->viewport()->width() - 20,
                 qPrintable(QString("%1 columns of %2 in %3").arg(columns).arg(view->grid()->gridSize().width()).arg(view->grid()->viewport()->width())));
        QTest::keyClick(view->grid(), Qt::Key_Down);
        QCOMPARE(view->currentImageId(), ids[1 + columns]);
    }

    void aRunsPredictionsSortByConfidenceAndLoss()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        // Predictions for four photos; the others (and the missing row) have none.
        QByteArray oof = "image_id,label,fold,p0,p1,p2,p3,p4\n";
        oof += "leaf_0_0.jpg,0,0,0.9,0.025,0.025,0.025,0.025\n";   // right, confident
        oof += "leaf_0_1.jpg,0,1,0.1,0.6,0.1,0.1,0.1\n";           // wrong: CBSD
        oof += "leaf_3_0.jpg,3,0,0.2,0.2,0.2,0.3,0.1\n";           // right, unsure
        oof += "leaf_4_1.jpg,4,1,0.05,0.05,0.05,0.8,0.05\n";       // wrong: CMD, high loss
        oof += "not_in_dataset.jpg,1,0,0.2,0.2,0.2,0.2,0.2\n";
        testsupport::writeText(dir.filePath("run/oof.csv"), oof);

        auto view = makeView(cache_.filePath("run"));
        view->setDataset(openDataset(p.root));
        QSignalSpy loaded(view.get(), &DatasetView::runLoaded);
        view->setRun(dir.filePath("run"));
        QVERIFY(loaded.wait(waitMs));
        QCOMPARE(loaded.first().at(1).toInt(), 4);
        const DatasetBrowserModel& model = *view->model();
        const int wrong = model.rowOfImage("leaf_4_1.jpg");
        QCOMPARE(model.predicted(wrong), 3);
        QCOMPARE(model.confidence(wrong), 0.8f);
        QVERIFY(std::abs(model.loss(wrong) - static_cast<float>(-std::log(0.05))) < 1e-5f);
        QVERIFY(std::isnan(model.confidence(model.rowOfImage("leaf_1_0.jpg"))));

        auto* bar = view->filterBar();
        bar->setSort(SortKey::Confidence, Qt::AscendingOrder);
        QStringList ids = proxyIds(*view->proxy());
        QCOMPARE(ids.mid(0, 4), (QStringList{"leaf_3_0.jpg", "leaf_0_1.jpg", "leaf_4_1.jpg", "leaf_0_0.jpg"}));
        bar->setSort(SortKey::Loss, Qt::DescendingOrder);
        ids = proxyIds(*view->proxy());
        QCOMPARE(ids.first(), QStringLiteral("leaf_4_1.jpg"));
        QCOMPARE(ids.mid(0, 4), (QStringList{"leaf_4_1.jpg", "leaf_0_1.jpg", "leaf_3_0.jpg", "leaf_0_0.jpg"}));
        // Photos without a prediction stay last in both orders.
        QCOMPARE(ids.size(), 14);
        for (int r = 4; r < ids.size(); ++r)
            QVERIFY(std::isnan(model.loss(model.rowOfImage(ids[r]))));
        bar->setSort(SortKey::Predicted, Qt::AscendingOrder);
        ids = proxyIds(*view->proxy());
        QCOMPARE(ids.mid(0, 4), (QStringList{"leaf_0_0.jpg", "leaf_0_1.jpg", "leaf_4_1.jpg", "leaf_3_0.jpg"}));

        view->selectImage("leaf_4_1.jpg");
        QVERIFY2(view->preview()->predictionText().contains("CMD") &&
                     view->preview()->predictionText().contains("disagrees"),
                 qPrintable(view->preview()->predictionText()));

        // A run without oof.csv says so; the sorts by prediction go away.
        QSignalSpy failed(view.get(), &DatasetView::runFailed);
        view->setRun(dir.filePath("empty_run"));
        QVERIFY(failed.wait(waitMs));
        QVERIFY2(failed.first().at(1).toString().contains("oof.csv"), qPrintable(failed.first().at(1).toString()));
        QCOMPARE(bar->sortKey(), SortKey::ImageId);
        QVERIFY(!view->model()->hasPredictions());
    }

    void filtersSortAndTabSurviveSaveAndRestore()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        QByteArray state;
        {
            auto view = makeView(cache_.filePath("state"));
            view->setDataset(openDataset(p.root));
            view->filterBar()->setClassShown(1, false);
            view->filterBar()->setSearchText("leaf");
            view->filterBar()->setSort(SortKey::Label, Qt::DescendingOrder);
            view->tabs()->setCurrentIndex(DatasetView::OverviewTab);
            QCOMPARE(view->proxy()->rowCount(), 8);  // ten leaf_ photos, two of class 1
            state = view->saveState();
        }
        // Restored before any dataset is open, as at start-up.
        auto view = makeView(cache_.filePath("state"));
        view->restoreState(state);
        view->setDataset(openDataset(p.root));
        QCOMPARE(view->tabs()->currentIndex(), static_cast<int>(DatasetView::OverviewTab));
        QVERIFY(!view->filterBar()->isClassShown(1));
        QVERIFY(!view->proxy()->isClassShown(1));
        QCOMPARE(view->filterBar()->searchText(), QStringLiteral("leaf"));
        QCOMPARE(view->proxy()->sortKey(), SortKey::Label);
        QCOMPARE(view->proxy()->sortOrder(), Qt::DescendingOrder);
        QCOMPARE(view->proxy()->rowCount(), 8);
        QCOMPARE(view->proxy()->index(0, 0).data(DatasetBrowserModel::LabelRole).toInt(), 4);
        view->restoreState("garbage");  // ignored, nothing breaks
        QCOMPARE(view->proxy()->rowCount(), 8);

        // Selecting a hidden photo clears the filters that hide it.
        view->selectImage("notes.jpg");
        QCOMPARE(view->currentImageId(), QStringLiteral("notes.jpg"));
        QCOMPARE(view->tabs()->currentIndex(), static_cast<int>(DatasetView::BrowseTab));
        QVERIFY(view->filterBar()->isClassShown(1));
        QCOMPARE(view->proxy()->rowCount(), 14);
    }

    void thumbnailBudgetIsTheUsersSetting()
    {
        QTemporaryDir dir;
        const Planted p = plant(dir.path());
        auto view = makeView(cache_.filePath("budget"));
        view->show();
        view->setDataset(openDataset(p.root));
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QVERIFY(waitThumbnails(*view));
        QCOMPARE(view->thumbnailCache()->count(), 11);  // every readable photo
        const qint64 one = view->thumbnailCache()->bytes() / 11;
        view->setThumbnailCacheBytes(4 * one + one / 2);
        QVERIFY(view->thumbnailCache()->bytes() <= view->thumbnailCache()->budget());
        QCOMPARE(view->thumbnailCache()->count(), 4);
        QVERIFY(view->thumbnailCache()->evictions() >= 7);
    }

};

QTEST_MAIN(TestDatasetBrowser)
#include "test_ui_dataset_browser.moc"
