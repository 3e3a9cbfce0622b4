#include "VisibleItems.h"

#include <QListView>

#include <algorithm>
#include <vector>

namespace cassava::ui {

QList<QModelIndex> visibleIndexesByDistanceToCentre(const QListView* view)
{
    const QAbstractItemModel* model = view ? view->model() : nullptr;
    if (!model || model->rowCount(view->rootIndex()) == 0)
        return {};
    const QRect area = view->viewport()->rect();
    QSize step = view->gridSize();
    if (!step.isValid() || step.isEmpty())
        step = view->sizeHintForIndex(model->index(0, view->modelColumn(), view->rootIndex()));
    const int dx = std::max(4, step.width() / 2);
    const int dy = std::max(4, step.height() / 2);

    // Probe a lattice finer than one item: every visible item is hit or lies between two hits
    // in layout order.
    int first = -1, last = -1;
    for (int y = area.top(); y <= area.bottom() + dy; y += dy)
        for (int x = area.left(); x <= area.right() + dx; x += dx) {
            const QModelIndex index = view->indexAt(QPoint(std::min(x, area.right()), std::min(y, area.bottom())));
            if (!index.isValid())
                continue;
            first = first < 0 ? index.row() : std::min(first, index.row());
            last = std::max(last, index.row());
        }
    if (first < 0)
        return {};

    const QPointF centre = QRectF(area).center();
    std::vector<std::pair<qreal, QModelIndex>> visible;
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = model->index(row, view->modelColumn(), view->rootIndex());
        const QRect rect = view->visualRect(index);
        if (!rect.intersects(area))
            continue;
        const QPointF d = QRectF(rect).center() - centre;
        visible.emplace_back(d.x() * d.x() + d.y() * d.y(), index);
    }
    std::stable_sort(visible.begin(), visible.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    QList<QModelIndex> ordered;
    ordered.reserve(static_cast<qsizetype>(visible.size()));
    for (const auto& [distance, index] : visible)
        ordered.push_back(index);
    return ordered;
}

}  // namespace cassava::ui
