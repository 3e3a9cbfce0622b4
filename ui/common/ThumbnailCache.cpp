#include "ThumbnailCache.h"

#include <algorithm>

namespace cassava::ui {

ThumbnailCache::ThumbnailCache(qint64 budgetBytes) : budget_(std::max<qint64>(0, budgetBytes)) {}

qint64 ThumbnailCache::costOf(const QPixmap& pixmap)
{
    return static_cast<qint64>(pixmap.width()) * pixmap.height() * std::max(pixmap.depth(), 8) / 8;
}

QPixmap ThumbnailCache::find(const QString& key)
{
    const auto it = entries_.constFind(key);
    if (it == entries_.constEnd())
        return {};
    order_.splice(order_.begin(), order_, it.value());
    return order_.front().pixmap;
}

void ThumbnailCache::insert(const QString& key, const QPixmap& pixmap)
{
    remove(key);
    const qint64 cost = costOf(pixmap);
    if (cost > budget_)
        return;
    order_.push_front({key, pixmap, cost});
    entries_.insert(key, order_.begin());
    bytes_ += cost;
    evictToBudget();
}

void ThumbnailCache::remove(const QString& key)
{
    const auto it = entries_.find(key);
    if (it == entries_.end())
        return;
    bytes_ -= it.value()->cost;
    order_.erase(it.value());
    entries_.erase(it);
}

void ThumbnailCache::clear()
{
    order_.clear();
    entries_.clear();
    bytes_ = 0;
}

void ThumbnailCache::setBudget(qint64 bytes)
{
    budget_ = std::max<qint64>(0, bytes);
    evictToBudget();
}

void ThumbnailCache::evictToBudget()
{
    while (bytes_ > budget_ && !order_.empty()) {
        const Entry& last = order_.back();
        bytes_ -= last.cost;
        entries_.remove(last.key);
        order_.pop_back();
        ++evictions_;
    }
}

}  // namespace cassava::ui
