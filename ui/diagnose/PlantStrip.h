#pragma once
// The Diagnose view's plants at a glance: one chip per plant with its consensus ("CMD 81 %") and
// agreement ("4 of 5 leaves: CMD"), in the plant's colour. Clicking a chip asks for its photos.
// Rebuilt at most once per event-loop turn however many cards changed.
#include <QListWidget>

class QTimer;

namespace cassava::ui {

class DiagnoseModel;

class PlantStrip : public QListWidget {
    Q_OBJECT
public:
    explicit PlantStrip(const DiagnoseModel* model, QWidget* parent = nullptr);

signals:
    void plantClicked(int plant);
    void rebuilt();

private:
    void rebuild();

    const DiagnoseModel* model_;
    QTimer* timer_ = nullptr;
};

}  // namespace cassava::ui
