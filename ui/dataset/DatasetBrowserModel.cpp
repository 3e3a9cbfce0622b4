#include "DatasetBrowserModel.h"

#include "ThumbnailCache.h"
#include "ThumbnailLoader.h"

#include "AtomicFile.h"
#include "Csv.h"
#include "Dataset.h"

#include <QFile>
#include <QPixmap>
#include <QSet>

#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>

namespace cassava::ui {

namespace {

struct MissingRow {
    std::string id;
    int label = -1;
};

// The rows of train.csv core left out because their photo does not exist. Core reports each as
// an error on its line; the rows at those lines whose id and label are valid and whose id is not
// a sample are exactly those (a duplicate of a missing photo is listed once).
std::vector<MissingRow> listedButMissing(const Dataset& dataset)
{
    std::unordered_set<int> lines;
    for (const Problem& p : dataset.problems())
        if (p.severity == Problem::Severity::Error && p.file == "train.csv" && p.line > 0)
            lines.insert(p.line);
    if (lines.empty())
        return {};
    std::string text;
    try {
        text = readFile(dataset.root() + "/train.csv");
    } catch (const std::exception&) {
        return {};  // changed since it was opened; the problems list still says what was found
    }
    CsvReader reader(text, "train.csv");
    CsvRecord record;
    if (!reader.next(record))
        return {};
    size_t idColumn = record.fields.size(), labelColumn = record.fields.size();
    for (size_t i = 0; i < record.fields.size(); ++i) {
        if (record.fields[i] == "image_id" && idColumn == record.fields.size())
            idColumn = i;
        else if (record.fields[i] == "label" && labelColumn == record.fields.size())
            labelColumn = i;
    }
    const size_t columns = record.fields.size();
    if (idColumn == columns || labelColumn == columns)
        return {};

    std::vector<MissingRow> missing;
    std::unordered_set<std::string> seen;
    while (reader.next(record)) {
        if (!lines.count(record.line) || record.fields.size() != columns)
            continue;
        std::string& id = record.fields[idColumn];
        int label = -1;
        if (!Dataset::unsafeImageIdReason(id).empty() || !parseInt(record.fields[labelColumn], label) ||
            !dataset.labels().contains(label) || dataset.indexOf(id) >= 0 || !seen.insert(id).second)
            continue;
        missing.push_back({std::move(id), label});
    }
    return missing;
}

}  // namespace

DatasetBrowserModel::DatasetBrowserModel(QObject* parent) : QAbstractListModel(parent) {}

void DatasetBrowserModel::setDataset(std::shared_ptr<const Dataset> dataset)
{
    beginResetModel();
    dataset_ = std::move(dataset);
    paths_.clear();
    labels_.clear();
    states_.clear();
    errors_.clear();
    missingRows_.clear();
    predictions_ = {};
    missing_ = unreadable_ = 0;
    sampleRows_ = 0;
    labelMap_ = dataset_ ? dataset_->labels() : LabelMap{};
    if (dataset_) {
        const QString prefix = QFile::decodeName(dataset_->trainImagePath("").c_str());
        idOffset_ = static_cast<int>(prefix.size());
        const auto& samples = dataset_->samples();
        const std::vector<MissingRow> missing = listedButMissing(*dataset_);
        const size_t rows = samples.size() + missing.size();
        paths_.reserve(static_cast<qsizetype>(rows));
        labels_.reserve(rows);
        for (const Sample& s : samples) {
            paths_.push_back(prefix + QString::fromStdString(s.imageId));
            labels_.push_back(s.label);
        }
        sampleRows_ = static_cast<int>(samples.size());
        states_.assign(rows, ImageState::Unchecked);
        for (const MissingRow& m : missing) {
            const int row = static_cast<int>(paths_.size());
            const QString id = QString::fromStdString(m.id);
            paths_.push_back(prefix + id);
            labels_.push_back(m.label);
            missingRows_.insert(id, row);
            states_[static_cast<size_t>(row)] = ImageState::Missing;
            errors_.insert(row, tr("train_images/%1 does not exist (listed in train.csv)").arg(id));
        }
        missing_ = static_cast<int>(missing.size());
    }
    endResetModel();
    emit problemCountsChanged();
}

void DatasetBrowserModel::clear() { setDataset(nullptr); }

void DatasetBrowserModel::setPredictions(RunPredictions predictions)
{
    if (!predictions.predicted.empty() && static_cast<int>(predictions.predicted.size()) != sampleRows_)
        predictions = {};  // made for another dataset
    predictions_ = std::move(predictions);
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {PredictedRole, ConfidenceRole, LossRole, Qt::ToolTipRole});
}

int DatasetBrowserModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(paths_.size());
}

QString DatasetBrowserModel::displayName(int row) const
{
    return QStringLiteral("train_images/") + imageId(row).toString();
}

