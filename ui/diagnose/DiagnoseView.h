#pragma once
// Interim: the Diagnose view's interface; the real view replaces this file.
#include "Diagnosis.h"
#include <QWidget>
namespace cassava::ui {
class DiagnoseView : public QWidget {
    Q_OBJECT
public:
    explicit DiagnoseView(QWidget* parent = nullptr);
    void setModelPath(const QString& path);
    QString modelPath() const { return model_; }
    void setRecentModels(const QStringList&) {}
    void setDatasetRoot(const QString&) {}
    void setComputeOptions(const QString&, int) {}
    void setAbstainOptions(const cassava::AbstainOptions&) {}
    void addPhotos(const QStringList&) {}
    bool isBusy() const { return false; }
    int cardCount() const { return 0; }
signals:
    void modelChanged(const QString& path);
    void openModelRequested();
    void trainQuickModelRequested();
    void busyChanged(bool busy);
private:
    QString model_;
};
}  // namespace cassava::ui
