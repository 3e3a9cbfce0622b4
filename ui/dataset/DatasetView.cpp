#include "DatasetView.h"
#include "DatasetOverview.h"
#include <QVBoxLayout>
namespace cassava::ui {
DatasetView::DatasetView(QWidget* parent) : QWidget(parent), overview_(new DatasetOverview)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(overview_);
}
void DatasetView::setDataset(std::shared_ptr<const cassava::Dataset> dataset) { overview_->setDataset(std::move(dataset)); }
void DatasetView::setUnreadable(const QString& root, const QString& reason) { overview_->setUnreadable(root, reason); }
void DatasetView::clear() { overview_->clear(); }
void DatasetView::setRun(const QString&) {}
void DatasetView::setThumbnailCacheBytes(qint64) {}
QByteArray DatasetView::saveState() const { return overview_->saveState(); }
void DatasetView::restoreState(const QByteArray& state) { overview_->restoreState(state); }
void DatasetView::selectImage(const QString&) {}
}  // namespace cassava::ui