int DatasetBrowserModel::predicted(int row) const
{
    return row < sampleRows_ && predictions_.has(row) ? predictions_.predicted[static_cast<size_t>(row)] : -1;
}

float DatasetBrowserModel::confidence(int row) const
{
    return row < sampleRows_ && predictions_.has(row) ? predictions_.confidence[static_cast<size_t>(row)]
                                                      : std::numeric_limits<float>::quiet_NaN();
}

float DatasetBrowserModel::loss(int row) const
{
    return row < sampleRows_ && predictions_.has(row) ? predictions_.loss[static_cast<size_t>(row)]
                                                      : std::numeric_limits<float>::quiet_NaN();
}

int DatasetBrowserModel::rowOfImage(const QString& imageId) const
{
    if (!dataset_)
        return -1;
    const int sample = dataset_->indexOf(imageId.toStdString());
    return sample >= 0 ? sample : missingRows_.value(imageId, -1);
}

int DatasetBrowserModel::rowOfPath(const QString& path) const
{
    if (!dataset_ || path.size() <= idOffset_)
        return -1;
    const int row = rowOfImage(path.mid(idOffset_));
    return row >= 0 && paths_[row] == path ? row : -1;
}

bool DatasetBrowserModel::needsThumbnail(int row) const
{
    const ImageState s = state(row);
    return s != ImageState::Missing && s != ImageState::Unreadable && !(cache_ && cache_->contains(paths_[row]));
}

void DatasetBrowserModel::applyThumbnail(const ThumbnailResult& result)
{
    const int row = rowOfPath(result.path);
    if (row < 0)
        return;
    switch (result.status) {
    case ThumbnailResult::Status::Ok:
        if (cache_)
            cache_->insert(result.path, QPixmap::fromImage(result.image));
        setState(row, ImageState::Ok, {});
        break;
    case ThumbnailResult::Status::Missing:
        setState(row, ImageState::Missing, result.error);
        break;
    case ThumbnailResult::Status::Unreadable:
        setState(row, ImageState::Unreadable, result.error);
        break;
    }
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {Qt::DecorationRole, StateRole, ErrorRole, Qt::ToolTipRole});
}

void DatasetBrowserModel::markUnreadable(int row, const QString& error)
{
    if (row < 0 || row >= rowCount())
        return;
    setState(row, ImageState::Unreadable, error);
    const QModelIndex i = index(row);
    emit dataChanged(i, i, {Qt::DecorationRole, StateRole, ErrorRole, Qt::ToolTipRole});
}

void DatasetBrowserModel::setState(int row, ImageState state, const QString& error)
{
    ImageState& current = states_[static_cast<size_t>(row)];
    if (current == state)
        return;
    const int before = missing_ + unreadable_;
    missing_ += (state == ImageState::Missing) - (current == ImageState::Missing);
    unreadable_ += (state == ImageState::Unreadable) - (current == ImageState::Unreadable);
    current = state;
    if (error.isEmpty())
        errors_.remove(row);
    else
        errors_.insert(row, error);
    if (before != missing_ + unreadable_ || state == ImageState::Missing || state == ImageState::Unreadable)
        emit problemCountsChanged();
}

QVariant DatasetBrowserModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
    case ImageIdRole:
        return imageId(row).toString();
    case Qt::DecorationRole:
        if (cache_) {
            const QPixmap pixmap = cache_->find(paths_[row]);
            if (!pixmap.isNull())
                return pixmap;
        }
        return {};
    case LabelRole:
        return label(row);
    case PathRole:
        return paths_[row];
    case StateRole:
        return static_cast<int>(state(row));
    case ErrorRole:
        return errors_.value(row);
    case PredictedRole:
        return predicted(row);
    case ConfidenceRole:
        return static_cast<double>(confidence(row));
    case LossRole:
        return static_cast<double>(loss(row));
    case Qt::ToolTipRole: {
        const int l = label(row);
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(imageId(row).toString().toHtmlEscaped(),
                                                            QString::fromStdString(labelMap_.name(l)).toHtmlEscaped());
        const int p = predicted(row);
        if (p >= 0)
            tip += tr("<br>Predicted %1 (%2 %), loss %3")
                       .arg((labelMap_.contains(p) ? QString::fromStdString(labelMap_.shortName(p)) : QString::number(p))
                                .toHtmlEscaped())
                       .arg(100.0 * confidence(row), 0, 'f', 0)
                       .arg(static_cast<double>(loss(row)), 0, 'f', 2);
        const QString why = errors_.value(row);
        if (!why.isEmpty())
            tip += QStringLiteral("<br><span style='color:#c0392b'>%1</span>").arg(why.toHtmlEscaped());
        return tip;
    }
    default:
        return {};
    }
}

}  // namespace cassava::ui
