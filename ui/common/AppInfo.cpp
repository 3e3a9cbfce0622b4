#include "AppInfo.h"

#include <QStandardPaths>

#include "BuildInfo.h"

#include <QCoreApplication>
#include <QtGlobal>

namespace cassava::ui {

QString appDataFolder(const QString& sub)
{
    // GenericDataLocation is $XDG_DATA_HOME, or ~/.local/share when it is unset.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                         QStringLiteral("/cassava-studio");
    return sub.isEmpty() ? base : base + QLatin1Char('/') + sub;
}

QString applicationVersion() { return QStringLiteral(CASSAVA_VERSION); }

QString aboutText()
{
    return QCoreApplication::translate(
               "About",
               "<h3>Cassava Studio %1</h3>"
               "<p>Diagnoses cassava leaf diseases from photographs: cassava bacterial blight "
               "(CBB), brown streak disease (CBSD), green mottle (CGM), mosaic disease (CMD) "
               "and healthy leaves.</p>"
               "<p>It opens datasets in the Kaggle layout (<tt>train.csv</tt>, "
               "<tt>train_images/</tt>), checks them for problems, trains EfficientNet "
               "classifiers and helps clean noisy labels.</p>"
               "<p>A built-in demo dataset of drawn leaves lets you try everything without "
               "downloading data.</p>"
               "<p>Built with Qt %2 (running on %3), LibTorch %4 and OpenCV %5.</p>")
        .arg(applicationVersion(), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
             QString::fromStdString(cassava::libtorchVersion()),
             QString::fromStdString(cassava::opencvVersion()));
}

}  // namespace cassava::ui

// Q_INIT_RESOURCE must be used from the global namespace.
static void initCassavaUiResources() { Q_INIT_RESOURCE(resources); }

void cassava::ui::initResources() { initCassavaUiResources(); }
