#pragma once
// The suspects of a review as a table (photo, given, suggested, score, fold, decision) and a proxy
// that sorts and filters it by given class, suggested class, fold and decision. The model holds
// the suspects the view found (core findSuspects); decisions are read from the ReviewSession, so
// a decision made anywhere (the Dataset browser too) shows here as soon as it is made.
#include "Denoise.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>

#include <vector>

namespace cassava::ui {

class ReviewSession;

class SuspectsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PhotoColumn, GivenColumn, SuggestedColumn, ScoreColumn, FoldColumn, DecisionColumn, ColumnCount };
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        SortRole,        // numbers for the numeric columns
        GivenRole,
        SuggestedRole,
        FoldRole,
        DecisionRole,    // int(ReviewDecision), -1: undecided
    };

    explicit SuspectsModel(const ReviewSession* session, QObject* parent = nullptr);

    // Score: the suggested class's probability (recipe) or its margin over the given label's
    // (confident learning), the orders findSuspects sorts by.
    void setSuspects(std::vector<Suspect> suspects, DenoiseMethod method);
    const std::vector<Suspect>& suspects() const { return suspects_; }
    const Suspect& suspect(int row) const { return suspects_.at(static_cast<size_t>(row)); }
    int rowOf(const QString& imageId) const { return rows_.value(imageId, -1); }
    QString imageId(int row) const;
    double score(int row) const;
    // A decision other than skip.
    bool isReviewed(int row) const;
    // Emits dataChanged for the rows of these images.
    void decisionsChanged(const QStringList& imageIds);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const ReviewSession* session_;
    std::vector<Suspect> suspects_;
    DenoiseMethod method_ = DenoiseMethod::Recipe;
    QHash<QString, int> rows_;
};

class SuspectsFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class DecisionFilter { Any, Undecided, Reviewed, Accept, Keep, Relabel, Exclude, Skip };
    static constexpr int anyFold = -1000;

    explicit SuspectsFilter(QObject* parent = nullptr);

    void setGiven(int label);      // -1: any
    void setSuggested(int label);  // -1: any
    void setFold(int fold);        // anyFold: any
    void setDecision(DecisionFilter filter);
    int given() const { return given_; }
    int suggested() const { return suggested_; }
    int fold() const { return fold_; }
    DecisionFilter decision() const { return decision_; }
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int given_ = -1, suggested_ = -1, fold_ = anyFold;
    DecisionFilter decision_ = DecisionFilter::Any;
};

}  // namespace cassava::ui
