#pragma once
// The Train view: a k-fold training wizard and live curves. Until it is built, an honest empty
// state that says what it will hold and how to train from the command line meanwhile.
#include "EmptyState.h"

namespace cassava::ui {

class TrainView : public EmptyState {
    Q_OBJECT
public:
    explicit TrainView(QWidget* parent = nullptr);
    void setDatasetRoot(const QString& root);  // the command to copy names it
};

}  // namespace cassava::ui
