#include "AppSettings.h"

#include <QCoreApplication>
#include <QSettings>

#include <algorithm>

namespace cassava::ui {

namespace {
const char* const deviceKey = "settings/device";
const char* const threadsKey = "settings/threads";
const char* const thumbnailCacheKey = "settings/thumbnailCacheMb";
const char* const abstainKey = "settings/abstainConfidence";
const char* const nonLeafKey = "settings/abstainOnNonLeaves";
}  // namespace

AppSettings& AppSettings::instance()
{
    // Owned by the application object, so it dies before QCoreApplication does.
    static AppSettings* settings = new AppSettings(QCoreApplication::instance());
    return *settings;
}

AppSettings::AppSettings(QObject* parent) : QObject(parent) {}

void AppSettings::write(const char* key, const QVariant& value)
{
    QSettings settings;
    if (settings.value(key) == value)
        return;
    settings.setValue(key, value);
    emit changed();
}

QString AppSettings::device() const
{
    const QString device = QSettings().value(deviceKey, QStringLiteral("auto")).toString();
    return device == QLatin1String("cpu") || device == QLatin1String("cuda") ? device
                                                                             : QStringLiteral("auto");
}

void AppSettings::setDevice(const QString& device) { write(deviceKey, device); }

int AppSettings::threads() const { return std::max(0, QSettings().value(threadsKey, 0).toInt()); }

void AppSettings::setThreads(int threads) { write(threadsKey, std::max(0, threads)); }

int AppSettings::thumbnailCacheMb() const
{
    return std::clamp(QSettings().value(thumbnailCacheKey, defaultThumbnailCacheMb).toInt(), 16, 16384);
}

void AppSettings::setThumbnailCacheMb(int megabytes) { write(thumbnailCacheKey, std::clamp(megabytes, 16, 16384)); }

float AppSettings::abstainConfidence() const
{
    bool ok = false;
    const float value = QSettings().value(abstainKey, kDefaultAbstainConfidence).toFloat(&ok);
    return ok ? std::clamp(value, 0.0f, 1.0f) : kDefaultAbstainConfidence;
}

void AppSettings::setAbstainConfidence(float confidence)
{
    write(abstainKey, std::clamp(confidence, 0.0f, 1.0f));
}

bool AppSettings::abstainOnNonLeaves() const { return QSettings().value(nonLeafKey, true).toBool(); }

void AppSettings::setAbstainOnNonLeaves(bool on) { write(nonLeafKey, on); }

AbstainOptions AppSettings::abstainOptions() const
{
    AbstainOptions options;
    options.minConfidence = abstainConfidence();
    options.checkLeaf = abstainOnNonLeaves();
    return options;
}

}  // namespace cassava::ui
