#pragma once
// The user's settings, kept in QSettings: how networks run (device, threads), how much memory
// thumbnails may take, and when a diagnosis abstains. One instance per application; views read it
// and listen to changed().
#include "Diagnosis.h"

#include <QObject>
#include <QString>

namespace cassava::ui {

class AppSettings : public QObject {
    Q_OBJECT
public:
    static AppSettings& instance();

    QString device() const;  // "auto", "cpu" or "cuda"
    void setDevice(const QString& device);
    int threads() const;  // 0: all cores
    void setThreads(int threads);
    int thumbnailCacheMb() const;  // the in-memory thumbnail cache's budget
    void setThumbnailCacheMb(int megabytes);
    float abstainConfidence() const;  // a diagnosis below it says "Not sure"
    void setAbstainConfidence(float confidence);
    bool abstainOnNonLeaves() const;  // "Not sure" when a photo does not look like a leaf
    void setAbstainOnNonLeaves(bool on);
    AbstainOptions abstainOptions() const;

    static constexpr int defaultThumbnailCacheMb = 256;

signals:
    void changed();

private:
    explicit AppSettings(QObject* parent = nullptr);
    void write(const char* key, const QVariant& value);
};

}  // namespace cassava::ui
