#pragma once
// The Diagnose view's model line: which model diagnoses (the last used, a recent run or
// checkpoint, or one opened from a file), and what it is once loaded.
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace cassava::ui {

class ModelChooser : public QWidget {
    Q_OBJECT
public:
    explicit ModelChooser(QWidget* parent = nullptr);

    void setRecent(const QStringList& paths);
    QStringList recent() const { return recent_; }
    // Shows `path` as chosen (adding it to the list when it is not there yet); "" = none.
    void setCurrent(const QString& path);
    QString current() const { return current_; }
    void setStatus(const QString& text, const QString& tooltip = {});

    // "fold_0/best.ckpt in my-run" / "my-run (run)": what the list shows for a path.
    static QString displayName(const QString& path);

signals:
    void modelChosen(const QString& path);
    void openRequested();

private:
    void rebuild();

    QStringList recent_;
    QString current_;
    QComboBox* combo_ = nullptr;
    QToolButton* open_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace cassava::ui
