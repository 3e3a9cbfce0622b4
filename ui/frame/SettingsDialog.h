#pragma once
// File > Settings: how networks run, the thumbnail memory budget, and when a diagnosis abstains.
// Values are written to AppSettings when the dialog is accepted.
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace cassava::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    void accept() override;

    QComboBox* deviceBox() const { return device_; }
    QSpinBox* threadsBox() const { return threads_; }
    QSpinBox* thumbnailCacheBox() const { return thumbnailCache_; }
    QDoubleSpinBox* abstainBox() const { return abstain_; }
    QCheckBox* nonLeafBox() const { return nonLeaf_; }

private:
    QComboBox* device_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QSpinBox* thumbnailCache_ = nullptr;
    QDoubleSpinBox* abstain_ = nullptr;
    QCheckBox* nonLeaf_ = nullptr;
};

}  // namespace cassava::ui
