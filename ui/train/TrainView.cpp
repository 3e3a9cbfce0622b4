#include "TrainView.h"

#include <QDir>

namespace cassava::ui {

namespace {
QString trainText(const QString& root)
{
    const QString data = root.isEmpty() ? QStringLiteral("DATA") : QDir::toNativeSeparators(root);
    return TrainView::tr("This view will hold the training wizard (model, image size, folds, "
                         "augmentation, the recipes' presets) and live loss and accuracy curves "
                         "while a run trains.\n\nUntil then, train from the command line:\n"
                         "cassava train --data %1 --out RUN --preset quick")
        .arg(data);
}
}  // namespace

TrainView::TrainView(QWidget* parent)
    : EmptyState(QStringLiteral(":/icons/view-train.svg"), tr("Training is not built yet"),
                 trainText({}), parent)
{
}

void TrainView::setDatasetRoot(const QString& root) { setText(trainText(root)); }

}  // namespace cassava::ui
