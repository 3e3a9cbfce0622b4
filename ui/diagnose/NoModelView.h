#pragma once
// What the Diagnose view says when there is no model to diagnose with: honestly that, and the two
// ways out: open a checkpoint, or train a quick model on the open dataset. Until the Train view
// exists, the second also shows the command line that does it, ready to copy.
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace cassava::ui {

class NoModelView : public QWidget {
    Q_OBJECT
public:
    explicit NoModelView(QWidget* parent = nullptr);

    void setDatasetRoot(const QString& root);
    // Why the last model could not be loaded ("" when none was tried).
    void setLoadError(const QString& error);
    QString trainCommand() const;
    QString loadError() const;

    // `cassava train --data DATA --out RUN --preset quick` for this dataset.
    static QString quickTrainCommand(const QString& datasetRoot);

signals:
    void openModelRequested();
    void trainQuickModelRequested();

private:
    void updateCommand();

    QString datasetRoot_;
    QLabel* error_ = nullptr;
    QLabel* datasetHint_ = nullptr;
    QLineEdit* command_ = nullptr;
    QPushButton* copy_ = nullptr;
};

}  // namespace cassava::ui
