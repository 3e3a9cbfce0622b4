#pragma once
// The Review view: the images of a run whose label its out-of-fold predictions confidently
// disagree with, reviewed from the keyboard. A list of suspects (sortable, filterable, with a
// given/suggested pair matrix) beside the photo at any zoom and what the suspect rests on
// (SuspectDetails). A accepts the suggestion, K keeps the given label, 0-4 relabel, Del excludes,
// S skips; each decision goes to the next undecided suspect; arrows move without deciding;
// Ctrl+Z / Ctrl+Shift+Z undo and redo. Several selected rows take one decision together, one
// undo step. Decisions live in the ReviewSession's journal the moment they are made.
//
// Suspects come from the stored probabilities (core findSuspects), so moving the threshold
// updates the list at once; TTA re-scoring (engine rescoreOutOfFold) runs once on a worker with
// progress and cancel and is kept beside the journal. Pictures and heatmaps are made ahead for the
// next suspects by a ReviewWorker on its own thread.
#include "Denoise.h"
#include "ReviewJournal.h"
#include "ReviewWorker.h"

#include <QHash>
#include <QWidget>

#include <atomic>
#include <deque>
#include <memory>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;
class QSpinBox;
class QStackedWidget;
class QThread;
class QToolButton;
class QTreeView;

namespace cassava::ui {

class EmptyState;
class ImagePreview;
class PairMatrix;
class ReviewSession;
class SuspectDetails;
class SuspectsFilter;
class SuspectsModel;

class ReviewView : public QWidget {
    Q_OBJECT
public:
    explicit ReviewView(ReviewSession* session, QWidget* parent = nullptr);
    ~ReviewView() override;

    ReviewSession* session() const { return session_; }
    DenoiseMethod method() const { return method_; }
    double threshold() const { return threshold_; }
    void setMethod(DenoiseMethod method);
    void setThreshold(double threshold);  // recipe: 0.5 .. 1.0 in steps of 0.01

    bool hasSuspects() const;
    int suspectCount() const;
    QString currentImageId() const;
    // Makes the suspect current (clearing filters that hide it); false when it is not a suspect.
    bool showSuspect(const QString& imageId);
    // The current suspect's photo, bars and both heatmaps are on screen.
    bool isCurrentComplete() const { return currentComplete_; }
    // The picture made for a suspect, when it is in the cache.
    const SuspectPicture* picture(const QString& imageId) const;
    // "37 of 412 reviewed", and the counts per decision.
    QString progressText() const;
    int reviewedCount() const;

    // The decision keys' work: the selected suspects (several: one step), or the current one.
    // Returns false when nothing was decided (nothing selected, or the journal refused).
    bool decide(ReviewDecision decision, int label = -1);
    void next();      // the next suspect in the list's order, decided or not
    void previous();

    // TTA re-scoring of the run's out-of-fold predictions with `runs` runs (a worker).
    void rescore(int runs);
    void cancelRescore();
    bool isRescoring() const { return rescoring_ != nullptr; }
    // Opening the run, re-scoring, or the current suspect's picture is still being made.
    bool isBusy() const;

    // decisions.csv and a cleaned train.csv into `folder` (asks before replacing, with the GUI).
    bool exportTo(const QString& folder, bool replace, QString* error);

