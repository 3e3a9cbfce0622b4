#pragma once
// `cassava-studio --tour OUT_DIR`: once what the command line opened has loaded (the dataset, the
// model, the photos' diagnoses), visit the start page, every view and the shortcut sheet, save one
// PNG of the window for each into OUT_DIR, and finish. README's screenshots come from it.
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

class QTimer;

namespace cassava::ui {

class MainWindow;

class Tour : public QObject {
    Q_OBJECT
public:
    Tour(MainWindow* window, QString outDir, QObject* parent = nullptr);

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
    QString error_;
};

}  // namespace cassava::ui
