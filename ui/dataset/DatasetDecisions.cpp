#include "DatasetDecisions.h"

#include "DatasetBrowserModel.h"
#include "DatasetBrowserFilter.h"
#include "DatasetPreview.h"
#include "DatasetView.h"
#include "ReviewSession.h"

#include "Dataset.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QListView>

#include <filesystem>

namespace cassava::ui {

DatasetDecisions::DatasetDecisions(DatasetView* view, ReviewSession* session)
    : QObject(view), view_(view), session_(session)
{
    const auto make = [this](const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        view_->grid()->addAction(a);
        actions_ << a;
        return a;
    };
    accept_ = make(tr("Accept the Run's Prediction"), {QKeySequence(Qt::Key_A)},
                   [this] { decide(ReviewDecision::Accept); });
    make(tr("Keep the Label"), {QKeySequence(Qt::Key_K)}, [this] { decide(ReviewDecision::Keep); });
    const LabelMap labels = LabelMap::standard();
    for (int c = 0; c < labels.size(); ++c) {
        const int key = Qt::Key_0 + c;
        make(tr("Relabel as %1 %2").arg(c).arg(QString::fromStdString(labels.shortName(c))),
             {QKeySequence(key), QKeySequence(Qt::KeypadModifier | key)}, [this, c] { decide(ReviewDecision::Relabel, c); });
    }
    make(tr("Exclude from Training"), {QKeySequence(Qt::Key_Delete)}, [this] { decide(ReviewDecision::Exclude); });
    view_->grid()->setContextMenuPolicy(Qt::ActionsContextMenu);

    connect(session_, &ReviewSession::opened, this, &DatasetDecisions::update);
    connect(session_, &ReviewSession::closed, this, &DatasetDecisions::update);
    connect(session_, &ReviewSession::failed, this, &DatasetDecisions::update);
    connect(session_, &ReviewSession::decisionsChanged, this, &DatasetDecisions::showCurrent);
    connect(view_, &DatasetView::currentImageChanged, this, &DatasetDecisions::showCurrent);
    connect(view_, &DatasetView::runLoaded, this, &DatasetDecisions::update);
    update();
}

bool DatasetDecisions::isAvailable() const
{
    if (!session_->isOpen() || !view_->dataset())
        return false;
    // The review's dataset must be the one on screen.
    std::error_code a, b;
    const auto mine = std::filesystem::weakly_canonical(session_->journal()->dataset().root(), a);
    const auto shown = std::filesystem::weakly_canonical(view_->dataset()->root(), b);
    return !a && !b && shown == mine;
}

void DatasetDecisions::update()
{
    const bool available = isAvailable();
    const QString why = session_->isOpen() ? tr("The open run's review is over another dataset")
                                           : tr("Open a run to record review decisions");
    for (QAction* a : actions_) {
        a->setEnabled(available);
        a->setStatusTip(available ? QString() : why);
    }
    accept_->setEnabled(available && view_->model()->hasPredictions());
    showCurrent();
}

QStringList DatasetDecisions::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = view_->grid()->selectionModel()->selectedIndexes();
    for (const QModelIndex& i : rows)
        ids << i.data(DatasetBrowserModel::ImageIdRole).toString();
    if (ids.isEmpty() && !view_->currentImageId().isEmpty())
        ids << view_->currentImageId();
    ids.sort();
    return ids;
}

bool DatasetDecisions::decide(ReviewDecision decision, int label)
{
    if (!isAvailable())
        return false;
    QStringList ids;
    std::vector<int> labels;
    for (const QString& id : selectedIds()) {
        if (session_->givenLabel(id) < 0)
            continue;  // not an image the run trained on (an invalid row)
        if (decision == ReviewDecision::Accept) {
            const int row = view_->model()->rowOfImage(id);
            const int predicted = row >= 0 ? view_->model()->index(row, 0).data(DatasetBrowserModel::PredictedRole).toInt() : -1;
            if (predicted < 0)
                continue;
            labels.push_back(predicted);
        }
        ids << id;
    }
    if (decision == ReviewDecision::Relabel)
        labels = {label};
    if (ids.isEmpty())
        return false;
    try {
        return session_->decide(session_->items(ids, decision, labels));
    } catch (const std::exception& e) {
        emit session_->error(QString::fromStdString(e.what()));
        return false;
    }
}

QString DatasetDecisions::decisionText(const QString& imageId) const
{
    const ReviewItem* item = session_->decisionOf(imageId);
    if (!item || item->decision == ReviewDecision::Skip)
        return {};
    const LabelMap& labels = session_->journal()->dataset().labels();
    const QString name = labels.contains(item->label) ? QString::fromStdString(labels.shortName(item->label)) : QString();
    const QString run = QFileInfo(session_->runDir()).fileName().toHtmlEscaped();
    switch (item->decision) {
    case ReviewDecision::Accept: return tr("Review of %1: <b>accepted as %2</b> (Ctrl+Z undoes)").arg(run, name);
    case ReviewDecision::Relabel: return tr("Review of %1: <b>relabelled as %2</b> (Ctrl+Z undoes)").arg(run, name);
    case ReviewDecision::Keep: return tr("Review of %1: <b>label kept</b>").arg(run);
    case ReviewDecision::Exclude: return tr("Review of %1: <b>excluded from training</b>").arg(run);
    case ReviewDecision::Skip: break;
    }
    return {};
}

void DatasetDecisions::showCurrent()
{
    const QString id = view_->currentImageId();
    view_->preview()->setDecisionText(id.isEmpty() || !session_->isOpen() ? QString() : decisionText(id));
}

}  // namespace cassava::ui
