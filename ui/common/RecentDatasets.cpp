#include "RecentDatasets.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace cassava::ui {

namespace {
const char* const key = "recentDatasets";
}

RecentDatasets::RecentDatasets(QObject* parent) : QObject(parent) {}

QStringList RecentDatasets::paths() const
{
    QStringList existing;
    for (const QString& path : load())
        if (QFileInfo(path).isDir())
            existing << path;
    return existing;
}

void RecentDatasets::add(const QString& path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList list = load();
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > MaxEntries)
        list.removeLast();
    save(list);
}

void RecentDatasets::clear() { save({}); }

QStringList RecentDatasets::load() const { return QSettings().value(key).toStringList(); }

void RecentDatasets::save(const QStringList& paths)
{
    QSettings().setValue(key, paths);
    emit changed();
}

}  // namespace cassava::ui
