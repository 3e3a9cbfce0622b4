#pragma once
// Paints one card of the Diagnose view: thumbnail (with its plant's badge), file name, the disease
// or "Not sure" with the request for a better photo, the confidence bar and all class
// probabilities; errors in their own words. A delegate, not a widget per card, so the list copes
// with hundreds of cards.
#include <QStyledItemDelegate>

namespace cassava::ui {

class DiagnoseModel;

class CardDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    CardDelegate(const DiagnoseModel* model, QObject* parent = nullptr);

    // The thumbnail box every card reserves (logical pixels).
    static QSize thumbnailBox() { return {200, 150}; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    const DiagnoseModel* model_;
};

// A colour per plant, so a plant's cards can be told apart at a glance.
QColor plantColor(int plant);

// What a card asks for when it abstains (also the details pane's words).
QString anotherPhotoRequest();

}  // namespace cassava::ui
