#include "DatasetView.h"

#include "ClassCountChart.h"
#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetFilterBar.h"
#include "DatasetGridDelegate.h"
#include "DatasetOverview.h"
#include "DatasetPreview.h"
#include "ImagePreview.h"
#include "RunPredictions.h"
#include "ThumbnailCache.h"
#include "ThumbnailLoader.h"
#include "VisibleItems.h"

#include "Dataset.h"

#include <QAction>
#include <QCoreApplication>
#include <QDataStream>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QFutureWatcher>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

namespace {

constexpr quint32 stateMagic = 0x43445356;  // "CDSV"
constexpr quint16 stateVersion = 1;
constexpr int thumbnailWidth = 144;  // device-independent pixels; the longest side of a thumbnail

QFrame* card(QWidget* parent)
{
    auto* frame = new QFrame(parent);
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(QPalette::Base);
    frame->setFrameShape(QFrame::StyledPanel);
    return frame;
}

}  // namespace

DatasetView::DatasetView(QWidget* parent)
    : QWidget(parent),
      cache_(std::make_unique<ThumbnailCache>()),
      loader_(new ThumbnailLoader(this)),
      model_(new DatasetBrowserModel(this)),
      proxy_(new DatasetBrowserFilter(this)),
      delegate_(new DatasetGridDelegate(this)),
      tabs_(new QTabWidget(this)),
      overview_(new DatasetOverview),
      thumbnailTimer_(new QTimer(this)),
      countsTimer_(new QTimer(this))
{
    model_->setThumbnailCache(cache_.get());
    proxy_->setBrowserModel(model_);
    delegate_->setThumbnailWidth(thumbnailWidth);
    delegate_->setLabels(&model_->labels());

    auto* browse = new QWidget;
    buildBrowser(browse);
    tabs_->setDocumentMode(true);
    tabs_->addTab(browse, tr("Browse"));
    tabs_->addTab(overview_, tr("Overview"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs_);

    // Scrolling fires many events; one request per event-loop turn is enough and drops the
    // cells scrolled past before a worker touches them.
    thumbnailTimer_->setSingleShot(true);
    thumbnailTimer_->setInterval(0);
    connect(thumbnailTimer_, &QTimer::timeout, this, &DatasetView::requestVisibleThumbnails);
    countsTimer_->setSingleShot(true);
    countsTimer_->setInterval(150);
    connect(countsTimer_, &QTimer::timeout, this, [this] {
        if (proxy_->problemFilter() != DatasetBrowserFilter::ProblemFilter::All)
            proxy_->refilter();
        updateCounts();
    });

    connect(loader_, &ThumbnailLoader::thumbnailReady, this, [this](ThumbnailResult result) {
        if (result.ok())
            result.image.setDevicePixelRatio(static_cast<qreal>(result.size) / thumbnailWidth);
        model_->applyThumbnail(result);
    });
    connect(model_, &DatasetBrowserModel::problemCountsChanged, countsTimer_, qOverload<>(&QTimer::start));
    connect(tabs_, &QTabWidget::currentChanged, this, &DatasetView::scheduleThumbnails);
}

// The cache goes before the child objects that point to it (model, grid) are deleted.
DatasetView::~DatasetView() { model_->setThumbnailCache(nullptr); }

void DatasetView::buildBrowser(QWidget* page)
{
    filterBar_ = new DatasetFilterBar(page);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        filterBar_->searchField()->setFocus(Qt::ShortcutFocusReason);
        filterBar_->searchField()->selectAll();
    });
    addAction(find);
    grid_ = new QListView(page);
    grid_->setViewMode(QListView::IconMode);
    grid_->setMovement(QListView::Static);
    grid_->setResizeMode(QListView::Adjust);
    grid_->setUniformItemSizes(true);
    grid_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    grid_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    grid_->setItemDelegate(delegate_);
    grid_->setGridSize(delegate_->cellSize(grid_->font()));
    grid_->setMouseTracking(true);
    grid_->setWordWrap(false);
    grid_->setModel(proxy_);
    grid_->verticalScrollBar()->setSingleStep(grid_->gridSize().height() / 3);
    grid_->viewport()->installEventFilter(this);

    connect(grid_->verticalScrollBar(), &QScrollBar::valueChanged, this, &DatasetView::scheduleThumbnails);
    connect(grid_->selectionModel(), &QItemSelectionModel::currentChanged, this, &DatasetView::showCurrent);
    connect(proxy_, &QAbstractItemModel::modelReset, this, &DatasetView::scheduleThumbnails);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, &DatasetView::scheduleThumbnails);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &DatasetView::scheduleThumbnails);
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &DatasetView::scheduleThumbnails);

    connect(filterBar_, &DatasetFilterBar::searchChanged, this, [this](const QString& text) {
        proxy_->setSearchText(text);
        filtersChanged();
    });
    connect(filterBar_, &DatasetFilterBar::classToggled, this, [this](int label, bool shown) {
        proxy_->setClassShown(label, shown);
        filtersChanged();
    });
    connect(filterBar_, &DatasetFilterBar::problemFilterChanged, this, [this](DatasetBrowserFilter::ProblemFilter f) {
        proxy_->setProblemFilter(f);
        filtersChanged();
    });
    connect(filterBar_, &DatasetFilterBar::sortChanged, this,
            [this](DatasetBrowserFilter::SortKey key, Qt::SortOrder order) {
                proxy_->setSortKey(key, order);
                filtersChanged();
            });

    connect(filterBar_, &DatasetFilterBar::confusionCellCleared, this, &DatasetView::clearConfusionCell);

    preview_ = new DatasetPreview;
    preview_->setModel(model_);
    preview_->image()->installEventFilter(this);
    connect(preview_, &DatasetPreview::photoUnreadable, model_, &DatasetBrowserModel::markUnreadable);

    chart_ = new ClassCountChart;
    auto* chartCard = card(page);
    auto* chartLayout = new QVBoxLayout(chartCard);
    chartLayout->setContentsMargins(10, 8, 10, 6);
    chartLayout->setSpacing(2);
    auto* chartTitle = new QLabel(tr("<b>Images per class</b> (as filtered)"), chartCard);
    chartLayout->addWidget(chartTitle);
    chartLayout->addWidget(chart_, 1);

    auto* previewCard = card(page);
    auto* previewLayout = new QVBoxLayout(previewCard);
    previewLayout->setContentsMargins(10, 8, 10, 10);
    previewLayout->addWidget(preview_);

    side_ = new QSplitter(Qt::Vertical, page);
    side_->addWidget(previewCard);
    side_->addWidget(chartCard);
    side_->setStretchFactor(0, 3);
    side_->setStretchFactor(1, 1);
    side_->setChildrenCollapsible(false);

    auto* left = new QWidget(page);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(6);
    leftLayout->addWidget(filterBar_);
    leftLayout->addWidget(grid_, 1);

    split_ = new QSplitter(Qt::Horizontal, page);
    split_->addWidget(left);
    split_->addWidget(side_);
    split_->setStretchFactor(0, 3);
    split_->setStretchFactor(1, 2);
    split_->setChildrenCollapsible(false);
    split_->setHandleWidth(10);

    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(10, 10, 10, 10);
    layout->addWidget(split_);
}

