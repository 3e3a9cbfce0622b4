#include "ReviewView.h"

namespace cassava::ui {

ReviewView::ReviewView(QWidget* parent)
    : EmptyState(QStringLiteral(":/icons/view-review.svg"), tr("Label review is not built yet"),
                 tr("This view will list the images whose label a run's models confidently "
                    "disagree with, to accept, relabel or keep each one from the keyboard, with "
                    "undo and a journal that never loses a decision.\n\nMeanwhile: cassava "
                    "denoise --run RUN --data DATA --out suspects.csv, then cassava train "
                    "--exclude suspects.csv"),
                 parent)
{
}

}  // namespace cassava::ui
