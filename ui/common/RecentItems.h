#pragma once
// What a user opened lately (dataset folders, run folders, model files), most recent first, kept
// in QSettings under one key per kind. Entries that no longer exist are not offered.
#include <QObject>
#include <QStringList>

#include <utility>

namespace cassava::ui {

class RecentItems : public QObject {
    Q_OBJECT
public:
    enum class Kind { Folder, File };
    static constexpr int MaxEntries = 10;

    RecentItems(QString settingsKey, Kind kind, QObject* parent = nullptr);

    QStringList paths() const;  // entries that still exist
    QString latest() const;     // paths().value(0)
    void add(const QString& path);
    void clear();

signals:
    void changed();

private:
    QStringList load() const;
    void save(const QStringList& paths);

    QString key_;
    Kind kind_;
};

}  // namespace cassava::ui
