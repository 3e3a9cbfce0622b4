#pragma once
// The problems core found in a dataset, as a table: severity, file, line, message.
// Rows are converted to strings only when a view asks for them, so 20,000 problems (a full
// Kaggle train.csv with a sample of its images) list and sort at once.
#include "Problem.h"

#include <QAbstractTableModel>
#include <QIcon>

#include <array>
#include <memory>

namespace cassava::ui {

class ProblemsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeverityColumn, FileColumn, LineColumn, MessageColumn, ColumnCount };
    // A value that sorts the way a person expects: fatal before error before warning, lines
    // as numbers.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProblemsModel(QObject* parent = nullptr);

    // Shares the list (e.g. aliasing a Dataset's problems()); no copy is made.
    void setProblems(std::shared_ptr<const ProblemList> problems);
    void clear();
    const ProblemList& problems() const;
    const Problem* problemAt(int row) const;
    int count(Problem::Severity severity) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString severityText(Problem::Severity severity);
    static QColor severityColor(Problem::Severity severity);
    static QIcon severityIcon(Problem::Severity severity);

private:
    std::shared_ptr<const ProblemList> problems_;
    std::array<int, 3> counts_{};
};

}  // namespace cassava::ui