void DatasetView::setDataset(std::shared_ptr<const Dataset> dataset)
{
    if (!dataset) {
        clear();
        return;
    }
    dataset_ = std::move(dataset);
    loader_->cancelAll();
    preview_->clear();
    overview_->setDataset(dataset_);
    model_->setDataset(dataset_);  // a new dataset clears the proxy's confusion cell
    filterBar_->setConfusionCell({});
    filterBar_->setClasses(model_->labels());
    if (pendingHiddenClasses_.size() == static_cast<size_t>(model_->classCount()))
        for (int label = 0; label < model_->classCount(); ++label)
            filterBar_->setClassShown(label, !pendingHiddenClasses_[static_cast<size_t>(label)]);
    pendingHiddenClasses_.clear();
    filterBar_->setRunAvailable(false);
    updateCounts();
    if (!dataset_->usable())
        tabs_->setCurrentIndex(OverviewTab);
    if (proxy_->rowCount() > 0)
        grid_->selectionModel()->setCurrentIndex(proxy_->index(0, 0), QItemSelectionModel::ClearAndSelect);
    scheduleThumbnails();
    if (!runDir_.isEmpty())
        loadRun();
}

void DatasetView::setUnreadable(const QString& root, const QString& reason)
{
    clear();
    overview_->setUnreadable(root, reason);
    tabs_->setCurrentIndex(OverviewTab);
}

