#pragma once
// The built-in demo dataset: where it lives and how it is made.
// It lives in $XDG_DATA_HOME/cassava-studio/demo (~/.local/share/cassava-studio/demo) and is
// drawn by cassava::synthesize on a worker thread. Generation writes into demo.partial and
// renames it to demo only when complete, so a cancelled or crashed run never leaves a folder
// that later looks like a finished demo.
#include "Synth.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace cassava::ui {

QString demoDatasetPath();
// The folder exists only once generation finished (see above).
bool demoDatasetExists(const QString& path = demoDatasetPath());

class DemoGenerator : public QObject {
    Q_OBJECT
public:
    explicit DemoGenerator(QObject* parent = nullptr);
    // Cancels a running generation and waits for it, removing its partial folder.
    ~DemoGenerator() override;

    // Defaults: 1,000 images at 800x600. outDir is ignored; start() decides it.
    void setOptions(const SynthOptions& options) { options_ = options; }
    const SynthOptions& options() const { return options_; }

    void start(const QString& target = demoDatasetPath());
    void cancel();
    bool isRunning() const { return running_; }

signals:
    void progress(int done, int total);  // may be emitted from worker threads; connect queued
    void finished(const QString& path);
    void cancelled();
    void failed(const QString& reason);

private:
    struct Outcome {
        SynthReport report;
        QString error;
    };
    void finish(const Outcome& outcome);

    SynthOptions options_;
    QString target_;
    bool running_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFuture<Outcome> future_;
};

}  // namespace cassava::ui
