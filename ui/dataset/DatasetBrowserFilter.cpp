#include "DatasetBrowserFilter.h"

#include "DatasetBrowserModel.h"

#include <cmath>

namespace cassava::ui {

using ImageState = DatasetBrowserModel::ImageState;

// Ids in the order a person expects: runs of digits compare as numbers, so "107350755.jpg" comes
// before "1072326766.jpg" (Kaggle's ids are numbers of different lengths). QCollator's numeric
// mode would do it through ICU and the user's locale; ids need neither.
namespace {
// ASCII digits: the numbers in file names; no Unicode lookup per character in a 300,000-comparison sort.
inline bool isDigit(QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; }
}  // namespace

int compareNatural(QStringView a, QStringView b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            qsizetype ei = i, ej = j;
            while (ei < a.size() && a[ei] == u'0')
                ++ei;
            while (ej < b.size() && b[ej] == u'0')
                ++ej;
            qsizetype di = ei, dj = ej;
            while (di < a.size() && isDigit(a[di]))
                ++di;
            while (dj < b.size() && isDigit(b[dj]))
                ++dj;
            if (di - ei != dj - ej)
                return di - ei < dj - ej ? -1 : 1;
            if (const int c = a.mid(ei, di - ei).compare(b.mid(ej, dj - ej)); c != 0)
                return c;
            i = di;
            j = dj;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j] ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size())
        return i < a.size() ? 1 : -1;
    return a.compare(b);  // "007" and "7": a stable order all the same
}

DatasetBrowserFilter::DatasetBrowserFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    // Thumbnails arriving must not re-sort or re-filter rows under the user's eyes; filter and
    // sort changes are applied explicitly.
    setDynamicSortFilter(false);
}

void DatasetBrowserFilter::setBrowserModel(DatasetBrowserModel* model)
{
    if (model_)
        disconnect(model_, nullptr, this, nullptr);
    model_ = model;
    setSourceModel(model);
    if (model_)
        connect(model_, &QAbstractItemModel::modelReset, this, &DatasetBrowserFilter::resetForModel);
    resetForModel();
}

void DatasetBrowserFilter::resetForModel()
{
    cellGiven_ = cellPredicted_ = -1;
    cellImages_.clear();
    hiddenClasses_.assign(model_ ? static_cast<size_t>(model_->classCount()) : 0, false);
    if (!model_ || !needsPredictions(key_) || model_->hasPredictions())
        sort(0, sortOrder());
    else
        setSortKey(SortKey::ImageId, sortOrder());
}

void DatasetBrowserFilter::setClassShown(int label, bool shown)
{
    if (label < 0 || label >= static_cast<int>(hiddenClasses_.size()) ||
        hiddenClasses_[static_cast<size_t>(label)] == !shown)
        return;
    hiddenClasses_[static_cast<size_t>(label)] = !shown;
    invalidateFilter();
}

bool DatasetBrowserFilter::isClassShown(int label) const
{
    return label >= 0 && label < static_cast<int>(hiddenClasses_.size()) && !hiddenClasses_[static_cast<size_t>(label)];
}

void DatasetBrowserFilter::showAllClasses()
{
    hiddenClasses_.assign(hiddenClasses_.size(), false);
    invalidateFilter();
}

void DatasetBrowserFilter::setProblemFilter(ProblemFilter filter)
{
    if (filter == problem_)
        return;
    problem_ = filter;
    invalidateFilter();
}

void DatasetBrowserFilter::setSearchText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == search_)
        return;
    search_ = trimmed;
    invalidateFilter();
}

void DatasetBrowserFilter::setSortKey(SortKey key, Qt::SortOrder order)
{
    key_ = key;
    // sort() skips the work when column and order are unchanged; a new key must re-sort.
    invalidate();
    sort(0, order);
}

void DatasetBrowserFilter::setConfusionCell(int given, int predicted, const QStringList& imageIds)
{
    cellGiven_ = given;
    cellPredicted_ = predicted;
    cellImages_ = QSet<QString>(imageIds.begin(), imageIds.end());
    invalidateFilter();
}

