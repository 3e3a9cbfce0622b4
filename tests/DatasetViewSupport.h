#pragma once
// What the Dataset view's tests share: opening a dataset, a desktop-sized view with its own
// thumbnail cache, waiting for its thumbnails, and the ids in the order the proxy shows them.
#include "DatasetBrowserFilter.h"
#include "DatasetBrowserModel.h"
#include "DatasetView.h"
#include "ThumbnailLoader.h"

#include "Dataset.h"

#include <QStringList>
#include <QTest>

#include <memory>

namespace datasetviewtest {

using cassava::Dataset;
using cassava::ui::DatasetBrowserFilter;
using cassava::ui::DatasetBrowserModel;
using cassava::ui::DatasetView;

constexpr int waitMs = 120000;  // an upper bound for workers, not a timing assertion

inline std::shared_ptr<const Dataset> openDataset(const QString& root)
{
    return std::make_shared<const Dataset>(Dataset::open(root.toStdString()));
}

// A view the size of a desktop window, thumbnails cached in `cacheDir`.
inline std::unique_ptr<DatasetView> makeView(const QString& cacheDir)
{
    auto view = std::make_unique<DatasetView>();
    view->thumbnailLoader()->setDiskCacheDir(cacheDir);
    view->resize(1500, 1000);
    return view;
}

inline bool waitThumbnails(DatasetView& view)
{
    QTest::qWait(0);  // let the scheduled request run
    return QTest::qWaitFor([&] { return view.thumbnailLoader()->pendingCount() == 0; }, waitMs);
}

inline QStringList proxyIds(const DatasetBrowserFilter& proxy)
{
    QStringList ids;
    for (int r = 0; r < proxy.rowCount(); ++r)
        ids << proxy.index(r, 0).data(DatasetBrowserModel::ImageIdRole).toString();
    return ids;
}

}  // namespace datasetviewtest
