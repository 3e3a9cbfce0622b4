#pragma once
// Review decisions in the Dataset browser: a curator who spots a wrong label while browsing
// relabels it (0-4), keeps it (K), accepts the run's prediction (A) or excludes the photo (Del)
// right there, on every selected photo at once (one undo step). The decisions go through the
// same ReviewSession as the Review view's: the same journal, the same undo stack. They need the
// open run's review over the dataset shown; otherwise the actions are disabled and say why.
#include "ReviewJournal.h"

#include <QList>
#include <QObject>

class QAction;

namespace cassava::ui {

class DatasetView;
class ReviewSession;

class DatasetDecisions : public QObject {
    Q_OBJECT
public:
    DatasetDecisions(DatasetView* view, ReviewSession* session);

    QList<QAction*> actions() const { return actions_; }
    // The selected photos (or the current one) take `decision`; false when nothing was decided.
    bool decide(ReviewDecision decision, int label = -1);
    bool isAvailable() const;
    // "Relabelled as CMD in the review of run-3" for the preview.
    QString decisionText(const QString& imageId) const;

private:
    void update();
    void showCurrent();
    QStringList selectedIds() const;

    DatasetView* view_;
    ReviewSession* session_;
    QList<QAction*> actions_;
    QAction* accept_ = nullptr;
};

}  // namespace cassava::ui
