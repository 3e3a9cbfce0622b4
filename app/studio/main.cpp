// cassava-studio [DATASET | --demo] [--run RUN] [--model CKPT] [--view VIEW] [PHOTO...]
//                [--train CONFIG.json [--quit-when-done]] [--tour OUT_DIR]
// The GUI. Everything it does lives in ui/ and core/; this reads the command line the way desktop
// programs take files and hands it to the window.
#include "AppInfo.h"
#include "MainWindow.h"
#include "Tour.h"
#include "TrainView.h"

#include "RunCatalog.h"
#include "TrainConfig.h"
#include "TrainController.h"

#include "MallocPolicy.h"
#include "OpenMpWaitPolicy.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QIcon>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

using cassava::ui::MainWindow;

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

int usage(const QString& message)
{
    std::fprintf(stderr, "cassava-studio: %s\n", qPrintable(message));
    return 2;
}

}  // namespace

int main(int argc, char** argv)
{
    // Past a file-size limit a write fails with EFBIG and is reported naming the file, instead of
    // SIGXFSZ ending the program.
    std::signal(SIGXFSZ, SIG_IGN);
    std::unique_ptr<QCoreApplication> app;
    if (onlyPrints(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        // The Diagnose view runs networks in this process, beside the GUI thread: the same
        // OpenMP wait policy and malloc policy as the CLI's network commands (core/
        // OpenMpWaitPolicy.h, core/MallocPolicy.h). libgomp reads its environment once, as it is
        // loaded, so the first start restarts itself with it set, unless the user chose one.
        cassava::restartWithOpenMpWaitPolicy(argv);
        cassava::keepFreedMemoryForReuse();
        app = std::make_unique<QApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("Cassava Studio"));
    QCoreApplication::setOrganizationName(QStringLiteral("Cassava Studio"));
    QCoreApplication::setApplicationVersion(cassava::ui::applicationVersion());

    auto tr = [](const char* text) { return QCoreApplication::translate("main", text); };
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Diagnose cassava leaf diseases, train classifiers and clean noisy labels."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  tr("Open the built-in demo dataset, creating it first if needed."));
    const QCommandLineOption run(QStringLiteral("run"), tr("Open a training run folder."),
                                 QStringLiteral("RUN"));
    const QCommandLineOption model(QStringLiteral("model"), tr("Diagnose with this model file (.ckpt)."),
                                   QStringLiteral("CKPT"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  tr("Start in this view: diagnose, dataset, train, results or review."),
                                  QStringLiteral("VIEW"));
    const QCommandLineOption tour(QStringLiteral("tour"),
                                  tr("Open what was given, save a PNG of every view into OUT_DIR, "
                                     "and exit."),
                                  QStringLiteral("OUT_DIR"));
    const QCommandLineOption train(QStringLiteral("train"),
                                   tr("Start a training with these settings (a run's config.json, its "
                                      "\"out\" a new folder) in the Train view."),
                                   QStringLiteral("CONFIG.json"));
    const QCommandLineOption quitWhenDone(QStringLiteral("quit-when-done"),
                                          tr("With --train: quit when the training ends (exit code 1 "
                                             "when it failed or was cancelled)."));
    for (const QCommandLineOption* option : {&demo, &run, &model, &view, &train, &quitWhenDone, &tour})
        parser.addOption(*option);
    parser.addPositionalArgument(QStringLiteral("DATASET"),
                                 tr("A dataset folder (train.csv, train_images/) to open."),
                                 QStringLiteral("[DATASET]"));
    parser.addPositionalArgument(QStringLiteral("PHOTO"),
                                 tr("Leaf photos (or folders of them) to diagnose."),
                                 QStringLiteral("[PHOTO...]"));
    parser.process(*app);

    // A folder with train.csv is the dataset; everything else is photos to diagnose.
    QString dataset;
    QStringList photos;
    for (const QString& argument : parser.positionalArguments()) {
        const QFileInfo info(argument);
        if (!info.exists())
            return usage(tr("%1: no such file or folder").arg(argument));
        if (info.isDir() && QFileInfo::exists(argument + "/train.csv")) {
            if (!dataset.isEmpty() || parser.isSet(demo))
                return usage(tr("give one dataset folder or --demo, not more"));
            dataset = argument;
        } else {
            photos << info.absoluteFilePath();
        }
    }
    MainWindow::View startView = MainWindow::View::Dataset;
    if (parser.isSet(view) && !MainWindow::viewFromKey(parser.value(view), &startView))
        return usage(tr("--view: '%1' is not one of diagnose, dataset, train, results, review")
                         .arg(parser.value(view)));
    for (const QCommandLineOption* option : {&run, &model})
        if (parser.isSet(*option) && !QFileInfo::exists(parser.value(*option)))
            return usage(tr("--%1: %2 does not exist").arg(option->names().first(), parser.value(*option)));

    cassava::TrainConfig trainConfig;
    if (parser.isSet(train)) {
        QFile file(parser.value(train));
        if (!file.open(QIODevice::ReadOnly))
            return usage(tr("--train: %1 cannot be read").arg(parser.value(train)));
        try {
            trainConfig = cassava::TrainConfig::fromJson(nlohmann::json::parse(file.readAll().toStdString()));
        } catch (const std::exception& e) {
            return usage(tr("--train: %1: %2").arg(parser.value(train), QString::fromUtf8(e.what())));
        }
        if (const std::string problem = trainConfig.validate(); !problem.empty())
            return usage(tr("--train: %1: %2").arg(parser.value(train), QString::fromStdString(problem)));
    } else if (parser.isSet(quitWhenDone)) {
        return usage(tr("--quit-when-done needs --train"));
    }

    QGuiApplication::setDesktopFileName(QStringLiteral("cassava-studio"));
    cassava::ui::initResources();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/cassava-studio.svg")));

    MainWindow window;
    window.show();
    const bool givenAnything = parser.isSet(demo) || !dataset.isEmpty() || parser.isSet(run) ||
                               parser.isSet(model) || !photos.isEmpty();
    if (!givenAnything && !parser.isSet(tour))
        window.restoreSession();
    if (parser.isSet(demo))
        window.openDemoDataset();
    else if (!dataset.isEmpty())
        window.openDataset(dataset);
    if (parser.isSet(run))
        window.showRun(parser.value(run), !parser.isSet(model));  // --model names the model
    if (parser.isSet(model))
        window.openModel(parser.value(model));
    if (!photos.isEmpty())
        window.diagnosePhotos(photos);
    if (parser.isSet(view))
        window.setView(startView);
    else if (!photos.isEmpty())
        window.setView(MainWindow::View::Diagnose);

    if (parser.isSet(train)) {
        window.setView(MainWindow::View::Train);
        if (parser.isSet(quitWhenDone))
            QObject::connect(window.trainView(), &cassava::ui::TrainView::runFinished, app.get(), [&] {
                const auto info = cassava::inspectRun(window.trainView()->controller()->runDir().toStdString());
                QCoreApplication::exit(info.state == cassava::RunState::Finished ? 0 : 1);
            });
        if (!window.trainView()->startTraining(trainConfig))
            return 1;
    }

    std::unique_ptr<cassava::ui::Tour> tourRunner;
    if (parser.isSet(tour)) {
        tourRunner = std::make_unique<cassava::ui::Tour>(&window, parser.value(tour));
        QObject::connect(tourRunner.get(), &cassava::ui::Tour::finished, app.get(), [&](int code) {
            if (code == 0)
                std::printf("%s\n", qPrintable(tourRunner->written().join(QLatin1Char('\n'))));
            else
                std::fprintf(stderr, "cassava-studio --tour: %s\n", qPrintable(tourRunner->error()));
            QCoreApplication::exit(code);
        });
        tourRunner->start();
    }
    return app->exec();
}
