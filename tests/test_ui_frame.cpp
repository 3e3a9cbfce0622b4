// The window around the views, as a user meets it: five views a keystroke apart, a start page
// with what was opened lately, settings and the last view kept across a restart, a shortcut
// sheet read from the menus, and About naming the libraries.
#include "TestSupport.h"

#include "AppInfo.h"
#include "AppSettings.h"
#include "EmptyState.h"
#include "DiagnoseView.h"
#include "MainWindow.h"
#include "ReviewView.h"
#include "SettingsDialog.h"
#include "ShortcutSheet.h"
#include "StartPage.h"

#include "RunDir.h"

#include <QApplication>
#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTreeWidget>

using cassava::ui::AppSettings;
using cassava::ui::MainWindow;
using View = cassava::ui::MainWindow::View;

namespace {

// Every shortcut of the sheet, as "Action\tKeys" lines.
QStringList sheetLines(const cassava::ui::ShortcutSheet& sheet)
{
    QStringList lines;
    QTreeWidget* tree = sheet.tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i) {
            const QTreeWidgetItem* item = tree->topLevelItem(g)->child(i);
            lines << item->text(0) + "\t" + item->text(1);
        }
    return lines;
}

QString makeRun(const QString& path)
{
    const cassava::RunDir run(path.toStdString());
    run.create();
    run.writeJson(run.configPath(), nlohmann::json{{"model", "b0"}});
    return path;
}

}  // namespace

class TestUiFrame : public QObject {
    Q_OBJECT

private:
    QTemporaryDir home_;

private slots:
    void initTestCase()
    {
        QVERIFY(home_.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, home_.filePath("config"));
        qputenv("XDG_DATA_HOME", home_.filePath("data").toUtf8());
        qputenv("XDG_CACHE_HOME", home_.filePath("cache").toUtf8());
        QCoreApplication::setOrganizationName("Cassava Studio Tests");
        QCoreApplication::setApplicationName("test_ui_frame");
        cassava::ui::initResources();
    }

    void init() { QSettings().clear(); }

