#include "PairMatrix.h"

#include "ClassColors.h"
#include "DiagnosisPainting.h"

#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace cassava::ui {

PairMatrix::PairMatrix(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::ClickFocus);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Suspects per pair: rows the given label, columns the suggested one. Click a cell to list only it."));
}

void PairMatrix::setCounts(const std::vector<std::vector<int>>& counts, const QStringList& shortNames)
{
    counts_ = counts;
    names_ = shortNames;
    updateGeometry();
    update();
}

int PairMatrix::count(int given, int suggested) const
{
    if (given < 0 || suggested < 0 || given >= static_cast<int>(counts_.size()) ||
        suggested >= static_cast<int>(counts_[static_cast<size_t>(given)].size()))
        return 0;
    return counts_[static_cast<size_t>(given)][static_cast<size_t>(suggested)];
}

void PairMatrix::setSelected(int given, int suggested)
{
    given_ = given;
    suggested_ = suggested;
    update();
}

int PairMatrix::cellSize() const { return fontMetrics().height() * 2; }
// Rows are named "CBB 0"; columns, too narrow for names, by the class number.
QString PairMatrix::rowName(int label) const { return QStringLiteral("%1 %2").arg(names_.value(label)).arg(label); }

int PairMatrix::headerWidth() const
{
    int w = 0;
    for (int i = 0; i < names_.size(); ++i)
        w = std::max(w, fontMetrics().horizontalAdvance(rowName(i)));
    return w + fontMetrics().height() / 2 + 6;
}
int PairMatrix::headerHeight() const { return fontMetrics().height() + 4; }

QSize PairMatrix::sizeHint() const
{
    const int n = static_cast<int>(names_.size());
    return {headerWidth() + n * cellSize() + 2, headerHeight() * 2 + n * cellSize() + 2};
}

QRect PairMatrix::cellRect(int given, int suggested) const
{
    return {headerWidth() + suggested * cellSize(), headerHeight() * 2 + given * cellSize(), cellSize(), cellSize()};
}

void PairMatrix::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int n = static_cast<int>(names_.size());
    int most = 1;
    for (const auto& row : counts_)
        for (int c : row)
            most = std::max(most, c);
    const QPalette pal = palette();
    QFont small = font();
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(headerWidth(), 0, n * cellSize(), headerHeight()), Qt::AlignCenter, tr("suggested"));
    p.drawText(QRect(0, 0, headerWidth() - 6, headerHeight() * 2), Qt::AlignRight | Qt::AlignBottom, tr("given"));
    for (int j = 0; j < n; ++j) {
        p.setPen(classTextColor(j, pal));
        p.drawText(QRect(headerWidth() + j * cellSize(), headerHeight(), cellSize(), headerHeight()), Qt::AlignCenter,
                   QString::number(j));
    }
    for (int i = 0; i < n; ++i) {
        p.setPen(classTextColor(i, pal));
        p.drawText(QRect(0, headerHeight() * 2 + i * cellSize(), headerWidth() - 6, cellSize()),
                   Qt::AlignRight | Qt::AlignVCenter, rowName(i));
        for (int j = 0; j < n; ++j) {
            const QRect r = cellRect(i, j).adjusted(1, 1, -1, -1);
            const int c = count(i, j);
            if (i == j) {
                p.fillRect(r, pal.color(QPalette::AlternateBase));
                continue;
            }
            QColor fill = classColor(j);
            fill.setAlphaF(c == 0 ? 0.0 : 0.15 + 0.75 * c / most);
            p.fillRect(r, trackColor(pal));
            p.fillRect(r, fill);
            if (c > 0) {
                p.setPen(c > most / 2 ? QColor(Qt::white) : pal.color(QPalette::Text));
                p.setFont(small);
                p.drawText(r, Qt::AlignCenter, QLocale().toString(c));
            }
            if (i == given_ && j == suggested_) {
                p.setPen(QPen(pal.color(QPalette::Highlight), 2));
                p.setBrush(Qt::NoBrush);
                p.drawRect(r.adjusted(1, 1, -1, -1));
            }
        }
    }
}

void PairMatrix::mousePressEvent(QMouseEvent* event)
{
    const int n = static_cast<int>(names_.size());
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            if (i != j && cellRect(i, j).contains(event->position().toPoint())) {
                if (i == given_ && j == suggested_)
                    setSelected(-1, -1);
                else
                    setSelected(i, j);
                emit pairClicked(given_, suggested_);
                return;
            }
    QWidget::mousePressEvent(event);
}

void PairMatrix::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape && given_ >= 0) {
        setSelected(-1, -1);
        emit pairClicked(-1, -1);
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace cassava::ui
