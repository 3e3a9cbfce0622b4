#include "DatasetGridDelegate.h"

#include "ClassColors.h"
#include "DatasetBrowserModel.h"

#include "LabelMap.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <cmath>

namespace cassava::ui {

namespace {

constexpr int margin = 6;      // around the thumbnail inside the cell
constexpr int captionGap = 5;  // between thumbnail and caption
const QColor problemColor(0xc0, 0x39, 0x2b);

QRect fitted(const QSizeF& size, const QRect& box)
{
    if (size.isEmpty())
        return box;
    const double scale = std::min(box.width() / size.width(), box.height() / size.height());
    const QSize s(static_cast<int>(std::lround(size.width() * scale)), static_cast<int>(std::lround(size.height() * scale)));
    return QRect(box.left() + (box.width() - s.width()) / 2, box.top() + (box.height() - s.height()) / 2, s.width(),
                 s.height());
}

// A rounded pill with `text`, its left edge at x (or its right edge at x when `alignRight`).
QRect drawPill(QPainter* p, const QFont& font, int x, int centreY, const QString& text, const QColor& fill,
               const QColor& ink, bool alignRight = false)
{
    const QFontMetrics fm(font);
    const int w = fm.horizontalAdvance(text) + 10;
    const int h = fm.height() + 2;
    const QRect r(alignRight ? x - w : x, centreY - h / 2, w, h);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(r, h / 2.0, h / 2.0);
    p->setPen(ink);
    p->setFont(font);
    p->drawText(r, Qt::AlignCenter, text);
    return r;
}

}  // namespace

DatasetGridDelegate::DatasetGridDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QColor DatasetGridDelegate::textOn(const QColor& background)
{
    const double luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue();
    return luminance > 150 ? QColor(0x1b, 0x1b, 0x1b) : QColor(Qt::white);
}

QString DatasetGridDelegate::shortName(int label) const
{
    return labels_ && labels_->contains(label) ? QString::fromStdString(labels_->shortName(label)) : QString::number(label);
}

QSize DatasetGridDelegate::cellSize(const QFont& font) const
{
    const QFontMetrics fm(font);
    const QSize box = thumbnailBox();
    return {box.width() + 2 * margin, margin + box.height() + captionGap + fm.height() + margin};
}

QSize DatasetGridDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    return cellSize(option.font);
}

void DatasetGridDelegate::paintMarker(QPainter* p, const QRect& box, const QString& text, const QColor& color) const
{
    const QRect r = box.adjusted(2, 2, -2, -2);
    QColor tint = color;
    tint.setAlphaF(0.08f);
    p->setBrush(tint);
    QPen pen(color, 1.5, Qt::DashLine);
    p->setPen(pen);
    p->drawRoundedRect(r, 6, 6);
    // A crossed-out circle: "no image here", readable without colour.
    const int d = std::min(r.width(), r.height()) / 3;
    const QRect circle(r.center().x() - d / 2, r.center().y() - d / 2 - d / 4, d, d);
    p->setPen(QPen(color, 2.2));
    p->setBrush(Qt::NoBrush);
    p->drawEllipse(circle);
    const double k = d / (2 * std::sqrt(2.0));
    const QPointF c = QRectF(circle).center();
    p->drawLine(QPointF(c.x() - k, c.y() + k), QPointF(c.x() + k, c.y() - k));
    QFont f = p->font();
    f.setBold(true);
    p->setFont(f);
    p->setPen(color);
    p->drawText(QRect(r.left(), circle.bottom() + 4, r.width(), QFontMetrics(f).height()), Qt::AlignHCenter, text);
}

void DatasetGridDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const QRect cell = option.rect.adjusted(1, 1, -1, -1);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    if (selected || hovered) {
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlphaF(selected ? 0.28f : 0.10f);
        p->setPen(selected ? QPen(pal.color(QPalette::Highlight), 2) : Qt::NoPen);
        p->setBrush(fill);
        p->drawRoundedRect(QRectF(cell).adjusted(1, 1, -1, -1), 6, 6);
    }

    const QSize boxSize = thumbnailBox();
    const QRect box(cell.left() + (cell.width() - boxSize.width()) / 2, cell.top() + margin - 1, boxSize.width(),
                    boxSize.height());
    const auto state = static_cast<DatasetBrowserModel::ImageState>(index.data(DatasetBrowserModel::StateRole).toInt());
    const QPixmap pixmap = index.data(Qt::DecorationRole).value<QPixmap>();
    QRect picture = box;
    if (!pixmap.isNull()) {
        picture = fitted(pixmap.deviceIndependentSize(), box);
        p->drawPixmap(picture, pixmap);
    } else if (state == DatasetBrowserModel::ImageState::Missing) {
        paintMarker(p, box, tr("Missing"), problemColor);
    } else if (state == DatasetBrowserModel::ImageState::Unreadable) {
        paintMarker(p, box, tr("Unreadable"), problemColor);
    } else {
        // Placeholder while the thumbnail is made: a quiet card of the usual photo shape.
        QColor fill = pal.color(QPalette::WindowText);
        fill.setAlphaF(0.07f);
        p->setPen(Qt::NoPen);
        p->setBrush(fill);
        p->drawRoundedRect(picture.adjusted(2, 2, -2, -2), 4, 4);
    }

    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    small.setBold(true);
    const int pillHeight = QFontMetrics(small).height() + 2;
    const int label = index.data(DatasetBrowserModel::LabelRole).toInt();
    const QColor color = classColor(label);
    drawPill(p, small, picture.left() + 3, picture.top() + 3 + pillHeight / 2, shortName(label), color, textOn(color));

    const int predicted = index.data(DatasetBrowserModel::PredictedRole).toInt();
    if (predicted >= 0 && !pixmap.isNull()) {
        const double confidence = index.data(DatasetBrowserModel::ConfidenceRole).toDouble();
        const QString text = predicted == label
                                 ? QStringLiteral("✓ %1 %").arg(std::lround(100 * confidence))
                                 : QStringLiteral("→ %1 %2 %").arg(shortName(predicted)).arg(std::lround(100 * confidence));
        const QColor fill = predicted == label ? QColor(0, 0, 0, 150) : classColor(predicted);
        drawPill(p, small, picture.right() - 2, picture.bottom() - 2 - pillHeight / 2, text, fill,
                 predicted == label ? QColor(Qt::white) : textOn(fill), true);
    }

    // The id below, elided in the middle when it must be (ids differ at their ends).
    const QRect text(cell.left() + 3, box.bottom() + captionGap, cell.width() - 6, option.fontMetrics.height());
    p->setFont(option.font);
    p->setPen(pal.color(selected ? QPalette::Text : QPalette::WindowText));
    const QString id = index.data(Qt::DisplayRole).toString();
    p->drawText(text, Qt::AlignCenter, option.fontMetrics.elidedText(id, Qt::ElideMiddle, text.width()));
    p->restore();
}

}  // namespace cassava::ui
