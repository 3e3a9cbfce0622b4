#pragma once
// The rows of an open dataset as a list for the thumbnail grid: every valid sample, then every
// row of train.csv whose photo is missing (core leaves those out of samples(); a curator wants to
// see them). Everything a row shows is computed once in setDataset(), so data() is lookups only
// and 21,397 rows paint and scroll without per-row work. Thumbnails come from a ThumbnailCache the
// model does not own; the view asks a ThumbnailLoader for them and hands the results to
// applyThumbnail().
#include "LabelMap.h"
#include "RunPredictions.h"

#include <QAbstractListModel>
#include <QHash>
#include <QStringList>

#include <memory>
#include <vector>

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class ThumbnailCache;
struct ThumbnailResult;

class DatasetBrowserModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        LabelRole,        // int
        PathRole,         // absolute path of the photo
        StateRole,        // int(ImageState)
        ErrorRole,        // why a photo is missing or unreadable
        PredictedRole,    // int, -1 without a run
        ConfidenceRole,   // double, NaN without a prediction
        LossRole,         // double, NaN without a prediction
    };
    enum class ImageState : quint8 {
        Unchecked,   // not looked at yet
        Ok,          // a thumbnail was made
        Missing,     // listed in train.csv, no file
        Unreadable,  // a file that is not an image we can decode (truncated, not a JPEG, ...)
    };

    explicit DatasetBrowserModel(QObject* parent = nullptr);

    void setDataset(std::shared_ptr<const Dataset> dataset);
    void clear();
    const Dataset* dataset() const { return dataset_.get(); }
    void setThumbnailCache(ThumbnailCache* cache) { cache_ = cache; }

    // Predictions aligned with the dataset's samples (see RunPredictions); an empty one clears.
    void setPredictions(RunPredictions predictions);
    bool hasPredictions() const { return !predictions_.predicted.empty(); }
    const RunPredictions& predictions() const { return predictions_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    // Typed access for the proxy and the delegate (no QVariant on hot paths).
    int sampleCount() const { return sampleRows_; }  // rows [0, sampleCount) are samples
    QStringView imageId(int row) const { return QStringView(paths_[row]).mid(idOffset_); }
    const QString& path(int row) const { return paths_[row]; }
    QString displayName(int row) const;  // "train_images/ID"
    int label(int row) const { return labels_[static_cast<size_t>(row)]; }
    ImageState state(int row) const { return states_[static_cast<size_t>(row)]; }
    QString error(int row) const { return errors_.value(row); }
    int predicted(int row) const;
    float confidence(int row) const;
    float loss(int row) const;
    int rowOfImage(const QString& imageId) const;  // -1 when absent
    int rowOfPath(const QString& path) const;

    const LabelMap& labels() const { return labelMap_; }
    int classCount() const { return labelMap_.size(); }
    int missingCount() const { return missing_; }
    int unreadableCount() const { return unreadable_; }

    // Whether the grid should ask for a thumbnail of `row` (not cached, not known bad).
    bool needsThumbnail(int row) const;
    // A thumbnail or a failure for one of this model's photos; others are ignored.
    void applyThumbnail(const ThumbnailResult& result);
    // A photo found unreadable elsewhere (the preview's full decode).
    void markUnreadable(int row, const QString& error);

signals:
    // Missing or unreadable counts changed (a photo turned out to be bad).
    void problemCountsChanged();

private:
    void setState(int row, ImageState state, const QString& error);

    std::shared_ptr<const Dataset> dataset_;
    LabelMap labelMap_;
    QStringList paths_;
    int idOffset_ = 0;       // where the id starts in a path
    int sampleRows_ = 0;
    std::vector<int> labels_;
    std::vector<ImageState> states_;
    QHash<int, QString> errors_;
    QHash<QString, int> missingRows_;  // id -> row, for the rows after the samples
    int missing_ = 0;
    int unreadable_ = 0;
    RunPredictions predictions_;
    ThumbnailCache* cache_ = nullptr;
};

}  // namespace cassava::ui
