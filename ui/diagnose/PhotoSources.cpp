#include "PhotoSources.h"

#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

#include "AtomicFile.h"

#include <exception>

namespace cassava::ui {

namespace {

constexpr int kMaxFolderDepth = 4;

void collectFolder(const QString& folder, int depth, int maxPlantPhotos, QList<PhotoGroup>& out)
{
    const QDir dir(folder);
    QStringList photos;
    for (const QFileInfo& f : dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name))
        if (hasPhotoExtension(f.fileName()))
            photos.append(f.absoluteFilePath());
    if (!photos.isEmpty()) {
        PhotoGroup g;
        g.paths = photos;
        if (photos.size() >= 2 && photos.size() <= maxPlantPhotos)
            g.plantName = dir.dirName();
        out.append(g);
    }
    if (depth >= kMaxFolderDepth)
        return;
    for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable, QDir::Name))
        if (!sub.isSymLink())  // a link back up would loop
            collectFolder(sub.absoluteFilePath(), depth + 1, maxPlantPhotos, out);
}

}  // namespace

bool hasPhotoExtension(const QString& fileName)
{
    static const QStringList extensions = {"jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff"};
    return extensions.contains(QFileInfo(fileName).suffix().toLower());
}

QList<PhotoGroup> collectPhotos(const QStringList& filesOrFolders, int maxPlantPhotos)
{
    QList<PhotoGroup> out;
    PhotoGroup loose;
    auto flushLoose = [&] {
        if (!loose.paths.isEmpty())
            out.append(loose);
        loose = {};
    };
    for (const QString& given : filesOrFolders) {
        if (given.isEmpty())
            continue;
        const QFileInfo info(given);
        if (info.isDir()) {
            flushLoose();
            collectFolder(info.absoluteFilePath(), 0, maxPlantPhotos, out);
        } else {
            loose.paths.append(info.absoluteFilePath());
        }
    }
    flushLoose();
    return out;
}

QStringList localPaths(const QMimeData* mime)
{
    QStringList paths;
    if (!mime)
        return paths;
    if (mime->hasUrls()) {
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        return paths;
    }
    if (mime->hasText()) {
        for (QString line : mime->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            line = line.trimmed();
            if (line.startsWith(QLatin1String("file:")))
                line = QUrl(line).toLocalFile();
            if (!line.isEmpty() && QFileInfo(line).isAbsolute() && QFileInfo::exists(line))
                paths.append(line);
        }
    }
    return paths;
}

QString savePastedImage(const QImage& image, const QString& folder, QString* error)
{
    if (image.isNull()) {
        if (error)
            *error = QObject::tr("the clipboard image is empty");
        return {};
    }
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = QObject::tr("%1: cannot create the folder").arg(folder);
        return {};
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    // Alpha is kept: decoding composites it over white, as for any cut-out photo.
    if (!image.save(&buffer, "PNG")) {
        if (error)
            *error = QObject::tr("the clipboard image could not be encoded as PNG");
        return {};
    }
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString path;
    for (int n = 1;; ++n) {
        path = QDir(folder).filePath(QStringLiteral("pasted-%1-%2.png").arg(stamp).arg(n));
        if (!QFileInfo::exists(path))
            break;
    }
    try {
        writeFileAtomically(path.toStdString(), std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
    return path;
}

}  // namespace cassava::ui
