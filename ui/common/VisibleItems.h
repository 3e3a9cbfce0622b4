#pragma once
// Which items of a list or grid the user can see, so thumbnails are made for those and no others.
#include <QList>
#include <QModelIndex>

class QListView;

namespace cassava::ui {

// The rows of `view` whose rectangles intersect its viewport, nearest to the viewport's centre
// first (what the eye lands on loads first, as in gwenview's thumbnail view). Cheap: a few
// indexAt() probes find the first and last visible rows; only the rows between are looked at.
QList<QModelIndex> visibleIndexesByDistanceToCentre(const QListView* view);

}  // namespace cassava::ui
