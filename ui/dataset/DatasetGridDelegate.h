#pragma once
// One cell of the dataset grid: the thumbnail (or a placeholder while it loads, or a marker on a
// missing or unreadable photo) with the class as a coloured badge in its corner and, with a run,
// what the run predicted in the other; the image id below. Every cell has the same size (the grid relies on uniform item sizes to lay out
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

    // The thumbnail box in device-independent pixels: photos are mostly 4:3 landscape, so the
    // box is too and they fill it; portrait photos are fitted inside.
    void setThumbnailWidth(int width) { width_ = width; }
    int thumbnailWidth() const { return width_; }
    QSize thumbnailBox() const { return {width_, width_ * 3 / 4}; }
    void setLabels(const LabelMap* labels) { labels_ = labels; }

    QSize cellSize(const QFont& font) const;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Text on a class colour that stays readable (dark on the light orange, white on blue).
    static QColor textOn(const QColor& background);

private:
    QString shortName(int label) const;
    void paintMarker(QPainter* painter, const QRect& box, const QString& text, const QColor& color) const;

    int width_ = 144;
    const LabelMap* labels_ = nullptr;
};

}  // namespace cassava::ui
