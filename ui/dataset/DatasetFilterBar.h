#pragma once
// The controls above the dataset grid: search by id, a toggle per class with its count, the
// problem filter with counts, the sort order, and how many photos are shown. Widgets only: the
// view applies the choices to a DatasetBrowserFilter.
#include "DatasetBrowserFilter.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace cassava {
class LabelMap;
}

namespace cassava::ui {

class DatasetFilterBar : public QWidget {
    Q_OBJECT
public:
    using SortKey = DatasetBrowserFilter::SortKey;
    using ProblemFilter = DatasetBrowserFilter::ProblemFilter;

    explicit DatasetFilterBar(QWidget* parent = nullptr);

    // One toggle per class, all on.
    void setClasses(const LabelMap& labels);
    void setClassCounts(const std::vector<int>& counts);
    void setProblemCounts(int any, int missing, int unreadable);
    // Without a run the sorts by predictions are disabled; one chosen before (a restored state)
    // comes back when a run is available again.
    void setRunAvailable(bool available, const QString& note = {});
    void setShown(int shown, int total);

    QString searchText() const;
    void setSearchText(const QString& text);
    int classButtonCount() const { return static_cast<int>(classButtons_.size()); }
    QCheckBox* classButton(int label) const;
    bool isClassShown(int label) const;
    void setClassShown(int label, bool shown);
    ProblemFilter problemFilter() const;
    void setProblemFilter(ProblemFilter filter);
    SortKey sortKey() const;
    Qt::SortOrder sortOrder() const;
    void setSort(SortKey key, Qt::SortOrder order);
    // The confusion cell shown alone (a chip naming it, with a button that clears it); "" hides it.
    void setConfusionCell(const QString& text);
    QToolButton* confusionChip() const { return cell_; }
    QString shownText() const;
    QLineEdit* searchField() const { return search_; }
    QComboBox* problemBox() const { return problem_; }
    QComboBox* sortBox() const { return sort_; }

signals:
    void searchChanged(const QString& text);
    void classToggled(int label, bool shown);
    void problemFilterChanged(cassava::ui::DatasetBrowserFilter::ProblemFilter filter);
    void sortChanged(cassava::ui::DatasetBrowserFilter::SortKey key, Qt::SortOrder order);
    void confusionCellCleared();

private:
    void emitSort();
    void updateOrderButton();

    QLineEdit* search_ = nullptr;
    QComboBox* problem_ = nullptr;
    QComboBox* sort_ = nullptr;
    QToolButton* order_ = nullptr;
    QToolButton* cell_ = nullptr;
    QLabel* shown_ = nullptr;
    QLabel* runNote_ = nullptr;
    QHBoxLayout* classRow_ = nullptr;
    std::vector<QCheckBox*> classButtons_;
    std::vector<QString> classNames_;
    // The sort the user chose last; a sort by predictions waits here while no run is open.
    SortKey wantedKey_ = SortKey::ImageId;
    bool runAvailable_ = false;
    bool internalChange_ = false;
};

}  // namespace cassava::ui
