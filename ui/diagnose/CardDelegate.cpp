#include "CardDelegate.h"

#include "ClassColors.h"
#include "DiagnoseModel.h"
#include "DiagnosisPainting.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

namespace {

constexpr int kMargin = 8;
constexpr int kGap = 4;

QFont smallFont(const QFont& base)
{
    QFont f = base;
    f.setPointSizeF(std::max(7.0, base.pointSizeF() * 0.88));
    return f;
}

QFont headlineFont(const QFont& base)
{
    QFont f = base;
    f.setBold(true);
    f.setPointSizeF(base.pointSizeF() * 1.08);
    return f;
}

// Up to `maxLines` lines of `text` wrapped into `rect`, the last one elided.
void drawWrapped(QPainter& p, const QRect& rect, const QString& text, int maxLines)
{
    const QFontMetrics fm = p.fontMetrics();
    QTextLayout layout(text, p.font());
    layout.beginLayout();
    int y = rect.top();
    int lines = 0;
    while (lines < maxLines) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(rect.width());
        ++lines;
        const QString piece = text.mid(line.textStart(), line.textLength()).trimmed();
        const bool last = lines == maxLines && line.textStart() + line.textLength() < text.size();
        const QString shown = last ? fm.elidedText(text.mid(line.textStart()), Qt::ElideRight, rect.width()) : piece;
        p.drawText(QRect(rect.left(), y, rect.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter, shown);
        y += fm.height();
    }
    layout.endLayout();
}

void drawPlaceholder(QPainter& p, const QRect& box, const QPalette& pal, const QString& text, const QColor& colour)
{
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(box, 4, 4);
    p.setPen(colour);
    p.drawText(box.adjusted(6, 6, -6, -6), Qt::AlignCenter | Qt::TextWordWrap, text);
    p.restore();
}

}  // namespace

QColor plantColor(int plant)
{
    const double hue = std::fmod(0.13 + 0.61803398875 * std::max(plant, 0), 1.0);
    return QColor::fromHsvF(static_cast<float>(hue), 0.45f, 0.85f);
}

QString anotherPhotoRequest()
{
    return QObject::tr("Please take another photo: one leaf, in daylight, filling the frame.");
}

CardDelegate::CardDelegate(const DiagnoseModel* model, QObject* parent) : QStyledItemDelegate(parent), model_(model) {}

QSize CardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const QFontMetrics small(smallFont(option.font));
    const QFontMetrics headline(headlineFont(option.font));
    const int classes = std::max(1, model_->labels().size());
    const int height = kMargin + thumbnailBox().height() + kGap + small.height() + headline.height() +
                       2 * small.height() + kGap + classes * (small.height() + 1) + kMargin;
    return {thumbnailBox().width() + 2 * kMargin, height};
}

void CardDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    if (!index.isValid() || index.row() >= model_->rowCount())
        return;
    const LeafCard& card = model_->cardAt(index.row());
    QPainter& p = *painter;
    const QPalette& pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    p.save();
    p.setRenderHint(QPainter::Antialiasing);

    // The card itself.
    const QRectF frame = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5);
    QColor fill = pal.color(QPalette::Base);
    if (selected) {
        QColor h = pal.color(QPalette::Highlight);
        h.setAlphaF(0.18f);
        fill = QColor::fromRgbF(fill.redF() * (1 - h.alphaF()) + h.redF() * h.alphaF(),
                                fill.greenF() * (1 - h.alphaF()) + h.greenF() * h.alphaF(),
                                fill.blueF() * (1 - h.alphaF()) + h.blueF() * h.alphaF());
    }
    p.setBrush(fill);
    p.setPen(QPen(selected ? pal.color(QPalette::Highlight) : pal.color(QPalette::Mid), selected ? 2.0 : 1.0));
    p.drawRoundedRect(frame, 6, 6);

    const QRect inner = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    const QRect box(inner.left(), inner.top(), inner.width(), thumbnailBox().height());
    const auto verdict = model_->verdictOf(card);
    const bool abstained = verdict && *verdict != Verdict::Diagnosed;

    // Thumbnail, or what stands in for it.
    if (!card.thumbnail.isNull()) {
        QSizeF s = QSizeF(card.thumbnail.size());
        s.scale(QSizeF(box.size()), Qt::KeepAspectRatio);
        const QRectF target(box.left() + (box.width() - s.width()) / 2, box.top() + (box.height() - s.height()) / 2,
                            s.width(), s.height());
        p.drawImage(target, card.thumbnail);
    } else if (card.state == CardState::Error || (card.thumbnailDone && card.thumbnail.isNull())) {
        drawPlaceholder(p, box, pal, tr("No picture"), errorTextColor(pal));
    } else {
        drawPlaceholder(p, box, pal, tr("Loading…"), pal.color(QPalette::PlaceholderText));
    }

    // The plant's badge over the thumbnail's corner.
    if (card.plant) {
        QFont f = smallFont(option.font);
        f.setBold(true);
        p.setFont(f);
        const QFontMetrics fm(f);
        const QString name = fm.elidedText(model_->plantName(card.plant), Qt::ElideRight, box.width() * 2 / 3);
        const QRectF badge(box.left() + 4, box.top() + 4, fm.horizontalAdvance(name) + fm.height() + 10, fm.height() + 4);
        QColor back = pal.color(QPalette::Window);
        back.setAlphaF(0.88f);
        p.setPen(Qt::NoPen);
        p.setBrush(back);
        p.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2);
        p.setBrush(plantColor(card.plant));
        const double d = fm.height() * 0.6;
        p.drawEllipse(QRectF(badge.left() + 5, badge.center().y() - d / 2, d, d));
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(badge.adjusted(fm.height() + 4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, name);
    }

    const QFont small = smallFont(option.font);
    const QFont headline = headlineFont(option.font);
    const QFontMetrics sm(small), hm(headline);
    int y = box.bottom() + 1 + kGap;

    p.setFont(small);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(inner.left(), y, inner.width(), sm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               sm.elidedText(card.name, Qt::ElideMiddle, inner.width()));
    y += sm.height();

    const QRect headRect(inner.left(), y, inner.width(), hm.height());
    y += hm.height();
    const QRect slot(inner.left(), y, inner.width(), 2 * sm.height());
    y += 2 * sm.height() + kGap;
    const QRect rows(inner.left(), y, inner.width(), inner.bottom() - y + 1);

    p.setFont(headline);
    auto head = [&](const QString& text, const QColor& colour) {
        p.setFont(headline);
        p.setPen(colour);
        p.drawText(headRect, Qt::AlignLeft | Qt::AlignVCenter, hm.elidedText(text, Qt::ElideRight, headRect.width()));
    };
    p.setFont(small);
    switch (card.state) {
    case CardState::Waiting:
    case CardState::Diagnosing:
    case CardState::Cancelled: {
        const QString text = card.state == CardState::Diagnosing ? tr("Diagnosing…")
                             : card.state == CardState::Cancelled ? tr("Not diagnosed")
                                                                  : tr("Waiting…");
        head(text, pal.color(QPalette::PlaceholderText));
        if (card.state == CardState::Cancelled) {
            p.setFont(small);
            p.setPen(pal.color(QPalette::PlaceholderText));
            drawWrapped(p, slot, tr("Cancelled. \"Diagnose remaining\" continues."), 2);
        }
        break;
    }
    case CardState::Error:
    {
        head(tr("Cannot read this photo"), errorTextColor(pal));
        p.setFont(small);
        p.setPen(errorTextColor(pal));
        // Core's message starts with the path; the card has room for the file's name.
        QString error = card.error;
        error.replace(card.path, card.name);
        drawWrapped(p, QRect(slot.left(), slot.top(), slot.width(), rows.bottom() - slot.top()), error,
                    std::max(2, (rows.bottom() - slot.top()) / sm.height()));
        break;
    }
    case CardState::Done: {
        if (abstained) {
            head(tr("Not sure"), pal.color(QPalette::Text));
            p.setFont(small);
            p.setPen(pal.color(QPalette::Text));
            drawWrapped(p, slot,
                        *verdict == Verdict::NotALeaf ? tr("Not a leaf? Take one leaf in daylight, filling the frame.")
                                                      : tr("Take another photo: one leaf, daylight, filling the frame."),
                        2);
        } else {
            head(model_->cardTitle(card.predicted), classTextColor(card.predicted, pal));
            // "Confidence   87 %" over a thick bar in the class's colour.
            const double confidence = static_cast<double>(model_->confidenceOf(card));
            p.setFont(small);
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRect(slot.left(), slot.top(), slot.width(), sm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("Confidence"));
            QFont bold = small;
            bold.setBold(true);
            p.setFont(bold);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRect(slot.left(), slot.top(), slot.width(), sm.height()), Qt::AlignRight | Qt::AlignVCenter,
                       percentText(confidence));
            const double barHeight = std::min(10.0, sm.height() * 0.7);
            paintBar(p, QRectF(slot.left(), slot.top() + sm.height() + (sm.height() - barHeight) / 2, slot.width(),
                               barHeight),
                     confidence, classColor(card.predicted), pal);
        }
        QStringList names;
        for (int c = 0; c < static_cast<int>(card.probabilities.size()); ++c)
            names.append(model_->shortName(c));
        p.setFont(small);
        paintProbabilityRows(p, rows, card.probabilities, names, abstained ? -1 : card.predicted, abstained, pal);
        break;
    }
    }
    p.restore();
}

}  // namespace cassava::ui
