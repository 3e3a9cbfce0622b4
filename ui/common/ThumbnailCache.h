#pragma once
// Thumbnails kept in memory for painting, least recently used first out, under a byte budget
// (a user setting). Pixmaps are what item delegates paint, so they are converted once, on
// arrival, not at every paint. GUI thread only, as QPixmap is.
#include <QHash>
#include <QPixmap>
#include <QString>

#include <list>

namespace cassava::ui {

class ThumbnailCache {
public:
    static constexpr qint64 DefaultBudgetBytes = 256ll << 20;

    explicit ThumbnailCache(qint64 budgetBytes = DefaultBudgetBytes);

    // A null pixmap when absent; a hit becomes the most recently used entry.
    QPixmap find(const QString& key);
    bool contains(const QString& key) const { return entries_.contains(key); }
    // Replaces an entry with the same key, then evicts the least recently used entries until
    // the total fits the budget. A pixmap larger than the whole budget is not kept.
    void insert(const QString& key, const QPixmap& pixmap);
    void remove(const QString& key);
    void clear();

    // Evicts at once when the budget shrinks.
    void setBudget(qint64 bytes);
    qint64 budget() const { return budget_; }
    qint64 bytes() const { return bytes_; }
    int count() const { return static_cast<int>(entries_.size()); }
    qint64 evictions() const { return evictions_; }

    static qint64 costOf(const QPixmap& pixmap);

private:
    struct Entry {
        QString key;
        QPixmap pixmap;
        qint64 cost = 0;
    };
    void evictToBudget();

    std::list<Entry> order_;  // most recently used first
    QHash<QString, std::list<Entry>::iterator> entries_;
    qint64 budget_;
    qint64 bytes_ = 0;
    qint64 evictions_ = 0;
};

}  // namespace cassava::ui
