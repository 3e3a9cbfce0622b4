#include "Advice.h"

#include "AppInfo.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

namespace cassava::ui {
namespace {

// "cbsd.md" from "Cassava Brown Streak Disease (CBSD)". Empty for a short name that could not be
// a plain file name ("a/b", "..", spaces), so a label map cannot point outside the folder.
QString adviceFileName(int label, const LabelMap& labels)
{
    const QString shortName = QString::fromStdString(labels.shortName(label)).trimmed().toLower();
    static const QRegularExpression plain(QStringLiteral("^[a-z0-9_-]+$"));
    return plain.match(shortName).hasMatch() ? shortName + QStringLiteral(".md") : QString();
}

QString readText(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

}  // namespace

QString adviceOverrideFolder()
{
    return appDataFolder(QStringLiteral("advice"));
}

QString adviceMarkdown(int label, const LabelMap& labels)
{
    if (!labels.contains(label))
        return QCoreApplication::translate("Advice", "# No advice for this class\n\nClass %1 is not one of "
                                                     "this model's %2 classes, so there is no advice to show.\n")
            .arg(label)
            .arg(labels.size());
    const QString fileName = adviceFileName(label, labels);
    if (!fileName.isEmpty()) {
        // The user's own text first; an empty or unreadable one falls back to the built-in text.
        const QString own = readText(adviceOverrideFolder() + QLatin1Char('/') + fileName);
        if (!own.trimmed().isEmpty())
            return own;
        initResources();
        const QString builtIn = readText(QStringLiteral(":/advice/") + fileName);
        if (!builtIn.isEmpty())
            return builtIn;
    }
    QString text = QCoreApplication::translate("Advice", "# No advice for this class\n\nCassava Studio has no "
                                                         "advice text for *%1*. Ask your agricultural extension "
                                                         "service about it.\n")
                       .arg(QString::fromStdString(labels.name(label)));
    if (!fileName.isEmpty())
        text += QCoreApplication::translate("Advice", "\nTo show your own advice here, write it in Markdown "
                                                      "to `%1`.\n")
                    .arg(adviceOverrideFolder() + QLatin1Char('/') + fileName);
    return text;
}

}  // namespace cassava::ui
