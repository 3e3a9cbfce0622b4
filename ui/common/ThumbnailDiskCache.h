#pragma once
// Thumbnails kept on disk between sessions, in the XDG cache folder
// (~/.cache/<app>/thumbnails), so a second opening of a dataset paints at once. An entry is
// named by a hash of the photo's absolute path, byte size and modification time and the
// thumbnail size: an edited or replaced photo gets a new entry and the old one is never read.
// Entries are small JPEGs written to a temporary file and renamed into place, so a reader never
// sees half an entry. They are not fsynced: a cache entry lost in a power cut is simply made
// again, and one that cannot be decoded counts as absent. Thread-safe; no Qt GUI objects.
#include <QImage>
#include <QString>

namespace cassava::ui {

class ThumbnailDiskCache {
public:
    // An empty folder disables the cache (lookups miss, stores do nothing).
    explicit ThumbnailDiskCache(QString dir = {});

    // QStandardPaths::CacheLocation + "/thumbnails".
    static QString defaultDir();

    bool enabled() const { return !dir_.isEmpty(); }
    const QString& dir() const { return dir_; }

    // Where the thumbnail of `size` px for this version of the photo lives (it may not exist).
    QString entryPath(const QString& sourcePath, qint64 sourceBytes, qint64 sourceMtimeNs, int size) const;

    // The entry as an RGB32 image; null when absent or unreadable.
    QImage load(const QString& entryPath) const;
    // Writes `image` (any format) via a temporary file and a rename; false when the folder
    // cannot be written (the cache is an optimisation: callers carry on without it).
    bool store(const QString& entryPath, const QImage& image) const;

private:
    QString dir_;
};

}  // namespace cassava::ui
