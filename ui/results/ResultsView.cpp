#include "ResultsView.h"

#include <QDir>

namespace cassava::ui {

namespace {
QString resultsText(const QString& run)
{
    QString text = ResultsView::tr("This view will hold a run's loss and accuracy curves per fold, "
                                   "the confusion heatmap (a cell opens its images), per-class "
                                   "accuracy, and a Kaggle submission made from the run.");
    const QString model = run.isEmpty() ? QStringLiteral("RUN") : QDir::toNativeSeparators(run);
    if (!run.isEmpty())
        text += ResultsView::tr("\n\nThe run open now: %1").arg(model);
    text += ResultsView::tr("\n\nMeanwhile, from the command line:\ncassava evaluate --model "
                            "%1/fold_0/best.ckpt --data DATA").arg(model);
    return text;
}
}  // namespace

ResultsView::ResultsView(QWidget* parent)
    : EmptyState(QStringLiteral(":/icons/view-results.svg"), tr("Results are not built yet"),
                 resultsText({}), parent)
{
}

void ResultsView::setRun(const QString& runDir) { setText(resultsText(runDir)); }

}  // namespace cassava::ui
