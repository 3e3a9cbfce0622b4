#pragma once
// Interim: the Dataset page shows the overview; the browser replaces this file.
#include <QWidget>
#include <memory>
namespace cassava { class Dataset; }
namespace cassava::ui {
class DatasetOverview;
class DatasetView : public QWidget {
    Q_OBJECT
public:
    explicit DatasetView(QWidget* parent = nullptr);
    void setDataset(std::shared_ptr<const cassava::Dataset> dataset);
    void setUnreadable(const QString& root, const QString& reason);
    void clear();
    void setRun(const QString& runDir);
    void setThumbnailCacheBytes(qint64 bytes);
    DatasetOverview* overview() const { return overview_; }
    QByteArray saveState() const;
    void restoreState(const QByteArray& state);
    void selectImage(const QString& imageId);
private:
    DatasetOverview* overview_ = nullptr;
};
}  // namespace cassava::ui
