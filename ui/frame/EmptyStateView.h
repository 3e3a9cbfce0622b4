#pragma once
// What the window shows before any dataset is open: what to do next, as buttons.
#include <QWidget>

namespace cassava::ui {

class EmptyStateView : public QWidget {
    Q_OBJECT
public:
    explicit EmptyStateView(QWidget* parent = nullptr);

signals:
    void openDatasetRequested();
    void openDemoRequested();
};

}  // namespace cassava::ui