    void ctrlDigitsSwitchBetweenTheFiveViews()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(window.currentView(), View::Dataset);
        QSignalSpy changed(&window, &MainWindow::viewChanged);
        const View order[] = {View::Diagnose, View::Dataset, View::Train, View::Results, View::Review};
        for (int i = 4; i >= 0; --i) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
            QCOMPARE(window.currentView(), order[i]);
            QVERIFY(window.viewWidget(order[i])->isVisible());
        }
        QCOMPARE(changed.count(), 5);
        // Nothing is open: the Dataset view is the start page.
        QVERIFY(!window.startPage()->isVisible());
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QVERIFY(window.startPage()->isVisible());
    }

    void theViewNamesOfTheCommandLineRoundTrip()
    {
        for (int i = 0; i < MainWindow::viewCount; ++i) {
            View parsed = View::Dataset;
            QVERIFY(MainWindow::viewFromKey(MainWindow::viewKey(View(i)), &parsed));
            QCOMPARE(parsed, View(i));
        }
        View untouched = View::Train;
        QVERIFY(!MainWindow::viewFromKey("summary", &untouched));
        QCOMPARE(untouched, View::Train);
        View upper = View::Dataset;
        QVERIFY(MainWindow::viewFromKey("Review", &upper));
        QCOMPARE(upper, View::Review);
    }

    void theStartPageListsRecentDatasetsAndRunsThatStillExist()
    {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("trial-a"));
        const QString run = makeRun(dir.filePath("runs/quick-1"));
        QSettings().setValue("recentDatasets", QStringList{dir.filePath("trial-a"), dir.filePath("gone")});
        MainWindow window;
        QListWidget* datasets = window.startPage()->recentDatasetList();
        QCOMPARE(datasets->count(), 1);  // "gone" does not exist
        QCOMPARE(datasets->item(0)->data(Qt::UserRole).toString(), dir.filePath("trial-a"));
        QVERIFY(datasets->item(0)->text().startsWith("trial-a"));
        QCOMPARE(window.startPage()->recentRunList()->item(0)->data(Qt::UserRole).toString(), QString());

        window.openRun(run);
        QCOMPARE(window.currentRun(), run);
        QListWidget* runs = window.startPage()->recentRunList();
        QCOMPARE(runs->count(), 1);
        QCOMPARE(runs->item(0)->data(Qt::UserRole).toString(), run);
    }

    void aFolderThatIsNotARunIsRefused()
    {
        QTemporaryDir dir;
        MainWindow window;
        window.openRun(dir.path());
        QVERIFY(window.currentRun().isEmpty());
        QVERIFY(QSettings().value("recentRuns").toStringList().isEmpty());
    }

    void settingsSurviveARestart()
    {
        {
            cassava::ui::SettingsDialog dialog;
            QCOMPARE(dialog.deviceBox()->currentData().toString(), QString("auto"));
            QCOMPARE(dialog.abstainBox()->value(), std::round(double(cassava::kDefaultAbstainConfidence) * 100) / 100);
            dialog.deviceBox()->setCurrentIndex(dialog.deviceBox()->findData("cpu"));
            dialog.threadsBox()->setValue(3);
            dialog.thumbnailCacheBox()->setValue(512);
            dialog.abstainBox()->setValue(0.65);
            dialog.nonLeafBox()->setChecked(false);
            QSignalSpy changed(&AppSettings::instance(), &AppSettings::changed);
            dialog.accept();
            QVERIFY(changed.count() >= 1);
        }
        QSettings().sync();
        // What a new process reads: the file on disk, through a fresh QSettings.
        QSettings disk(QSettings::NativeFormat, QSettings::UserScope, QCoreApplication::organizationName(),
                       QCoreApplication::applicationName());
        QCOMPARE(disk.value("settings/device").toString(), QString("cpu"));
        QCOMPARE(disk.value("settings/threads").toInt(), 3);
        QCOMPARE(disk.value("settings/thumbnailCacheMb").toInt(), 512);
        QCOMPARE(disk.value("settings/abstainConfidence").toFloat(), 0.65f);
        QCOMPARE(disk.value("settings/abstainOnNonLeaves").toBool(), false);

        const AppSettings& settings = AppSettings::instance();
        QCOMPARE(settings.abstainOptions().minConfidence, 0.65f);
        QCOMPARE(settings.abstainOptions().checkLeaf, false);
        cassava::ui::SettingsDialog again;  // the next time the dialog opens, it shows them
        QCOMPARE(again.threadsBox()->value(), 3);
        QCOMPARE(again.deviceBox()->currentData().toString(), QString("cpu"));
        QCOMPARE(again.abstainBox()->value(), 0.65);
    }

    void theLastViewRunAndGeometryAreRestored()
    {
        QTemporaryDir dir;
        const QString run = makeRun(dir.filePath("run-7"));
        {
            MainWindow window;
            window.show();
            window.resize(1100, 720);
            window.openRun(run);
            window.setView(View::Results);
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1100, 720));
        QCOMPARE(again.currentView(), View::Dataset);  // until the session is restored
        again.restoreSession();
        QCOMPARE(again.currentView(), View::Results);
        QCOMPARE(again.currentRun(), run);
    }

    void aRestoredCheckpointStaysTheModelBesideTheRestoredRun()
    {
        QTemporaryDir dir;
        const QString run = makeRun(dir.filePath("run-8"));
        testsupport::writeText(run + "/fold_0/best.ckpt", "fold model");
        const QString model = dir.filePath("field-model.ckpt");
        testsupport::writeText(model, "the model last used");
        QSettings().setValue("session/lastRun", run);
        QSettings().setValue("session/lastModel", model);
        MainWindow window;
        window.restoreSession();
        QCOMPARE(window.currentRun(), run);
        QCOMPARE(window.diagnoseView()->modelPath(), model);
        // Opening a run by hand makes its folds the model.
        window.openRun(run);
        QCOMPARE(window.diagnoseView()->modelPath(), run);
    }

    void theShortcutSheetListsWhatTheMenusDo()
    {
        MainWindow window;
        cassava::ui::ShortcutSheet sheet(window.menuBar());
        const QStringList lines = sheetLines(sheet);
        auto has = [&](const QString& action, const QKeySequence& keys) {
            return lines.contains(action + "\t" + keys.toString(QKeySequence::NativeText));
        };
        QVERIFY2(has("Open Dataset", QKeySequence::Open), qPrintable(lines.join('\n')));
        QVERIFY(has("Open Run", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)));
        QVERIFY(has("Quit", QKeySequence(Qt::CTRL | Qt::Key_Q)));
        QVERIFY(has("Diagnose", QKeySequence(Qt::CTRL | Qt::Key_1)));
        QVERIFY(has("Review", QKeySequence(Qt::CTRL | Qt::Key_5)));
        bool help = false;
        for (const QString& line : lines)
            help |= line.startsWith("Keyboard Shortcuts\t") && line.contains("F1") && line.contains("?");
        QVERIFY2(help, "the sheet does not say how to open itself");
        QVERIFY(lines.contains("Group the selected cards as one plant\tCtrl+G"));
    }

    void aboutNamesQtLibTorchAndOpenCv()
    {
        const QString about = cassava::ui::aboutText();
        QVERIFY(about.contains(QStringLiteral("Qt %1").arg(QT_VERSION_STR)));
        QVERIFY(about.contains(QRegularExpression("LibTorch [12]\\.\\d+")));
        QVERIFY(about.contains(QRegularExpression("OpenCV 4\\.\\d+")));
    }

    void theReviewViewWithoutARunSaysHowToGetOne()
    {
        MainWindow window;
        cassava::ui::ReviewView* review = window.reviewView();
        QCOMPARE(window.viewWidget(View::Review), static_cast<QWidget*>(review));
        QVERIFY(!review->isShowingSuspects());
        QCOMPARE(review->emptyState()->headline(), QStringLiteral("No run to review"));
        QVERIFY(review->emptyState()->text().contains("out-of-fold predictions"));
    }
};

QTEST_MAIN(TestUiFrame)
#include "test_ui_frame.moc"
