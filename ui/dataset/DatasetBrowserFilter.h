#pragma once
// What the thumbnail grid shows of a DatasetBrowserModel and in which order: classes ticked on,
// a problem filter, an id search; sorted by id or label, or, with a run, by predicted class,
// confidence or loss. Filtering and sorting read the source model's typed accessors, never
// QVariants, so 21,397 rows re-sort in milliseconds.
#include <QSet>
#include <QSortFilterProxyModel>

#include <vector>

namespace cassava::ui {

class DatasetBrowserModel;

// Natural order of ids: digit runs compare as numbers ("9.jpg" < "10.jpg").
int compareNatural(QStringView a, QStringView b);

class DatasetBrowserFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class SortKey { ImageId, Label, Predicted, Confidence, Loss };
    enum class ProblemFilter { All, AnyProblem, Missing, Unreadable };

    explicit DatasetBrowserFilter(QObject* parent = nullptr);

    void setBrowserModel(DatasetBrowserModel* model);
    DatasetBrowserModel* browserModel() const { return model_; }

    // Classes are shown unless switched off; a new dataset shows all.
    void setClassShown(int label, bool shown);
    bool isClassShown(int label) const;
    void showAllClasses();
    void setProblemFilter(ProblemFilter filter);
    ProblemFilter problemFilter() const { return problem_; }
    // Case-insensitive substring of the image id; "" shows all.
    void setSearchText(const QString& text);
    QString searchText() const { return search_; }

    // Only the images of one confusion-matrix cell (given label, predicted class), as the Results
    // view counted them from the run's oof.csv: the label there is the one the run trained on
    // (after its relabels), so the cell holds exactly the heatmap's images. Cleared by
    // clearConfusionCell() or a new dataset.
    void setConfusionCell(int given, int predicted, const QStringList& imageIds);
    void clearConfusionCell();
    bool hasConfusionCell() const { return cellGiven_ >= 0; }
    int confusionGiven() const { return cellGiven_; }
    int confusionPredicted() const { return cellPredicted_; }

    // Rows without a prediction stay last in both orders.
    void setSortKey(SortKey key, Qt::SortOrder order = Qt::AscendingOrder);
    SortKey sortKey() const { return key_; }
    static bool needsPredictions(SortKey key) { return key >= SortKey::Predicted; }

    // Per class: the rows that pass every filter but the class filter (what ticking the class
    // would show). One pass over the source.
    std::vector<int> classCounts() const;
    // Rows that pass the search and class filters, by problem kind (for the problem menu).
    int countWithProblem(ProblemFilter filter) const;

    // Re-applies the filters after a row's state changed (a photo turned out unreadable).
    void refilter() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool passesSearch(int row) const;
    bool passesProblem(int row, ProblemFilter filter) const;
    bool passesClass(int row) const;
    bool passesCell(int row) const;
    void resetForModel();

    DatasetBrowserModel* model_ = nullptr;
    std::vector<bool> hiddenClasses_;
    ProblemFilter problem_ = ProblemFilter::All;
    QString search_;
    SortKey key_ = SortKey::ImageId;
    int cellGiven_ = -1, cellPredicted_ = -1;
    QSet<QString> cellImages_;
};

}  // namespace cassava::ui
