#pragma once
// A page that has nothing to show yet and says so: an icon, a headline, what the page will hold
// or what to do, and buttons for the ways out. Views use it instead of an empty panel.
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace cassava::ui {

class EmptyState : public QWidget {
    Q_OBJECT
public:
    EmptyState(const QString& iconPath, const QString& headline, const QString& text,
               QWidget* parent = nullptr);

    // Adds a button under the text; the first one added is the default.
    QPushButton* addAction(const QString& text);
    void setText(const QString& text);
    void setHeadline(const QString& headline);
    QString headline() const;
    QString text() const;

private:
    QLabel* headline_ = nullptr;
    QLabel* text_ = nullptr;
    QHBoxLayout* buttons_ = nullptr;
};

}  // namespace cassava::ui
