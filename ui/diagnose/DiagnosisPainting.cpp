#include "DiagnosisPainting.h"

#include "ClassColors.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace cassava::ui {

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor classTextColor(int label, const QPalette& palette)
{
    QColor c = classColor(label);
    // Okabe-Ito's blue and vermillion are too dark to read on a dark base.
    return isDarkPalette(palette) ? c.lighter(150) : c.darker(115);
}

QColor errorTextColor(const QPalette& palette)
{
    return isDarkPalette(palette) ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB0, 0x20, 0x20);
}

QColor trackColor(const QPalette& palette)
{
    QColor c = palette.color(QPalette::Text);
    c.setAlphaF(isDarkPalette(palette) ? 0.16f : 0.10f);
    return c;
}

void paintBar(QPainter& p, const QRectF& rect, double value, const QColor& colour, const QPalette& palette)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    const double radius = rect.height() / 2;
    p.setBrush(trackColor(palette));
    p.drawRoundedRect(rect, radius, radius);
    const double v = std::clamp(value, 0.0, 1.0);
    if (v > 0) {
        QRectF filled = rect;
        filled.setWidth(std::max(rect.height(), rect.width() * v));
        QPainterPath clip;
        clip.addRoundedRect(rect, radius, radius);
        p.setClipPath(clip);
        p.setBrush(colour);
        // Below the bar's height a sliver, not a disc: small values look small.
        if (rect.width() * v < rect.height())
            filled.setWidth(rect.width() * v);
        p.drawRoundedRect(filled, radius, radius);
    }
    p.restore();
}

QString percentText(double value)
{
    const double percent = value * 100.0;
    if (percent > 0 && percent < 1)
        return QStringLiteral("<1 %");
    return QStringLiteral("%1 %").arg(static_cast<int>(std::lround(percent)));
}

void paintProbabilityRows(QPainter& p, const QRect& rect, const std::vector<float>& probabilities,
                          const QStringList& shortNames, int highlighted, bool dimmed, const QPalette& palette)
{
    const int rows = static_cast<int>(probabilities.size());
    if (rows == 0 || rect.height() <= 0)
        return;
    p.save();
    if (dimmed)
        p.setOpacity(0.45);
    const QFontMetrics fm = p.fontMetrics();
    QFont boldFont = p.font();
    boldFont.setBold(true);
    const QFontMetrics bold(boldFont);  // the highlighted name is bold: room for it
    int nameWidth = bold.horizontalAdvance(QStringLiteral("CBSD"));
    for (const QString& n : shortNames)
        nameWidth = std::max(nameWidth, bold.horizontalAdvance(n) + 1);
    nameWidth = std::min(nameWidth, rect.width() / 3);
    const int percentWidth = bold.horizontalAdvance(QStringLiteral("100 %")) + 1;  // the highlighted row is bold
    const int rowHeight = rect.height() / rows;
    const int gap = std::max(4, fm.averageCharWidth());
    for (int c = 0; c < rows; ++c) {
        const QRect row(rect.left(), rect.top() + c * rowHeight, rect.width(), rowHeight);
        QFont f = p.font();
        f.setBold(c == highlighted);
        p.setFont(f);
        p.setPen(palette.color(QPalette::Text));
        const QString name = c < shortNames.size() ? shortNames.at(c) : QString::number(c);
        p.drawText(QRect(row.left(), row.top(), nameWidth, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   (c == highlighted ? bold : fm).elidedText(name, Qt::ElideRight, nameWidth));
        const double value = static_cast<double>(probabilities[static_cast<size_t>(c)]);
        p.drawText(QRect(row.right() - percentWidth, row.top(), percentWidth, row.height()),
                   Qt::AlignRight | Qt::AlignVCenter, percentText(value));
        const double barHeight = std::max(3.0, std::min(8.0, row.height() * 0.45));
        const QRectF bar(row.left() + nameWidth + gap, row.center().y() - barHeight / 2 + 0.5,
                         std::max(10, row.width() - nameWidth - percentWidth - 2 * gap), barHeight);
        paintBar(p, bar, value, classColor(c), palette);
    }
    p.restore();
}

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ProbabilityBars::setProbabilities(const std::vector<float>& probabilities, const QStringList& shortNames,
                                       int highlighted, bool dimmed)
{
    probabilities_ = probabilities;
    names_ = shortNames;
    highlighted_ = highlighted;
    dimmed_ = dimmed;
    updateGeometry();
    update();
}

int ProbabilityBars::rowHeight() const
{
    return fontMetrics().height() + 6;
}

QSize ProbabilityBars::sizeHint() const
{
    const int rows = std::max(1, static_cast<int>(probabilities_.size()));
    return {fontMetrics().averageCharWidth() * 30, rows * rowHeight()};
}

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintProbabilityRows(p, rect(), probabilities_, names_, highlighted_, dimmed_, palette());
}

ConfidenceBar::ConfidenceBar(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ConfidenceBar::setConfidence(double value, const QColor& colour, bool dimmed)
{
    value_ = value;
    colour_ = colour;
    dimmed_ = dimmed;
    update();
}

QSize ConfidenceBar::sizeHint() const
{
    return {fontMetrics().averageCharWidth() * 30, fontMetrics().height() + 4};
}

void ConfidenceBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    if (dimmed_)
        p.setOpacity(0.45);
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    const QString text = percentText(value_);
    const int textWidth = QFontMetrics(f).horizontalAdvance(QStringLiteral("100 %")) + 4;
    const double h = std::min(12.0, height() * 0.7);
    paintBar(p, QRectF(0, (height() - h) / 2, std::max(10, width() - textWidth - 6), h), value_, colour_, palette());
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(width() - textWidth, 0, textWidth, height()), Qt::AlignRight | Qt::AlignVCenter, text);
}

}  // namespace cassava::ui