void DatasetBrowserFilter::clearConfusionCell()
{
    if (!hasConfusionCell())
        return;
    cellGiven_ = cellPredicted_ = -1;
    cellImages_.clear();
    invalidateFilter();
}

bool DatasetBrowserFilter::passesCell(int row) const
{
    return !hasConfusionCell() || cellImages_.contains(model_->imageId(row).toString());
}

bool DatasetBrowserFilter::passesSearch(int row) const
{
    return search_.isEmpty() || model_->imageId(row).contains(search_, Qt::CaseInsensitive);
}

bool DatasetBrowserFilter::passesProblem(int row, ProblemFilter filter) const
{
    const ImageState state = model_->state(row);
    switch (filter) {
    case ProblemFilter::All:
        return true;
    case ProblemFilter::AnyProblem:
        return state == ImageState::Missing || state == ImageState::Unreadable;
    case ProblemFilter::Missing:
        return state == ImageState::Missing;
    case ProblemFilter::Unreadable:
        return state == ImageState::Unreadable;
    }
    return true;
}

bool DatasetBrowserFilter::passesClass(int row) const
{
    const int label = model_->label(row);
    return label < 0 || label >= static_cast<int>(hiddenClasses_.size()) || !hiddenClasses_[static_cast<size_t>(label)];
}

bool DatasetBrowserFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!model_ || sourceParent.isValid())
        return false;
    return passesClass(sourceRow) && passesProblem(sourceRow, problem_) && passesSearch(sourceRow) &&
           passesCell(sourceRow);
}

std::vector<int> DatasetBrowserFilter::classCounts() const
{
    std::vector<int> counts(model_ ? static_cast<size_t>(model_->classCount()) : 0, 0);
    if (!model_)
        return counts;
    for (int row = 0, rows = model_->rowCount(); row < rows; ++row) {
        const int label = model_->label(row);
        if (label >= 0 && label < static_cast<int>(counts.size()) && passesProblem(row, problem_) &&
            passesSearch(row) && passesCell(row))
            ++counts[static_cast<size_t>(label)];
    }
    return counts;
}

int DatasetBrowserFilter::countWithProblem(ProblemFilter filter) const
{
    if (!model_)
        return 0;
    int count = 0;
    for (int row = 0, rows = model_->rowCount(); row < rows; ++row)
        count += passesProblem(row, filter) && passesClass(row) && passesSearch(row) && passesCell(row);
    return count;
}

bool DatasetBrowserFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const int a = left.row(), b = right.row();
    // Rows without a prediction last whatever the order: the comparison is turned so that the
    // proxy's reversal for a descending order puts them back at the end.
    const bool descending = sortOrder() == Qt::DescendingOrder;
    auto byNumber = [&](double x, double y) -> int {
        const bool xn = std::isnan(x), yn = std::isnan(y);
        if (xn || yn)
            return xn == yn ? 0 : (xn != descending ? 1 : -1);
        return x < y ? -1 : (y < x ? 1 : 0);
    };
    int c = 0;
    switch (key_) {
    case SortKey::ImageId:
        break;
    case SortKey::Label:
        c = model_->label(a) - model_->label(b);
        break;
    case SortKey::Predicted: {
        const int pa = model_->predicted(a), pb = model_->predicted(b);
        c = byNumber(pa < 0 ? NAN : pa, pb < 0 ? NAN : pb);
        if (c == 0)  // within a predicted class, the most confident first
            c = -byNumber(model_->confidence(a), model_->confidence(b));
        break;
    }
    case SortKey::Confidence:
        c = byNumber(model_->confidence(a), model_->confidence(b));
        break;
    case SortKey::Loss:
        c = byNumber(model_->loss(a), model_->loss(b));
        break;
    }
    if (c == 0)
        c = compareNatural(model_->imageId(a), model_->imageId(b));
    return c != 0 ? c < 0 : a < b;
}

}  // namespace cassava::ui
