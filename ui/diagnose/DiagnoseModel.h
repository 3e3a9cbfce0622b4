#pragma once
// The Diagnose view's cards: one per photo, in the order they were added, with what is known
// about it so far (thumbnail, leaf check, the network's probabilities or the reason it could not
// be read) and the plant it belongs to. Plants are groups of cards diagnosed together: their
// consensus and the abstain verdicts come from core/Diagnosis.h, so the view, the CSV export and
// `cassava diagnose` agree. Scales to thousands of cards: rows are looked up by id in a hash, and
// updates signal only the row that changed.
#include "Diagnosis.h"
#include "LabelMap.h"

#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace cassava::ui {

enum class CardState {
    Waiting,     // queued, or waiting for a model
    Diagnosing,  // in the batch the worker is running
    Done,        // probabilities known
    Error,       // the photo could not be read (its own message)
    Cancelled,   // the user stopped the run before this photo
};

struct LeafCard {
    quint64 id = 0;
    QString path;
    QString name;  // what the user sees: the file name
    QImage thumbnail;
    bool thumbnailDone = false;
    bool leafChecked = false;
    bool looksLikeLeaf = true;  // until checked, a photo is taken for a leaf
    double plantShare = 0;
    CardState state = CardState::Waiting;
    QString error;
    std::vector<float> probabilities;
    int predicted = -1;
    int plant = 0;  // 0: not in a plant
};

struct Plant {
    int id = 0;
    QString name;
};

// A plant's diagnosis: the consensus over its leaves that could be read and look like leaves.
struct PlantDiagnosis {
    PlantConsensus consensus;
    int members = 0;     // cards in the plant
    int notLeaves = 0;   // left out: the leaf check says they are not leaves
    int unreadable = 0;  // left out: errors, or not diagnosed yet
    std::optional<Verdict> verdict;  // empty until a leaf has been diagnosed
};

class DiagnoseModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        PathRole,
        StateRole,          // CardState as int
        ProbabilitiesRole,  // QVariantList of double
        PredictedRole,
        ConfidenceRole,
        VerdictRole,        // Verdict as int; invalid until diagnosed
        PlantRole,          // plant id, 0 when none
        PlantNameRole,
        ErrorRole,
        ThumbnailRole,      // QImage
    };

    explicit DiagnoseModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    // Labels and the abstain rule decide what a card says; changing them refreshes every card.
    void setLabels(const LabelMap& labels);
    const LabelMap& labels() const { return labels_; }
    void setAbstainOptions(const AbstainOptions& options);
    const AbstainOptions& abstainOptions() const { return abstain_; }

    // New cards, waiting. Returns their ids in order.
    QList<quint64> addPhotos(const QStringList& paths);

    const LeafCard& cardAt(int row) const { return cards_.at(row); }
    const LeafCard* card(quint64 id) const;
    int rowOf(quint64 id) const { return rows_.value(id, -1); }
    QList<quint64> ids() const;

    void setThumbnail(quint64 id, const QImage& thumbnail, bool leafChecked, bool looksLikeLeaf, double plantShare);
    void setState(quint64 id, CardState state);
    void setResult(quint64 id, const std::vector<float>& probabilities);
    void setError(quint64 id, const QString& error);

    // Removes the rows (any order); plants left without members go too.
    void removeCards(QList<int> rows);

    // The rows' cards form a new plant (leaving the plants they were in). Returns its id, or 0
    // when fewer than one card was given. An empty name becomes "Plant N".
    int groupAsPlant(const QList<int>& rows, const QString& name = {});
    void ungroup(const QList<int>& rows);
    QList<Plant> plants() const { return plants_; }
    QString plantName(int plant) const;
    QList<int> rowsOfPlant(int plant) const;
    PlantDiagnosis plantDiagnosis(int plant) const;

    // What a card or plant says: nothing until diagnosed; abstains per the options.
    std::optional<Verdict> verdictOf(const LeafCard& card) const;
    float confidenceOf(const LeafCard& card) const;
    // "3 of 4 leaves: CMD"
    QString agreementText(const PlantDiagnosis& plant) const;
    QString shortName(int label) const;
    QString fullName(int label) const;
    // What a card has room for, the abbreviation first: "CBSD · Brown Streak Disease".
    QString cardTitle(int label) const;

    // photo,plant,class,disease,confidence,p0..pN-1,verdict,abstained,error; one row per card.
    QByteArray toCsv() const;

signals:
    void plantsChanged();

private:
    void dropEmptyPlants();
    void emitRowChanged(int row);
    void reindex(int fromRow);

    QList<LeafCard> cards_;
    QHash<quint64, int> rows_;
    QList<Plant> plants_;
    quint64 nextId_ = 1;
    int nextPlant_ = 1;
    LabelMap labels_ = LabelMap::standard();
    AbstainOptions abstain_;
};

}  // namespace cassava::ui
