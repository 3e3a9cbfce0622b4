#include "SuspectsModel.h"

#include "ClassColors.h"
#include "ReviewSession.h"

#include <QFont>
#include <QLocale>

namespace cassava::ui {

namespace {

QString decisionText(const ReviewItem* item, const LabelMap& labels)
{
    if (!item)
        return {};
    const QString name = labels.contains(item->label) ? QString::fromStdString(labels.shortName(item->label)) : QString();
    switch (item->decision) {
    case ReviewDecision::Accept: return SuspectsModel::tr("accepted → %1").arg(name);
    case ReviewDecision::Keep: return SuspectsModel::tr("kept");
    case ReviewDecision::Relabel: return SuspectsModel::tr("relabelled → %1").arg(name);
    case ReviewDecision::Exclude: return SuspectsModel::tr("excluded");
    case ReviewDecision::Skip: return SuspectsModel::tr("skipped");
    }
    return {};
}

}  // namespace

SuspectsModel::SuspectsModel(const ReviewSession* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session)
{
}

void SuspectsModel::setSuspects(std::vector<Suspect> suspects, DenoiseMethod method)
{
    beginResetModel();
    suspects_ = std::move(suspects);
    method_ = method;
    rows_.clear();
    for (int i = 0; i < static_cast<int>(suspects_.size()); ++i)
        rows_.insert(imageId(i), i);
    endResetModel();
}

QString SuspectsModel::imageId(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return QString::fromStdString(session_->table().imageIds.at(suspect(row).row));
}

double SuspectsModel::score(int row) const
{
    const Suspect& s = suspect(row);
    return method_ == DenoiseMethod::Recipe ? s.confidence : s.confidence - s.givenConfidence;
}

bool SuspectsModel::isReviewed(int row) const
{
    const ReviewItem* item = session_->decisionOf(imageId(row));
    return item && item->decision != ReviewDecision::Skip;
}

void SuspectsModel::decisionsChanged(const QStringList& imageIds)
{
    for (const QString& id : imageIds) {
        const int row = rowOf(id);
        if (row >= 0)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int SuspectsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(suspects_.size());
}

int SuspectsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SuspectsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const Suspect& s = suspect(row);
    static const LabelMap standard = LabelMap::standard();
    const LabelMap& labels = session_->journal() ? session_->journal()->dataset().labels() : standard;
    const auto shortName = [&](int label) {
        return labels.contains(label) ? QString::fromStdString(labels.shortName(label)) : QString::number(label);
    };
    const QString id = imageId(row);
    const int fold = session_->table().folds.at(s.row);
    switch (role) {
    case ImageIdRole: return id;
    case GivenRole: return s.givenLabel;
    case SuggestedRole: return s.suggestedLabel;
    case FoldRole: return fold;
    case DecisionRole: {
        const ReviewItem* item = session_->decisionOf(id);
        return item ? static_cast<int>(item->decision) : -1;
    }
    default: break;
    }
    switch (index.column()) {
    case PhotoColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return id;
        break;
    case GivenColumn:
    case SuggestedColumn: {
        const int label = index.column() == GivenColumn ? s.givenLabel : s.suggestedLabel;
        if (role == Qt::DisplayRole)
            return shortName(label);
        if (role == SortRole)
            return label;
        if (role == Qt::DecorationRole)
            return classColor(label);
        if (role == Qt::ToolTipRole && labels.contains(label))
            return QString::fromStdString(labels.name(label));
        break;
    }
    case ScoreColumn:
        if (role == Qt::DisplayRole)
            return QLocale().toString(score(row), 'f', 2);
        if (role == SortRole)
            return score(row);
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ToolTipRole)
            return tr("Suggested %1 %2 %, given %3 %4 %")
                .arg(shortName(s.suggestedLabel))
                .arg(QLocale().toString(100 * s.confidence, 'f', 0))
                .arg(shortName(s.givenLabel))
                .arg(QLocale().toString(100 * s.givenConfidence, 'f', 0));
        break;
    case FoldColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return fold;
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case DecisionColumn:
        if (role == Qt::DisplayRole)
            return decisionText(session_->decisionOf(id), labels);
        if (role == SortRole) {
            const ReviewItem* item = session_->decisionOf(id);
            return item ? static_cast<int>(item->decision) : -1;
        }
        break;
    default: break;
    }
    if (role == Qt::FontRole && index.column() == PhotoColumn && !isReviewed(row)) {
        QFont bold;
        bold.setBold(true);
        return bold;  // undecided rows stand out, as unread mail does
    }
    return {};
}

QVariant SuspectsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PhotoColumn: return tr("Photo");
    case GivenColumn: return tr("Given");
    case SuggestedColumn: return tr("Suggested");
    case ScoreColumn: return tr("Score");
    case FoldColumn: return tr("Fold");
    case DecisionColumn: return tr("Decision");
    default: return {};
    }
}

SuspectsFilter::SuspectsFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SuspectsModel::SortRole);
    setDynamicSortFilter(true);
}

void SuspectsFilter::setGiven(int label)
{
    given_ = label;
    invalidateFilter();
}

void SuspectsFilter::setSuggested(int label)
{
    suggested_ = label;
    invalidateFilter();
}

void SuspectsFilter::setFold(int fold)
{
    fold_ = fold;
    invalidateFilter();
}

void SuspectsFilter::setDecision(DecisionFilter filter)
{
    decision_ = filter;
    invalidateFilter();
}

bool SuspectsFilter::isFiltering() const
{
    return given_ >= 0 || suggested_ >= 0 || fold_ != anyFold || decision_ != DecisionFilter::Any;
}

bool SuspectsFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (given_ >= 0 && i.data(SuspectsModel::GivenRole).toInt() != given_)
        return false;
    if (suggested_ >= 0 && i.data(SuspectsModel::SuggestedRole).toInt() != suggested_)
        return false;
    if (fold_ != anyFold && i.data(SuspectsModel::FoldRole).toInt() != fold_)
        return false;
    const int d = i.data(SuspectsModel::DecisionRole).toInt();
    const int skip = static_cast<int>(ReviewDecision::Skip);
    switch (decision_) {
    case DecisionFilter::Any: return true;
    case DecisionFilter::Undecided: return d < 0 || d == skip;
    case DecisionFilter::Reviewed: return d >= 0 && d != skip;
    case DecisionFilter::Accept: return d == static_cast<int>(ReviewDecision::Accept);
    case DecisionFilter::Keep: return d == static_cast<int>(ReviewDecision::Keep);
    case DecisionFilter::Relabel: return d == static_cast<int>(ReviewDecision::Relabel);
    case DecisionFilter::Exclude: return d == static_cast<int>(ReviewDecision::Exclude);
    case DecisionFilter::Skip: return d == skip;
    }
    return true;
}

}  // namespace cassava::ui