    // The parts, for the main window and for tests.
    SuspectsModel* model() const { return model_; }
    SuspectsFilter* proxy() const { return proxy_; }
    QTreeView* list() const { return list_; }
    PairMatrix* pairMatrix() const { return pairs_; }
    ImagePreview* photo() const { return photo_; }
    SuspectDetails* details() const { return details_; }
    QComboBox* methodBox() const { return methodBox_; }
    QSlider* thresholdSlider() const { return thresholdSlider_; }
    QComboBox* givenFilter() const { return givenFilter_; }
    QComboBox* suggestedFilter() const { return suggestedFilter_; }
    QComboBox* foldFilter() const { return foldFilter_; }
    QComboBox* decisionFilter() const { return decisionFilter_; }
    QProgressBar* rescoreProgress() const { return rescoreBar_; }
    EmptyState* emptyState() const { return empty_; }
    bool isShowingSuspects() const;
    // Method, threshold, TTA runs and the panes' sizes, kept across restarts by the main window.
    QByteArray saveState() const;
    void restoreState(const QByteArray& state);
    // Menu entries (the main window's Review menu; the shortcut sheet lists them).
    QList<QAction*> menuActions() const;
    QAction* exportAction() const { return exportAction_; }
    QAction* retrainAction() const { return retrainAction_; }

signals:
    // The suspect on screen; `complete` once its photo, bars and both heatmaps are shown.
    void suspectShown(const QString& imageId, bool complete);
    void suspectsChanged(int count);
    void rescoreFinished(bool ok, const QString& message);
    // "Retrain on cleaned labels": the decisions written to `decisionsCsv` for the wizard.
    void retrainRequested(const QString& runDir, const QString& decisionsCsv);
    void openRunRequested();
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildToolbar(QWidget* page);
    QWidget* buildList();
    QWidget* buildCenter();
    void createActions();
    void sessionOpened();
    void sessionFailed(const QString& runDir, const QString& message);
    void sessionClosed();
    void recompute(const QString& keep = {});
    void updateFilters();
    void updatePairs();
    void updateProgress();
    void currentChanged();
    void showCurrent();
    void prefetch();
    void pictureArrived(quint64 generation, const SuspectPicture& picture);
    void examplesArrived(quint64 generation, int label, const QVector<QImage>& thumbnails);
    void requestExamples(int label);
    void decisionsChanged(const QStringList& ids);
    int nextUndecidedRow(int fromProxyRow, const QSet<QString>& deciding) const;
    void selectProxyRow(int row);
    void selectFirstUndecided();
    void resetPictures(const QString& runDir);
    QStringList targetIds() const;
    void chooseExport();
    void retrain();
    void finishRescore(quint64 id, bool ok, ProbabilityTable table, const QString& message);

    ReviewSession* session_;
    DenoiseMethod method_ = DenoiseMethod::Recipe;
    double threshold_ = 0.8;
    quint64 generation_ = 0;
    bool currentComplete_ = false;
    QString shownId_;

    SuspectsModel* model_ = nullptr;
    SuspectsFilter* proxy_ = nullptr;

    std::shared_ptr<PictureQueue> queue_;
    QList<QThread*> threads_;
    QList<ReviewWorker*> workers_;  // workers_[0] also loads the comparison strips
    QHash<QString, SuspectPicture> pictures_;
    std::deque<QString> pictureOrder_;  // oldest first, for the cache's bound
    QHash<int, QVector<QImage>> examples_;
    QSet<int> examplesAsked_;

    struct Rescore;
    std::shared_ptr<Rescore> rescoring_;
    quint64 rescoreId_ = 0;

    QStackedWidget* pages_ = nullptr;
    EmptyState* empty_ = nullptr;
    QComboBox* methodBox_ = nullptr;
    QSlider* thresholdSlider_ = nullptr;
    QLabel* thresholdLabel_ = nullptr;
    QSpinBox* ttaRuns_ = nullptr;
    QPushButton* rescoreButton_ = nullptr;
    QProgressBar* rescoreBar_ = nullptr;
    QToolButton* cancelRescore_ = nullptr;
    QLabel* source_ = nullptr;
    QLabel* progress_ = nullptr;
    QHBoxLayout* toolbar_ = nullptr;
    QHBoxLayout* decisionRow_ = nullptr;
    QSplitter* split_ = nullptr;
    QComboBox* givenFilter_ = nullptr;
    QComboBox* suggestedFilter_ = nullptr;
    QComboBox* foldFilter_ = nullptr;
    QComboBox* decisionFilter_ = nullptr;
    QTreeView* list_ = nullptr;
    QLabel* listCount_ = nullptr;
    PairMatrix* pairs_ = nullptr;
    QLabel* title_ = nullptr;
    ImagePreview* photo_ = nullptr;
    SuspectDetails* details_ = nullptr;
    QList<QToolButton*> decisionButtons_;
    QAction* acceptAction_ = nullptr;
    QAction* keepAction_ = nullptr;
    QList<QAction*> relabelActions_;
    QAction* excludeAction_ = nullptr;
    QAction* skipAction_ = nullptr;
    QAction* nextAction_ = nullptr;
    QAction* previousAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* retrainAction_ = nullptr;
};

}  // namespace cassava::ui