void DatasetView::clear()
{
    dataset_.reset();
    ++runRequest_;
    runApplied_ = runRequest_;
    loader_->cancelAll();
    preview_->clear();
    model_->clear();
    filterBar_->setConfusionCell({});
    overview_->clear();
    filterBar_->setClasses(LabelMap{});
    filterBar_->setRunAvailable(false);
    updateCounts();
}

void DatasetView::setRun(const QString& runDir)
{
    if (runDir != runDir_)
        clearConfusionCell();  // another run's cell
    runDir_ = runDir;
    if (runDir_.isEmpty()) {
        ++runRequest_;
        runApplied_ = runRequest_;
        model_->setPredictions({});
        filterBar_->setRunAvailable(false);
        preview_->refreshPrediction();
        return;
    }
    if (dataset_)
        loadRun();
}

void DatasetView::loadRun()
{
    const quint64 request = ++runRequest_;
    auto* watcher = new QFutureWatcher<RunPredictions>(this);
    connect(watcher, &QFutureWatcher<RunPredictions>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        applyRun(request, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [dataset = dataset_, runDir = runDir_] { return loadRunPredictions(runDir, *dataset); }));
}

void DatasetView::applyRun(quint64 request, const RunPredictions& predictions)
{
    if (request != runRequest_)
        return;  // another run or dataset came since
    runApplied_ = request;
    const QString name = QFileInfo(predictions.runDir).fileName();
    if (!predictions.ok()) {
        model_->setPredictions({});
        filterBar_->setRunAvailable(false, tr("Run “%1”: no predictions").arg(name));
        filterBar_->setToolTip(predictions.error);
        emit runFailed(predictions.runDir, predictions.error);
        return;
    }
    model_->setPredictions(predictions);
    QString note = tr("Run “%1”: %L2 predictions").arg(name).arg(predictions.matched);
    if (predictions.skipped > 0)
        note += tr(", %L1 bad rows skipped").arg(predictions.skipped);
    filterBar_->setRunAvailable(true, note);
    filterBar_->setToolTip(predictions.firstProblem);
    preview_->refreshPrediction();
    // The rows' predictions changed under the current sort (or a sort chosen before the run
    // arrived came back with setRunAvailable): sort again.
    proxy_->setSortKey(filterBar_->sortKey(), filterBar_->sortOrder());
    filtersChanged();
    emit runLoaded(predictions.runDir, predictions.matched);
}

void DatasetView::setThumbnailCacheBytes(qint64 bytes)
{
    cache_->setBudget(bytes);
    grid_->viewport()->update();
    scheduleThumbnails();
}

QString DatasetView::currentImageId() const
{
    const QModelIndex current = grid_->currentIndex();
    return current.isValid() ? current.data(DatasetBrowserModel::ImageIdRole).toString() : QString();
}

