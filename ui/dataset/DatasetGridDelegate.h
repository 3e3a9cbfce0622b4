#pragma once
// One cell of the dataset grid: the thumbnail (or a placeholder while it loads, or a marker on a
// missing or unreadable photo), the class as a coloured badge and the image id; with a run, what
// it predicted. Every cell has the same size (the grid relies on uniform item sizes to lay out
// 21,397 rows at once).
#include <QStyledItemDelegate>

namespace cassava {
class LabelMap;
}

namespace cassava::ui {

class DatasetGridDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit DatasetGridDelegate(QObject* parent = nullptr);

    // The thumbnail box in device-independent pixels.
    void setThumbnailBox(int size) { box_ = size; }
    int thumbnailBox() const { return box_; }
    void setLabels(const LabelMap* labels) { labels_ = labels; }

    QSize cellSize(const QFont& font) const;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Text on a class colour that stays readable (dark on the light orange, white on blue).
    static QColor textOn(const QColor& background);

private:
    QString shortName(int label) const;
    void paintMarker(QPainter* painter, const QRect& box, const QString& text, const QColor& color) const;

    int box_ = 148;
    const LabelMap* labels_ = nullptr;
};

}  // namespace cassava::ui
