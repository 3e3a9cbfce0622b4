#pragma once
// The Results view: a run's curves, confusion heatmap and submission. Until it is built, an
// honest empty state naming what it will hold.
#include "EmptyState.h"

namespace cassava::ui {

class ResultsView : public EmptyState {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);
    void setRun(const QString& runDir);
};

}  // namespace cassava::ui
