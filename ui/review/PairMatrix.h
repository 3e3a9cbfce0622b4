#pragma once
// The count of suspects per given/suggested class pair: a small matrix, rows the given label,
// columns the suggested one, each cell shaded by its count. Clicking a cell selects that pair (the
// list shows only it); clicking it again, or Escape, clears the selection.
#include <QStringList>
#include <QWidget>

#include <vector>

namespace cassava::ui {

class PairMatrix : public QWidget {
    Q_OBJECT
public:
    explicit PairMatrix(QWidget* parent = nullptr);

    void setCounts(const std::vector<std::vector<int>>& counts, const QStringList& shortNames);
    int count(int given, int suggested) const;
    void setSelected(int given, int suggested);  // -1, -1: none
    int selectedGiven() const { return given_; }
    int selectedSuggested() const { return suggested_; }
    QRect cellRect(int given, int suggested) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

signals:
    void pairClicked(int given, int suggested);  // -1, -1: cleared

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    int cellSize() const;
    QString rowName(int label) const;
    int headerWidth() const;
    int headerHeight() const;

    std::vector<std::vector<int>> counts_;
    QStringList names_;
    int given_ = -1, suggested_ = -1;
};

}  // namespace cassava::ui
