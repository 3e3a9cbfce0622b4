#pragma once
// The Review view: images whose label the models confidently disagree with, to accept, relabel
// or keep, with undo. Until it is built, an honest empty state naming what it will hold.
#include "EmptyState.h"

namespace cassava::ui {

class ReviewView : public EmptyState {
    Q_OBJECT
public:
    explicit ReviewView(QWidget* parent = nullptr);
};

}  // namespace cassava::ui
