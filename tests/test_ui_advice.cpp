// The advice a farmer reads beside a diagnosis: every class has its own, with the extension
// material it was written from; a file of the user's replaces it (edited or translated advice);
// a class without advice says so instead of showing another class's text.
#include "Advice.h"

#include "TestSupport.h"

#include <QGuiApplication>
#include <QTextDocument>
#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>

using cassava::LabelMap;
using cassava::ui::adviceMarkdown;
using cassava::ui::adviceOverrideFolder;

namespace {

QTemporaryDir* dataHome = nullptr;  // XDG_DATA_HOME of this test, never the user's

int wordCount(const QString& text) { return text.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts).size(); }

}  // namespace

class UiAdviceTest : public QObject {
    Q_OBJECT

private slots:
    void theOverrideFolderIsInTheDataFolder()
    {
        QVERIFY2(adviceOverrideFolder().startsWith(dataHome->path() + "/"), qPrintable(adviceOverrideFolder()));
        QVERIFY(adviceOverrideFolder().endsWith("/advice"));
    }

    void everyClassHasItsOwnAdviceWithSources()
    {
        const LabelMap labels = LabelMap::standard();
        QCOMPARE(labels.size(), 5);
        QStringList seen;
        for (int label = 0; label < labels.size(); ++label) {
            const QString text = adviceMarkdown(label, labels);
            const QString shortName = QString::fromStdString(labels.shortName(label));
            const QString heading = text.section('\n', 0, 0);
            QVERIFY2(heading.startsWith("# "), qPrintable(heading));
            // The right file for the class: its heading names it.
            QVERIFY2(heading.contains(label == 4 ? QString("Healthy") : "(" + shortName + ")"), qPrintable(heading));
            QVERIFY2(!text.contains("No advice"), qPrintable(shortName));

            const int sources = text.indexOf("\n## Sources\n");
            QVERIFY2(sources > 0, qPrintable(shortName + ": no Sources section"));
            const QString sourceList = text.mid(sources);
            QVERIFY2(sourceList.count(QRegularExpression("\n- .+\n +https?://\\S+")) >= 2,
                     qPrintable(shortName + ": fewer than two sources with a title and an address"));
            const int words = wordCount(text.left(sources));
            QVERIFY2(words >= 120 && words <= 330, qPrintable(QString("%1: %2 words").arg(shortName).arg(words)));
            // What it is, how it spreads (or how to keep it so) and what to do.
            QVERIFY(text.contains(label == 4 ? "**How to keep it so.**" : "**How it spreads.**"));
            QVERIFY(text.contains(label == 4 ? "**What to watch for.**" : "**What to do.**"));
            // Markdown as the card shows it: a heading, bold leads, and addresses that can be followed.
            QTextDocument document;
            document.setMarkdown(text);
            const QString shown = document.toPlainText();
            QVERIFY2(!shown.contains("**") && !shown.contains("# "), qPrintable(shown.left(300)));
            QVERIFY(shown.contains("Sources"));
            QVERIFY2(document.toHtml().count("<a href=\"http") >= 2, qPrintable(document.toHtml().right(1500)));
            QVERIFY(!seen.contains(text));
            seen << text;
        }
    }

    void aUserFileReplacesTheBuiltInAdvice()
    {
        const LabelMap labels = LabelMap::standard();
        const QString builtInCmd = adviceMarkdown(3, labels), builtInCbb = adviceMarkdown(0, labels);
        const QString own = QString::fromUtf8("# Mosaïque du manioc (CMD)\n\nArrachez les plants malades.\n");
        const QString path = adviceOverrideFolder() + "/cmd.md";
        testsupport::writeText(path, own.toUtf8());
        QCOMPARE(adviceMarkdown(3, labels), own);
        QCOMPARE(adviceMarkdown(0, labels), builtInCbb);  // the other classes keep theirs

        // An emptied file is a mistake, not advice: the built-in text comes back.
        testsupport::writeText(path, "  \n");
        QCOMPARE(adviceMarkdown(3, labels), builtInCmd);
        QVERIFY(QFile::remove(path));
        QCOMPARE(adviceMarkdown(3, labels), builtInCmd);
    }

    void aClassWithoutAdviceSaysSo()
    {
        const LabelMap labels = LabelMap::standard();
        for (int label : {-1, 5, 42}) {
            const QString text = adviceMarkdown(label, labels);
            QVERIFY2(text.startsWith("# No advice for this class"), qPrintable(text));
            QVERIFY(!text.contains("Sources"));
        }
        // A dataset of its own classes: no built-in text, and the file the user could write.
        const LabelMap other({"Leaf rust (LR)", "Healthy"});
        const QString rust = adviceMarkdown(0, other);
        QVERIFY2(rust.startsWith("# No advice for this class"), qPrintable(rust));
        QVERIFY(rust.contains("Leaf rust (LR)"));
        QVERIFY2(rust.contains(adviceOverrideFolder() + "/lr.md"), qPrintable(rust));
        testsupport::writeText(adviceOverrideFolder() + "/lr.md", "# Leaf rust\n");
        QCOMPARE(adviceMarkdown(0, other), QString("# Leaf rust\n"));
        QVERIFY(QFile::remove(adviceOverrideFolder() + "/lr.md"));
        QCOMPARE(adviceMarkdown(1, other), adviceMarkdown(4, LabelMap::standard()));  // healthy.md

        // A short name that is not a plain file name cannot reach another file.
        testsupport::writeText(adviceOverrideFolder() + "/../escape.md", "# Not advice\n");
        for (const char* name : {"Odd (../cbb)", "Odd (../escape)", "Odd (c m d)"}) {
            const QString text = adviceMarkdown(0, LabelMap({name}));
            QVERIFY2(text.startsWith("# No advice for this class"), qPrintable(text));
        }
    }
};

int main(int argc, char** argv)
{
    // The data folder is chosen before the application starts, as a user's environment would.
    QTemporaryDir home;
    dataHome = &home;
    qputenv("XDG_DATA_HOME", home.path().toUtf8());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName("Cassava Studio Tests");
    QCoreApplication::setApplicationName("test_ui_advice");
    UiAdviceTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_ui_advice.moc"