void DatasetView::selectImage(const QString& imageId)
{
    const int row = model_->rowOfImage(imageId);
    if (row < 0)
        return;
    QModelIndex index = proxy_->mapFromSource(model_->index(row));
    if (!index.isValid()) {
        // Hidden by a filter: show everything rather than select something the user cannot see.
        clearConfusionCell();
        filterBar_->setSearchText({});
        filterBar_->setProblemFilter(DatasetBrowserFilter::ProblemFilter::All);
        for (int label = 0; label < model_->classCount(); ++label)
            filterBar_->setClassShown(label, true);
        index = proxy_->mapFromSource(model_->index(row));
    }
    tabs_->setCurrentIndex(BrowseTab);
    grid_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    grid_->scrollTo(index, QAbstractItemView::PositionAtCenter);
    scheduleThumbnails();
}

void DatasetView::showConfusionCell(int given, int predicted, const QStringList& imageIds)
{
    filterBar_->setSearchText({});
    filterBar_->setProblemFilter(DatasetBrowserFilter::ProblemFilter::All);
    for (int label = 0; label < model_->classCount(); ++label)
        filterBar_->setClassShown(label, true);
    proxy_->setConfusionCell(given, predicted, imageIds);
    const LabelMap& labels = model_->labels();
    auto name = [&](int c) {
        return labels.contains(c) ? QString::fromStdString(labels.shortName(c)) : QString::number(c);
    };
    filterBar_->setConfusionCell(tr("Given %1, predicted %2").arg(name(given), name(predicted)));
    // Until the run's predictions arrive the bar keeps this sort and applies it then.
    filterBar_->setSort(DatasetBrowserFilter::SortKey::Confidence, Qt::DescendingOrder);
    tabs_->setCurrentIndex(BrowseTab);
    grid_->selectionModel()->clear();
    filtersChanged();
}

void DatasetView::clearConfusionCell()
{
    filterBar_->setConfusionCell({});
    if (!proxy_->hasConfusionCell())
        return;
    proxy_->clearConfusionCell();
    filtersChanged();
}

void DatasetView::filtersChanged()
{
    updateCounts();
    const QModelIndex current = grid_->currentIndex();
    if (current.isValid())
        grid_->scrollTo(current);
    else if (proxy_->rowCount() > 0)
        grid_->selectionModel()->setCurrentIndex(proxy_->index(0, 0), QItemSelectionModel::ClearAndSelect);
    else
        preview_->clear();
    scheduleThumbnails();
}

void DatasetView::updateCounts()
{
    const std::vector<int> counts = proxy_->classCounts();
    filterBar_->setClassCounts(counts);
    filterBar_->setProblemCounts(proxy_->countWithProblem(DatasetBrowserFilter::ProblemFilter::AnyProblem),
                                 proxy_->countWithProblem(DatasetBrowserFilter::ProblemFilter::Missing),
                                 proxy_->countWithProblem(DatasetBrowserFilter::ProblemFilter::Unreadable));
    filterBar_->setShown(proxy_->rowCount(), model_->rowCount());
    if (model_->classCount() > 0)
        chart_->setCounts(model_->labels(), counts);
    else
        chart_->clear();
}

void DatasetView::showCurrent()
{
    const QModelIndex current = grid_->currentIndex();
    const int row = current.isValid() ? proxy_->mapToSource(current).row() : -1;
    const QPixmap standIn = row >= 0 ? cache_->find(model_->path(row)) : QPixmap();
    preview_->showRow(row, standIn);
    emit currentImageChanged(row >= 0 ? model_->imageId(row).toString() : QString());
}

// Cells widen so the columns fill the grid instead of leaving a strip empty on the right.
void DatasetView::fitColumns()
{
    const QSize cell = delegate_->cellSize(grid_->font());
    const int width = grid_->viewport()->width();
    // QListView lays out as if the vertical scroll bar were there (so showing it never re-wraps)
    // and wraps a row once it would reach the last pixel.
    const int scrollBar = grid_->verticalScrollBar()->isVisible()
                              ? 0
                              : grid_->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, grid_->verticalScrollBar());
    const int usable = width - scrollBar - 1 - 2 * grid_->spacing();
    const int columns = std::max(1, usable / cell.width());
    const QSize grid(std::max(cell.width(), usable / columns), cell.height());
    if (grid != grid_->gridSize())
        grid_->setGridSize(grid);
}

