#pragma once
// Help > Keyboard Shortcuts (F1 or ?): every menu action that has a shortcut, read from the menus
// themselves so the sheet cannot fall out of date, and the keys the views take.
#include <QDialog>

class QMenuBar;
class QTreeWidget;

namespace cassava::ui {

class ShortcutSheet : public QDialog {
    Q_OBJECT
public:
    ShortcutSheet(const QMenuBar* menus, QWidget* parent = nullptr);
    QTreeWidget* tree() const { return tree_; }

private:
    QTreeWidget* tree_ = nullptr;
};

}  // namespace cassava::ui
