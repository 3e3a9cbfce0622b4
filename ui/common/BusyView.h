#pragma once
// A page that says what the app is busy with, with an indeterminate progress bar.
#include <QWidget>

class QLabel;

namespace cassava::ui {

class BusyView : public QWidget {
    Q_OBJECT
public:
    explicit BusyView(QWidget* parent = nullptr);
    void setText(const QString& text);
    QString text() const;

private:
    QLabel* label_ = nullptr;
};

}  // namespace cassava::ui
