#pragma once
// The problems panel: a sortable, filterable table over ProblemsModel with a one-line summary
// ("2 errors, 1 warning") and a friendly note when there is nothing to report.
#include "Problem.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace cassava::ui {

class ProblemsModel;
class ProblemsFilterModel;

class ProblemsView : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsView(QWidget* parent = nullptr);

    void setProblems(std::shared_ptr<const ProblemList> problems);
    void clear();

    // Shows only rows whose text contains `text` (any column, case-insensitive).
    void setFilterText(const QString& text);

    ProblemsModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const;
    QTableView* table() const { return table_; }
    QString summaryText() const;

private:
    void updateSummary();

    ProblemsModel* model_ = nullptr;
    ProblemsFilterModel* proxy_ = nullptr;
    QLabel* summary_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QComboBox* severityFilter_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    QTableView* table_ = nullptr;
};

}  // namespace cassava::ui