int DatasetView::thumbnailPixels() const
{
    return static_cast<int>(std::lround(thumbnailWidth * grid_->devicePixelRatioF()));
}

void DatasetView::scheduleThumbnails()
{
    if (!thumbnailTimer_->isActive())
        thumbnailTimer_->start();
}

void DatasetView::requestVisibleThumbnails()
{
    // A hidden grid asks for nothing; the photos it would show are no longer wanted.
    if (!grid_->isVisible() || model_->rowCount() == 0) {
        loader_->cancelAll();
        return;
    }
    loader_->setThumbnailSize(thumbnailPixels());
    QList<ThumbnailRequest> requests;
    for (const QModelIndex& index : visibleIndexesByDistanceToCentre(grid_)) {
        const int row = proxy_->mapToSource(index).row();
        if (row >= 0 && model_->needsThumbnail(row))
            requests.push_back({model_->path(row), model_->displayName(row)});
    }
    loader_->request(requests);
}

bool DatasetView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == grid_->viewport() && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) {
        fitColumns();
        scheduleThumbnails();
    }
    // Arrow keys on the preview move through the grid, as they do on the grid itself.
    if (watched == preview_->image() && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down ||
            key == Qt::Key_Home || key == Qt::Key_End || key == Qt::Key_PageUp || key == Qt::Key_PageDown) {
            const auto* press = static_cast<QKeyEvent*>(event);
            grid_->setFocus();
            QKeyEvent copy(QEvent::KeyPress, press->key(), press->modifiers(), press->text());
            QCoreApplication::sendEvent(grid_, &copy);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QByteArray DatasetView::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    QList<bool> hidden;
    for (int label = 0; label < filterBar_->classButtonCount(); ++label)
        hidden.push_back(!filterBar_->isClassShown(label));
    out << stateMagic << stateVersion << qint32(tabs_->currentIndex()) << split_->saveState() << side_->saveState()
        << overview_->saveState() << hidden << qint32(filterBar_->problemFilter()) << filterBar_->searchText()
        << qint32(filterBar_->sortKey()) << qint32(filterBar_->sortOrder());
    return state;
}

void DatasetView::restoreState(const QByteArray& state)
{
    QDataStream in(state);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0;
    quint16 version = 0;
    in >> magic >> version;
    if (magic != stateMagic || version != stateVersion)
        return;  // another version's state: keep the defaults
    qint32 tab = 0, problem = 0, key = 0, order = 0;
    QByteArray split, side, overview;
    QList<bool> hidden;
    QString search;
    in >> tab >> split >> side >> overview >> hidden >> problem >> search >> key >> order;
    if (in.status() != QDataStream::Ok)
        return;
    split_->restoreState(split);
    side_->restoreState(side);
    overview_->restoreState(overview);
    if (tab == BrowseTab || tab == OverviewTab)
        tabs_->setCurrentIndex(tab);
    if (hidden.size() == filterBar_->classButtonCount() && !hidden.isEmpty()) {
        for (int label = 0; label < hidden.size(); ++label)
            filterBar_->setClassShown(label, !hidden[label]);
    } else {
        pendingHiddenClasses_.assign(hidden.begin(), hidden.end());
    }
    filterBar_->setProblemFilter(static_cast<DatasetBrowserFilter::ProblemFilter>(
        std::clamp<qint32>(problem, 0, static_cast<qint32>(DatasetBrowserFilter::ProblemFilter::Unreadable))));
    filterBar_->setSearchText(search);
    const auto sortKey = static_cast<DatasetBrowserFilter::SortKey>(
        std::clamp<qint32>(key, 0, static_cast<qint32>(DatasetBrowserFilter::SortKey::Loss)));
    filterBar_->setSort(sortKey, order == Qt::DescendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder);
}

}  // namespace cassava::ui
