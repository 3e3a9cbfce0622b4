// cassava-studio [DATA] | --demo: the GUI. Everything it does lives in ui/ and core/.
#include "AppInfo.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// --help and --version print and exit; they must work without a display.
bool onlyPrints(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"-h", "--help", "--help-all", "-v", "--version"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

}  // namespace

int main(int argc, char** argv)
{
    std::unique_ptr<QCoreApplication> app;
    if (onlyPrints(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Cassava Studio"));
    QCoreApplication::setOrganizationName(QStringLiteral("Cassava Studio"));
    QCoreApplication::setApplicationVersion(cassava::ui::applicationVersion());

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Diagnose cassava leaf diseases, train classifiers and clean noisy labels."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("main", "Open the built-in demo dataset, creating it first "
                                            "if needed."));
    parser.addOption(demo);
    parser.addPositionalArgument(
        QStringLiteral("DATA"),
        QCoreApplication::translate("main", "A dataset folder (train.csv, train_images/) to open."),
        QStringLiteral("[DATA]"));
    parser.process(*app);

    const QStringList data = parser.positionalArguments();
    if (!data.isEmpty() && parser.isSet(demo)) {
        std::fprintf(stderr, "cassava-studio: give a dataset folder or --demo, not both\n");
        return 2;
    }

    QGuiApplication::setDesktopFileName(QStringLiteral("cassava-studio"));
    cassava::ui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cassava-studio.svg")));

    cassava::ui::MainWindow window;
    window.show();
    if (parser.isSet(demo))
        window.openDemoDataset();
    else if (!data.isEmpty())
        window.openDataset(data.first());  // a file manager may pass several (%F); one window
    return app->exec();
}
