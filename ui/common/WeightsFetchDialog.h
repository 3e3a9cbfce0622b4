#pragma once
// torchvision's ImageNet weights for a variant, fetched for the user (core/PretrainedWeights.h):
// a modal dialog with the bytes, the speed and Cancel while a worker thread downloads, resumes and
// verifies; the event loop never waits for the network. A failure is shown with the URL and what
// to do instead, and can be retried (a partial download resumes).
#include <QDialog>
#include <QElapsedTimer>

#include <atomic>
#include <thread>

class QLabel;
class QProgressBar;
class QPushButton;

namespace cassava::ui {

class WeightsFetchDialog : public QDialog {
    Q_OBJECT
public:
    // The verified cached file for variant ("b0".."b7"), fetching it first when it is not cached;
    // an empty string when the user cancelled or the fetch failed (after showing the error).
    static QString ensure(const QString& variant, QWidget* parent);
    static bool isCached(const QString& variant);

    ~WeightsFetchDialog() override;

protected:
    void reject() override;  // Esc and the window's close button cancel, as the button does

private:
    WeightsFetchDialog(const QString& variant, QWidget* parent);
    void start();
    void showProgress(qint64 done, qint64 total);
    void finish(const QString& path, const QString& error, bool cancelled);

    QString variant_;
    QString url_;
    QLabel* label_ = nullptr;
    QLabel* detail_ = nullptr;
    QProgressBar* bar_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    std::thread worker_;
    std::atomic<bool> cancel_{false};
    QElapsedTimer clock_;
    qint64 firstBytes_ = -1;  // what a resumed part already held: not counted in the speed
    QString path_, error_;
    bool cancelled_ = false;
};

}  // namespace cassava::ui
