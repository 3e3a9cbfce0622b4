#include "ProblemsView.h"

#include "ProblemsModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace cassava::ui {

// Text filter over all columns plus a severity threshold.
class ProblemsFilterModel : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    // Rows less severe than this are hidden; Warning shows everything.
    void setMinimumSeverity(Problem::Severity severity)
    {
        minimum_ = severity;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override
    {
        const auto* problems = static_cast<const ProblemsModel*>(sourceModel());
        const Problem* p = problems->problemAt(sourceRow);
        if (p && static_cast<int>(p->severity) < static_cast<int>(minimum_))
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    }

private:
    Problem::Severity minimum_ = Problem::Severity::Warning;
};

ProblemsView::ProblemsView(QWidget* parent)
    : QWidget(parent),
      model_(new ProblemsModel(this)),
      proxy_(new ProblemsFilterModel(this)),
      summary_(new QLabel(this)),
      filter_(new QLineEdit(this)),
      severityFilter_(new QComboBox(this)),
      stack_(new QStackedWidget(this)),
      table_(new QTableView(this))
{
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(ProblemsModel::SortRole);
    proxy_->setFilterKeyColumn(-1);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto* title = new QLabel(tr("Problems"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    title->setFont(titleFont);
    summary_->setObjectName("problemsSummary");
    summary_->setForegroundRole(QPalette::PlaceholderText);

    filter_->setPlaceholderText(tr("Filter problems"));
    filter_->setClearButtonEnabled(true);
    filter_->setMaximumWidth(320);
    connect(filter_, &QLineEdit::textChanged, this, &ProblemsView::setFilterText);

    severityFilter_->addItem(tr("All severities"), static_cast<int>(Problem::Severity::Warning));
    severityFilter_->addItem(tr("Errors and fatal"), static_cast<int>(Problem::Severity::Error));
    severityFilter_->addItem(tr("Fatal only"), static_cast<int>(Problem::Severity::Fatal));
    connect(severityFilter_, &QComboBox::currentIndexChanged, this, [this](int) {
        proxy_->setMinimumSeverity(
            static_cast<Problem::Severity>(severityFilter_->currentData().toInt()));
        updateSummary();
    });

    auto* header = new QHBoxLayout;
    header->setSpacing(10);
    header->addWidget(title);
    header->addWidget(summary_, 1);
    header->addWidget(severityFilter_);
    header->addWidget(filter_);

    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(ProblemsModel::SeverityColumn, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->setShowGrid(false);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights and column widths: nothing is measured per row, so 20,000 rows cost
    // only what is visible.
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView* columns = table_->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    table_->setColumnWidth(ProblemsModel::SeverityColumn, 8 * em);
    table_->setColumnWidth(ProblemsModel::FileColumn, 16 * em);
    table_->setColumnWidth(ProblemsModel::LineColumn, 4 * em);

    auto* nothing = new QLabel(tr("No problems found: every row of train.csv is valid and every "
                                  "listed image is present."),
                               this);
    nothing->setObjectName("noProblemsLabel");
    nothing->setAlignment(Qt::AlignCenter);
    nothing->setWordWrap(true);
    nothing->setForegroundRole(QPalette::PlaceholderText);
    stack_->addWidget(table_);
    stack_->addWidget(nothing);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(header);
    layout->addWidget(stack_, 1);

    connect(proxy_, &QAbstractItemModel::modelReset, this, &ProblemsView::updateSummary);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, &ProblemsView::updateSummary);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, &ProblemsView::updateSummary);
    connect(proxy_, &QAbstractItemModel::rowsRemoved, this, &ProblemsView::updateSummary);
    updateSummary();
}

void ProblemsView::setProblems(std::shared_ptr<const ProblemList> problems)
{
    model_->setProblems(std::move(problems));
    stack_->setCurrentIndex(model_->rowCount() > 0 ? 0 : 1);
    updateSummary();
}

void ProblemsView::clear() { setProblems(nullptr); }

void ProblemsView::setFilterText(const QString& text)
{
    if (filter_->text() != text)
        filter_->setText(text);  // comes back here through textChanged
    else
        proxy_->setFilterFixedString(text);
    updateSummary();
}

QSortFilterProxyModel* ProblemsView::proxy() const { return proxy_; }

QString ProblemsView::summaryText() const { return summary_->text(); }

void ProblemsView::updateSummary()
{
    using S = Problem::Severity;
    QStringList parts;
    if (int n = model_->count(S::Fatal))
        parts << tr("%L1 fatal").arg(n);
    if (int n = model_->count(S::Error))
        parts << (n == 1 ? tr("1 error") : tr("%L1 errors").arg(n));
    if (int n = model_->count(S::Warning))
        parts << (n == 1 ? tr("1 warning") : tr("%L1 warnings").arg(n));
    QString text = parts.isEmpty() ? tr("none") : parts.join(QStringLiteral(", "));
    if (proxy_->rowCount() != model_->rowCount())
        text += tr(" — showing %L1 of %L2").arg(proxy_->rowCount()).arg(model_->rowCount());
    summary_->setText(text);
}

}  // namespace cassava::ui
