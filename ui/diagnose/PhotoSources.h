#pragma once
// Where the Diagnose view's photos come from: dropped or pasted files and folders, clipboard
// images. A folder of a few photos is one plant (a farmer photographs several leaves of the same
// plant into one folder); a bigger folder is just photos. Nothing here decodes an image.
#include <QImage>
#include <QString>
#include <QStringList>

class QMimeData;

namespace cassava::ui {

// At most this many photos in one folder make a plant (a plant is a handful of leaves).
constexpr int kMaxPlantPhotos = 8;

struct PhotoGroup {
    QStringList paths;
    QString plantName;  // non-empty: these photos are one plant
};

// The photos the user gave, in order: files as given (whatever their extension, so that a file
// that is not a photo gets its own error card), folders by their photo files (sorted, sub-folders
// after, a few levels deep). Paths that do not exist are kept: their cards say so.
QList<PhotoGroup> collectPhotos(const QStringList& filesOrFolders, int maxPlantPhotos = kMaxPlantPhotos);

// JPEG, PNG, WebP, BMP, TIFF by extension: what a folder's listing counts as a photo.
bool hasPhotoExtension(const QString& fileName);

// Local files named by a drop or the clipboard (file URLs, or text with one path or URL a line).
QStringList localPaths(const QMimeData* mime);

// An image pasted from the clipboard, saved as a PNG in `folder` (made if needed) so the
// predictor can read it like any photo; returns its path, or empty with `error` set.
QString savePastedImage(const QImage& image, const QString& folder, QString* error);

}  // namespace cassava::ui
