#include "DiagnoseView.h"
namespace cassava::ui {
DiagnoseView::DiagnoseView(QWidget* parent) : QWidget(parent) {}
void DiagnoseView::setModelPath(const QString& path) { model_ = path; emit modelChanged(path); }
}  // namespace cassava::ui
