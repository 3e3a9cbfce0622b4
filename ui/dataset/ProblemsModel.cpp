#include "ProblemsModel.h"

#include <QPainter>
#include <QPixmap>

namespace cassava::ui {

namespace {

const ProblemList& emptyList()
{
    static const ProblemList empty;
    return empty;
}

int severityIndex(Problem::Severity severity) { return static_cast<int>(severity); }

// A filled disc with a white glyph: readable at 16 px on light and dark themes alike.
QIcon makeBadge(const QColor& color, const QString& glyph)
{
    QIcon icon;
    for (int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        const qreal margin = size / 16.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(size * 11 / 16);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(QRect(0, 0, size, size), Qt::AlignCenter, glyph);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

}  // namespace

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setProblems(std::shared_ptr<const ProblemList> problems)
{
    beginResetModel();
    problems_ = std::move(problems);
    counts_ = {};
    if (problems_)
        for (const Problem& p : *problems_)
            ++counts_[static_cast<size_t>(severityIndex(p.severity))];
    endResetModel();
}

void ProblemsModel::clear() { setProblems(nullptr); }

const ProblemList& ProblemsModel::problems() const { return problems_ ? *problems_ : emptyList(); }

const Problem* ProblemsModel::problemAt(int row) const
{
    const ProblemList& list = problems();
    return row >= 0 && row < static_cast<int>(list.size()) ? &list[static_cast<size_t>(row)] : nullptr;
}

int ProblemsModel::count(Problem::Severity severity) const
{
    return counts_[static_cast<size_t>(severityIndex(severity))];
}

int ProblemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(problems().size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const
{
    const Problem* p = index.isValid() ? problemAt(index.row()) : nullptr;
    if (!p)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SeverityColumn: return severityText(p->severity);
        case FileColumn: return QString::fromStdString(p->file);
        case LineColumn: return p->line > 0 ? QVariant(p->line) : QVariant(QString());
        case MessageColumn: return QString::fromStdString(p->message);
        }
        break;
    case SortRole:
        switch (column) {
        // Most severe first in ascending order.
        case SeverityColumn: return 2 - severityIndex(p->severity);
        case LineColumn: return p->line;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DecorationRole:
        if (column == SeverityColumn)
            return severityIcon(p->severity);
        break;
    case Qt::ToolTipRole:
        return QString::fromStdString(p->toString());
    case Qt::TextAlignmentRole:
        if (column == LineColumn)
            return QVariant(Qt::AlignCenter);
        break;
    }
    return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn: return tr("Severity");
    case FileColumn: return tr("File");
    case LineColumn: return tr("Line");
    case MessageColumn: return tr("Message");
    }
    return {};
}

QString ProblemsModel::severityText(Problem::Severity severity)
{
    switch (severity) {
    case Problem::Severity::Warning: return tr("Warning");
    case Problem::Severity::Error: return tr("Error");
    case Problem::Severity::Fatal: return tr("Fatal");
    }
    return {};
}

QColor ProblemsModel::severityColor(Problem::Severity severity)
{
    switch (severity) {
    case Problem::Severity::Warning: return QColor(0xC7, 0x8A, 0x00);
    case Problem::Severity::Error: return QColor(0xD1, 0x4B, 0x2E);
    case Problem::Severity::Fatal: return QColor(0x9B, 0x1C, 0x2C);
    }
    return Qt::gray;
}

QIcon ProblemsModel::severityIcon(Problem::Severity severity)
{
    static const QIcon warning = makeBadge(severityColor(Problem::Severity::Warning), "!");
    static const QIcon error = makeBadge(severityColor(Problem::Severity::Error), "!");
    static const QIcon fatal = makeBadge(severityColor(Problem::Severity::Fatal), "\u00D7");
    switch (severity) {
    case Problem::Severity::Warning: return warning;
    case Problem::Severity::Error: return error;
    case Problem::Severity::Fatal: return fatal;
    }
    return {};
}

}  // namespace cassava::ui
