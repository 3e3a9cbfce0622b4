#include "ThumbnailDiskCache.h"

#include "ImageIo.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <filesystem>
#include <vector>

namespace cassava::ui {

namespace {

// Part of every key: a change of the entry format must not read old entries.
constexpr const char* formatVersion = "cassava-thumbnail-1";
constexpr int jpegQuality = 88;

}  // namespace

ThumbnailDiskCache::ThumbnailDiskCache(QString dir) : dir_(std::move(dir)) {}

QString ThumbnailDiskCache::defaultDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    return base.isEmpty() ? QString() : base + QStringLiteral("/thumbnails");
}

QString ThumbnailDiskCache::entryPath(const QString& sourcePath, qint64 sourceBytes, qint64 sourceMtimeNs,
                                      int size) const
{
    if (!enabled())
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(formatVersion);
    hash.addData("\n");
    hash.addData(QFileInfo(sourcePath).absoluteFilePath().toUtf8());
    hash.addData(QByteArray("\n") + QByteArray::number(sourceBytes) + '\n' + QByteArray::number(sourceMtimeNs) +
                 '\n' + QByteArray::number(size));
    const QString hex = QString::fromLatin1(hash.result().toHex());
    // 256 subfolders keep each folder small for file managers and backups.
    return dir_ + '/' + hex.left(2) + '/' + hex.mid(2) + QStringLiteral(".jpg");
}

QImage ThumbnailDiskCache::load(const QString& entryPath) const
{
    if (entryPath.isEmpty())
        return {};
    QFile file(entryPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    const DecodedImage decoded = ImageIo::decodeBytes(std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())),
                                                      {}, entryPath.toStdString());
    if (!decoded.ok())
        return {};
    QImage image(decoded.rgb.cols, decoded.rgb.rows, QImage::Format_RGB32);
    cv::Mat bgra(image.height(), image.width(), CV_8UC4, image.bits(), static_cast<size_t>(image.bytesPerLine()));
    cv::cvtColor(decoded.rgb, bgra, cv::COLOR_RGB2BGRA);
    return image;
}

bool ThumbnailDiskCache::store(const QString& entryPath, const QImage& image) const
{
    if (entryPath.isEmpty() || image.isNull())
        return false;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                       static_cast<size_t>(rgb.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> encoded;
    if (!cv::imencode(".jpg", bgr, encoded, {cv::IMWRITE_JPEG_QUALITY, jpegQuality}))
        return false;

    const QString folder = QFileInfo(entryPath).path();
    if (!QDir().mkpath(folder))
        return false;
    // Unique per process and thread, so two writers never share a temporary file.
    static std::atomic<quint64> serial{0};
    const QString temp = entryPath + QStringLiteral(".%1-%2.tmp")
                                         .arg(QCoreApplication::applicationPid())
                                         .arg(serial.fetch_add(1));
    {
        QFile out(temp);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        const auto size = static_cast<qint64>(encoded.size());
        if (out.write(reinterpret_cast<const char*>(encoded.data()), size) != size) {
            out.close();
            out.remove();
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(QFile::encodeName(temp).toStdString(), QFile::encodeName(entryPath).toStdString(), ec);
    if (ec) {
        QFile::remove(temp);
        return false;
    }
    return true;
}

}  // namespace cassava::ui
