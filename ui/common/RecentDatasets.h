#pragma once
// The folders a user opened lately, most recent first, kept in QSettings.
#include <QObject>
#include <QStringList>

namespace cassava::ui {

class RecentDatasets : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxEntries = 10;

    explicit RecentDatasets(QObject* parent = nullptr);

    QStringList paths() const;  // folders that still exist
    void add(const QString& path);
    void clear();

signals:
    void changed();

private:
    QStringList load() const;
    void save(const QStringList& paths);
};

}  // namespace cassava::ui
