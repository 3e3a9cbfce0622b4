#pragma once
// One run's label review, shared by the Review view and the Dataset browser so that a decision
// made in either is the same decision: the run's ReviewJournal (RUN/review/journal.jsonl), its
// out-of-fold probabilities, and a QUndoStack whose commands are the journal's steps (one
// command per decision, a bulk decision one command). Opening reads the journal, train.csv and
// oof.csv on a worker thread; decisions are appended and synced on the GUI thread (one small
// write, well under a millisecond on a local disk: BENCHMARKS.md).
//
// The undo stack outlives a restart: on open it is rebuilt from the journal's undo and redo
// steps, so Ctrl+Z after reopening undoes the last decision made before.
#include "Denoise.h"
#include "ReviewJournal.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <unordered_map>
#include <vector>

class QAction;
class QUndoStack;

namespace cassava::ui {

class ReviewSession : public QObject {
    Q_OBJECT
public:
    explicit ReviewSession(QObject* parent = nullptr);
    ~ReviewSession() override;

    // Reads the run on a worker; opened() or failed() follows. "" closes.
    void open(const QString& runDir);
    void close();
    bool isOpen() const { return journal_ != nullptr; }
    bool isLoading() const { return loading_; }
    QString runDir() const { return runDir_; }

    const ReviewJournal* journal() const { return journal_.get(); }
    // The out-of-fold probabilities the suspects come from: RUN/oof.csv, or its TTA re-scoring
    // (RUN/review/oof_ttaN.csv) once there is one. Empty (no rows) for a run without oof.csv.
    const ProbabilityTable& table() const { return table_; }
    QString tableSource() const { return tableSource_; }
    // Why the table is empty or partial ("run/oof.csv:7: ..."), for the view to show.
    const QStringList& problems() const { return problems_; }
    // Replaces the table (after TTA re-scoring) and keeps it beside the journal.
    void setRescoredTable(ProbabilityTable table);

    QString imagePath(const QString& imageId) const;  // "" when the dataset lacks it
    int givenLabel(const QString& imageId) const;
    const ReviewItem* decisionOf(const QString& imageId) const;

    // Records one step: every item becomes one journal line together and one undo command.
    // False, with error() emitted, when the journal cannot be written (nothing changes then).
    bool decide(const std::vector<ReviewItem>& items);
    // Items for `imageIds` with one decision; `labels` per image for accept (the suggestions) or
    // one label for all (relabel). Throws std::runtime_error for an image the run lacks.
    std::vector<ReviewItem> items(const QStringList& imageIds, ReviewDecision decision,
                                  const std::vector<int>& labels = {}) const;
    // "Relabel 3 photos as CMD": the undo text of a step.
    QString describe(const std::vector<ReviewItem>& items) const;

    QUndoStack* undoStack() const { return undoStack_; }
    QAction* undoAction() const { return undoAction_; }  // Ctrl+Z
    QAction* redoAction() const { return redoAction_; }  // Ctrl+Shift+Z

signals:
    void opened(const QString& runDir);
    void failed(const QString& runDir, const QString& message);
    void closed();
    void tableChanged();
    // Images whose decision changed (a decision, an undo or a redo).
    void decisionsChanged(const QStringList& imageIds);
    void error(const QString& message);

private:
    class Step;
    friend class Step;
    struct Opened;
    void finishOpen(quint64 request, const std::shared_ptr<Opened>& opened);
    void rebuildUndoStack();
    bool replay(bool undo);
    static QStringList idsOf(const std::vector<ReviewItem>& items);

    QString runDir_;
    quint64 request_ = 0;
    bool loading_ = false;
    std::unique_ptr<ReviewJournal> journal_;
    ProbabilityTable table_;
    QString tableSource_;
    QStringList problems_;
    std::unordered_map<std::string, std::string> paths_;
    QUndoStack* undoStack_ = nullptr;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    bool rebuilding_ = false;  // pushing the replayed steps: nothing is written
};

}  // namespace cassava::ui
