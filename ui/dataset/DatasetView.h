#pragma once
// The Dataset page: a browser of the dataset's photos (a filterable, sortable thumbnail grid, a
// large zoomable preview, the class histogram) and, as a second tab, the overview (summary and
// problems). Thumbnails are asked for only for the cells on screen, nearest to the centre first,
// and made on worker threads (ThumbnailLoader); the preview decodes on a worker too. Nothing here
// blocks the event loop for longer than building the list of rows (milliseconds at 21,397).
#include <QWidget>

#include <memory>
#include <vector>

class QListView;
class QSplitter;
class QTabWidget;
class QTimer;

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class ClassCountChart;
class DatasetBrowserFilter;
class DatasetBrowserModel;
class DatasetFilterBar;
class DatasetGridDelegate;
class DatasetOverview;
class DatasetPreview;
class ThumbnailCache;
class ThumbnailLoader;
struct RunPredictions;

class DatasetView : public QWidget {
    Q_OBJECT
public:
    enum Tab { BrowseTab, OverviewTab };

    explicit DatasetView(QWidget* parent = nullptr);
    ~DatasetView() override;

    void setDataset(std::shared_ptr<const cassava::Dataset> dataset);  // browser + overview
    void setUnreadable(const QString& root, const QString& reason);   // forwards to the overview
    void clear();
    const cassava::Dataset* dataset() const { return dataset_.get(); }
    // "" = none. Reads RUN/oof.csv on a worker thread; sorting by predicted class, confidence and
    // loss becomes available when it arrives (runLoaded).
    void setRun(const QString& runDir);
    QString runDir() const { return runDir_; }
    void setThumbnailCacheBytes(qint64 bytes);  // the in-memory LRU budget (a user setting)
    DatasetOverview* overview() const { return overview_; }
    QByteArray saveState() const;  // splitter sizes, filters, sort, current tab
    void restoreState(const QByteArray& state);
    // Selects the photo in the grid (clearing filters that hide it) and shows it in the preview.
    void selectImage(const QString& imageId);
    // Only the photos of a confusion-matrix cell (the Results view's ids from oof.csv), most
    // confident first, the other filters cleared; the filter bar names the cell until cleared.
    void showConfusionCell(int given, int predicted, const QStringList& imageIds);
    void clearConfusionCell();

    // The parts, for the main window's actions and for tests.
    QTabWidget* tabs() const { return tabs_; }
    QListView* grid() const { return grid_; }
    DatasetBrowserModel* model() const { return model_; }
    DatasetBrowserFilter* proxy() const { return proxy_; }
    DatasetFilterBar* filterBar() const { return filterBar_; }
    DatasetPreview* preview() const { return preview_; }
    ClassCountChart* chart() const { return chart_; }
    ThumbnailLoader* thumbnailLoader() const { return loader_; }
    ThumbnailCache* thumbnailCache() const { return cache_.get(); }
    QString currentImageId() const;
    bool isRunLoading() const { return runRequest_ != runApplied_; }

signals:
    void runLoaded(const QString& runDir, int matched);
    void runFailed(const QString& runDir, const QString& reason);
    void currentImageChanged(const QString& imageId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildBrowser(QWidget* page);
    void scheduleThumbnails();
    void fitColumns();
    void requestVisibleThumbnails();
    void filtersChanged();
    void updateCounts();
    void showCurrent();
    void loadRun();
    void applyRun(quint64 request, const RunPredictions& predictions);
    int thumbnailPixels() const;

    std::shared_ptr<const Dataset> dataset_;
    QString runDir_;
    quint64 runRequest_ = 0;
    quint64 runApplied_ = 0;
    std::vector<bool> pendingHiddenClasses_;  // from restoreState(), for the next dataset

    std::unique_ptr<ThumbnailCache> cache_;
    ThumbnailLoader* loader_ = nullptr;
    DatasetBrowserModel* model_ = nullptr;
    DatasetBrowserFilter* proxy_ = nullptr;
    DatasetGridDelegate* delegate_ = nullptr;

    QTabWidget* tabs_ = nullptr;
    QSplitter* split_ = nullptr;  // grid | side
    QSplitter* side_ = nullptr;   // preview over histogram
    DatasetFilterBar* filterBar_ = nullptr;
    QListView* grid_ = nullptr;
    DatasetPreview* preview_ = nullptr;
    ClassCountChart* chart_ = nullptr;
    DatasetOverview* overview_ = nullptr;
    QTimer* thumbnailTimer_ = nullptr;
    QTimer* countsTimer_ = nullptr;
};

}  // namespace cassava::ui
