#include "RecentItems.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace cassava::ui {

RecentItems::RecentItems(QString settingsKey, Kind kind, QObject* parent)
    : QObject(parent), key_(std::move(settingsKey)), kind_(kind)
{
}

QStringList RecentItems::paths() const
{
    QStringList existing;
    for (const QString& path : load()) {
        const QFileInfo info(path);
        if (kind_ == Kind::Folder ? info.isDir() : info.isFile())
            existing << path;
    }
    return existing;
}

QString RecentItems::latest() const { return paths().value(0); }

void RecentItems::add(const QString& path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList list = load();
    if (list.value(0) == clean)
        return;
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > MaxEntries)
        list.removeLast();
    save(list);
}

void RecentItems::clear() { save({}); }

QStringList RecentItems::load() const { return QSettings().value(key_).toStringList(); }

void RecentItems::save(const QStringList& paths)
{
    QSettings().setValue(key_, paths);
    emit changed();
}

}  // namespace cassava::ui
