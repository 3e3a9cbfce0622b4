#pragma once
// `cassava-studio --tour OUT_DIR`: once what the command line opened has loaded (the dataset, the
// model, the photos' diagnoses), visit the start page, every view and the shortcut sheet, then the
// training wizard's pages over the open dataset, and a training of its own (into a temporary
// folder) with the dashboard live after its second epoch; save one PNG for each into OUT_DIR,
// and finish. README's screenshots come from it.
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QTimer;

namespace cassava::ui {

class MainWindow;
class TrainWizard;

class Tour : public QObject {
    Q_OBJECT
public:
    Tour(MainWindow* window, QString outDir, QObject* parent = nullptr);
    ~Tour() override;

    // The pictures, in order.
    static QStringList pictureNames();

    void start();
    QStringList written() const { return written_; }
    QString error() const { return error_; }

    // How long the tour waits for the window's work before it gives up (exit code 1).
    void setTimeoutMs(int ms) { timeoutMs_ = ms; }

signals:
    void finished(int exitCode);  // 0: every picture written

private:
    void poll();
    void shootNext();
    void shootWizard();
    void pollTraining();
    void finish();
    bool save(QWidget* widget, const QString& name);
    void fail(const QString& error);

    MainWindow* window_;
    QString outDir_;
    QTimer* timer_;
    QElapsedTimer waited_;
    int timeoutMs_ = 10 * 60 * 1000;
    int idlePolls_ = 0;
    int step_ = 0;
    QStringList written_;
    std::unique_ptr<TrainWizard> wizard_;
    std::unique_ptr<QTemporaryDir> trainingDir_;
    bool trainingStarted_ = false;
    bool trainingShot_ = false;
    QString error_;
};

}  // namespace cassava::ui
