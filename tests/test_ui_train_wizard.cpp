// The training wizard as a researcher walks through it: a dataset that cannot be trained on keeps
// Next disabled and says why, bad values are refused where they are typed, a preset refills the
// schedule, the labels page counts a review's files, the duration is measured off the GUI thread,
// and the command line the summary shows is exactly the configuration Start hands over.
#include "TestSupport.h"

#include "TrainArgs.h"
#include "TrainWizard.h"
#include "TrainWizardPages.h"

#include "Dataset.h"
#include "Synth.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QPalette>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

using namespace cassava;
using namespace cassava::ui;

namespace {

QString makeSynth(const QString& dir, int count)
{
    SynthOptions o;
    o.outDir = dir.toStdString();
    o.count = count;
    o.width = 96;
    o.height = 72;
    o.seed = 5;
    synthesize(o);
    return dir;
}

// Words of a POSIX shell line as shellQuote() writes them: bare words and '...' with '\''.
QStringList shellWords(const QString& line)
{
    QStringList words;
    QString word;
    bool inWord = false, quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar ch = line[i];
        if (quoted) {
            if (ch == '\'')
                quoted = false;
            else
                word += ch;
        } else if (ch == '\'') {
            quoted = inWord = true;
        } else if (ch == '\\' && i + 1 < line.size()) {
            word += line[++i];
            inWord = true;
        } else if (ch == ' ') {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            word += ch;
            inWord = true;
        }
    }
    if (inWord)
        words << word;
    return words;
}

bool nextEnabled(QWizard& w) { return w.button(QWizard::NextButton)->isEnabled(); }

template <typename T>
T* field(QWizard& w, int page, const char* name)
{
    T* f = w.page(page)->findChild<T*>(name);
    if (!f)
        qFatal("no field %s on page %d", name, page);
    return f;
}

QString message(QWizard& w, int page, const char* name)
{
    auto* m = field<QLabel>(w, page, name);
    return m->isHidden() ? QString() : m->text();
}

// Brings a wizard on `root` to the schedule page.
void walkTo(TrainWizard& w, int page)
{
    w.show();
    QTRY_VERIFY_WITH_TIMEOUT(w.datasetRead() && w.dataset(), 20000);
    while (w.currentId() != page) {
        QVERIFY2(nextEnabled(w), qPrintable(QString("Next blocked on page %1").arg(w.currentId())));
        w.next();
    }
}

}  // namespace

class UiTrainWizardTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("cassava-studio-tests");
        QCoreApplication::setApplicationName("test_ui_train_wizard");
        QSettings().clear();
        QVERIFY(tmp_.isValid());
        data_ = makeSynth(tmp_.filePath("field"), 30);
    }

    void init() { QSettings().clear(); }

    void anUnusableDatasetKeepsNextDisabledAndSaysWhy()
    {
        // No train.csv at all.
        QDir().mkpath(tmp_.filePath("empty/train_images"));
        TrainWizard w(tmp_.filePath("empty"));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetRead(), 20000);
        QVERIFY(!nextEnabled(w));
        QVERIFY2(message(w, TrainWizard::DatasetPageId, "datasetMessage").contains("train.csv"),
                 qPrintable(message(w, TrainWizard::DatasetPageId, "datasetMessage")));

        // Every image of one class.
        const QString one = tmp_.filePath("one-class");
        QDir().mkpath(one + "/train_images");
        QByteArray csv = "image_id,label\n";
        for (const QString& f : QDir(data_ + "/train_images").entryList(QDir::Files).mid(0, 8)) {
            QFile::copy(data_ + "/train_images/" + f, one + "/train_images/" + f);
            csv += f.toUtf8() + ",3\n";
        }
        testsupport::writeText(one + "/train.csv", csv);
        auto* folder = field<QLineEdit>(w, TrainWizard::DatasetPageId, "folder");
        static_cast<WizardDatasetPage*>(w.page(TrainWizard::DatasetPageId))->openFolder(one);
        QVERIFY(!nextEnabled(w));  // while it is read
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetRead() && w.dataset(), 20000);
        QVERIFY(!nextEnabled(w));
        QVERIFY(message(w, TrainWizard::DatasetPageId, "datasetMessage").contains("one class"));

        // A usable one lets the user on.
        folder->setText(data_);
        emit folder->editingFinished();
        QTRY_VERIFY_WITH_TIMEOUT(nextEnabled(w), 20000);
        QCOMPARE(message(w, TrainWizard::DatasetPageId, "datasetMessage"), QString());
        QCOMPARE(static_cast<int>(w.dataset()->samples().size()), 30);
    }

    void badValuesAreRefusedWhereTheyAreTyped()
    {
        TrainWizard w(data_);
        walkTo(w, TrainWizard::ModelPageId);
        // A checkpoint that is not there.
        field<QRadioButton>(w, TrainWizard::ModelPageId, "checkpoint")->setChecked(true);
        field<QLineEdit>(w, TrainWizard::ModelPageId, "checkpointPath")->setText(tmp_.filePath("no-such.ckpt"));
        QVERIFY(!nextEnabled(w));
        QVERIFY(message(w, TrainWizard::ModelPageId, "weightsMessage").contains("no such file"));
        // A file that is not a checkpoint: read on the pool, then refused with the reason.
        testsupport::writeText(tmp_.filePath("notes.ckpt"), "not a checkpoint\n");
        field<QLineEdit>(w, TrainWizard::ModelPageId, "checkpointPath")->setText(tmp_.filePath("notes.ckpt"));
        QTRY_VERIFY(message(w, TrainWizard::ModelPageId, "weightsMessage").contains("notes.ckpt:"));
        QVERIFY(!nextEnabled(w));
        field<QRadioButton>(w, TrainWizard::ModelPageId, "imagenet")->setChecked(true);
        QVERIFY(nextEnabled(w));
        field<QComboBox>(w, TrainWizard::ModelPageId, "model")->setCurrentIndex(0);
        field<QSpinBox>(w, TrainWizard::ModelPageId, "size")->setValue(64);
        w.next();
        QCOMPARE(w.currentId(), int(TrainWizard::SchedulePageId));

        auto* epochs = field<QSpinBox>(w, TrainWizard::SchedulePageId, "epochs");
        epochs->setValue(0);
        QVERIFY(!nextEnabled(w));
        QVERIFY(!message(w, TrainWizard::SchedulePageId, "epochsMessage").isEmpty());
        epochs->setValue(2);
        QVERIFY(nextEnabled(w));
        // 30 images, hold-out 0.2: 24 to train on; a batch of 25 is more than there is.
        field<QRadioButton>(w, TrainWizard::SchedulePageId, "holdOut")->setChecked(true);
        auto* batch = field<QSpinBox>(w, TrainWizard::SchedulePageId, "batch");
        batch->setValue(25);
        QVERIFY(!nextEnabled(w));
        QVERIFY(message(w, TrainWizard::SchedulePageId, "batchMessage").contains("24"));
        batch->setValue(8);
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "lr")->setText("fast");
        QVERIFY(!nextEnabled(w));
        QVERIFY(!message(w, TrainWizard::SchedulePageId, "lrMessage").isEmpty());
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "lr")->setText("1e-3");
        QVERIFY(nextEnabled(w));
        w.next();
        w.next();
        QCOMPARE(w.currentId(), int(TrainWizard::SummaryPageId));

        // A run folder that exists and holds something is refused; a new one is fine.
        auto* run = field<QLineEdit>(w, TrainWizard::SummaryPageId, "runFolder");
        testsupport::writeText(tmp_.filePath("old-run/config.json"), "{}");
        run->setText(tmp_.filePath("old-run"));
        QVERIFY(!w.button(QWizard::FinishButton)->isEnabled());
        QVERIFY(message(w, TrainWizard::SummaryPageId, "runMessage").contains("not empty"));
        run->setText(tmp_.filePath("new-run"));
        QVERIFY(w.button(QWizard::FinishButton)->isEnabled());
        QCOMPARE(w.button(QWizard::FinishButton)->text(), QString("Start"));
        static_cast<WizardSummaryPage*>(w.page(TrainWizard::SummaryPageId))->cancelMeasurement();
    }

    void aPresetRefillsTheSchedule()
    {
        TrainWizard w(data_);
        walkTo(w, TrainWizard::SchedulePageId);
        auto* page = static_cast<WizardSchedulePage*>(w.page(TrainWizard::SchedulePageId));
        auto* epochs = field<QSpinBox>(w, TrainWizard::SchedulePageId, "epochs");
        auto* lr = field<QLineEdit>(w, TrainWizard::SchedulePageId, "lr");
        QCOMPARE(epochs->value(), TrainConfig::preset("quick").epochs);  // the default: quick
        epochs->setValue(3);
        lr->setText("0.5");
        page->choosePreset("recipe-a");
        const TrainConfig a = TrainConfig::preset("recipe-a");
        QCOMPARE(epochs->value(), a.epochs);
        QCOMPARE(lr->text().toDouble(), a.lr);
        QVERIFY(field<QRadioButton>(w, TrainWizard::SchedulePageId, "kFold")->isChecked());
        QCOMPARE(field<QSpinBox>(w, TrainWizard::SchedulePageId, "folds")->value(), a.folds);
        QCOMPARE(w.config().dropConnect, a.dropConnect);  // what no page shows comes from the preset too
        page->choosePreset("quick");
        QCOMPARE(epochs->value(), TrainConfig::preset("quick").epochs);
        QVERIFY(field<QRadioButton>(w, TrainWizard::SchedulePageId, "holdOut")->isChecked());
        QCOMPARE(w.presetName(), QString("quick"));
    }

    void theCommandLineIsExactlyTheConfiguration()
    {
        TrainWizard w(data_);
        walkTo(w, TrainWizard::SchedulePageId);
        static_cast<WizardSchedulePage*>(w.page(TrainWizard::SchedulePageId))->choosePreset("recipe-b");
        field<QSpinBox>(w, TrainWizard::SchedulePageId, "epochs")->setValue(3);
        field<QSpinBox>(w, TrainWizard::SchedulePageId, "folds")->setValue(3);
        field<QSpinBox>(w, TrainWizard::SchedulePageId, "batch")->setValue(4);
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "lr")->setText("0.00033");
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "rotation")->setText("0.125");
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "contrast")->setText("0");
        field<QLineEdit>(w, TrainWizard::SchedulePageId, "seed")->setText("7");
        w.next();
        w.next();
        auto* run = field<QLineEdit>(w, TrainWizard::SummaryPageId, "runFolder");
        run->setText(tmp_.filePath("a run's folder"));
        QVERIFY(w.button(QWizard::FinishButton)->isEnabled());
        const QString shown = field<QPlainTextEdit>(w, TrainWizard::SummaryPageId, "command")->toPlainText();
        QVERIFY2(shown.startsWith("cassava train --data "), qPrintable(shown));
        QVERIFY2(shown.contains("--preset recipe-b"), qPrintable(shown));
        QStringList words = shellWords(shown);
        QCOMPARE(words.takeFirst(), QString("cassava"));
        std::vector<std::string> args;
        for (const QString& word : words)
            args.push_back(word.toStdString());
        w.button(QWizard::FinishButton)->click();
        QCOMPARE(w.result(), int(QDialog::Accepted));
        const TrainConfig c = w.config();
        QCOMPARE(QString::fromStdString(trainConfigFromCommandLine(args).toJson().dump()),
                 QString::fromStdString(c.toJson().dump()));
        QCOMPARE(c.epochs, 3);
        QCOMPARE(c.folds, 3);
        QCOMPARE(c.augment.rotationTurns, 0.125);
        QCOMPARE(c.seed, uint64_t{7});
        QCOMPARE(QString::fromStdString(c.out), tmp_.filePath("a run's folder"));
        QVERIFY(c.validate().empty());

        // The next wizard starts from these settings (not their dataset or run folder).
        TrainWizard again(data_);
        walkTo(again, TrainWizard::SchedulePageId);
        QCOMPARE(again.config().epochs, 3);
        QCOMPARE(again.config().lr, 0.00033);
        QCOMPARE(again.presetName(), QString("recipe-b"));
    }

    void theLabelsPageCountsAReviewsFiles()
    {
        const auto dataset = Dataset::open(data_.toStdString());
        const auto& s = dataset.samples();
        // Three real corrections, one that repeats the given label, one id the dataset lacks.
        QByteArray decisions = "image_id,label\n";
        for (int i = 0; i < 3; ++i)
            decisions += QByteArray::fromStdString(s[i].imageId) + "," + QByteArray::number((s[i].label + 1) % 5) + "\n";
        decisions += QByteArray::fromStdString(s[3].imageId) + "," + QByteArray::number(s[3].label) + "\n";
        decisions += "no_such_image.jpg,2\n";
        decisions += QByteArray::fromStdString(s[4].imageId) + ",9\n";  // not a class: an error naming line 7
        testsupport::writeText(tmp_.filePath("review/decisions.csv"), decisions);
        QByteArray suspects = "image_id,given_label,suggested_label,confidence\n";
        for (int i = 10; i < 14; ++i)
            suspects += QByteArray::fromStdString(s[i].imageId) + ",0,1,0.9\n";
        suspects += "gone.jpg,0,1,0.9\n";
        testsupport::writeText(tmp_.filePath("review/suspects.csv"), suspects);

        TrainWizard w(data_);
        w.setLabelsFile(tmp_.filePath("review/decisions.csv"));
        w.setLabelsFile(tmp_.filePath("review/suspects.csv"));
        walkTo(w, TrainWizard::LabelsPageId);
        auto* page = static_cast<WizardLabelsPage*>(w.page(TrainWizard::LabelsPageId));
        QCOMPARE(field<QLineEdit>(w, TrainWizard::LabelsPageId, "decisions")->text(), tmp_.filePath("review/decisions.csv"));
        QCOMPARE(field<QLineEdit>(w, TrainWizard::LabelsPageId, "suspects")->text(), tmp_.filePath("review/suspects.csv"));
        QVERIFY2(page->relabelled() == 3, qPrintable(page->findChild<QLabel*>("labelsSummary")->text() + "/" + field<QLabel>(w, TrainWizard::LabelsPageId, "decisionsMessage")->text() + "/" + field<QLabel>(w, TrainWizard::LabelsPageId, "suspectsMessage")->text() + "/" + QString::number(w.currentId())));
        QCOMPARE(page->excluded(), 4);
        QCOMPARE(page->unknownIds(), 2);
        const QString problems = page->findChild<QPlainTextEdit*>()->toPlainText();
        QVERIFY2(problems.contains("decisions.csv:7"), qPrintable(problems));
        QVERIFY(nextEnabled(w));
        QCOMPARE(QString::fromStdString(w.config().relabel), tmp_.filePath("review/decisions.csv"));
        QCOMPARE(QString::fromStdString(w.config().exclude), tmp_.filePath("review/suspects.csv"));

        // A file without the columns is refused with its name.
        testsupport::writeText(tmp_.filePath("review/other.csv"), "name,score\na,1\n");
        field<QLineEdit>(w, TrainWizard::LabelsPageId, "suspects")->setText(tmp_.filePath("review/other.csv"));
        QVERIFY(!nextEnabled(w));
        field<QLineEdit>(w, TrainWizard::LabelsPageId, "suspects")->clear();
        QVERIFY(nextEnabled(w));
    }

    void theEstimateIsMeasuredOffTheGuiThread()
    {
        TrainWizard w(data_);
        walkTo(w, TrainWizard::ModelPageId);
        field<QSpinBox>(w, TrainWizard::ModelPageId, "size")->setValue(64);
        w.next();
        field<QSpinBox>(w, TrainWizard::SchedulePageId, "batch")->setValue(4);
        w.next();
        w.next();
        auto* summary = static_cast<WizardSummaryPage*>(w.page(TrainWizard::SummaryPageId));
        // The page is up and the event loop free while the step is timed.
        QVERIFY(summary->isMeasuring());
        QVERIFY(summary->estimateText().contains("measuring"));
        QTRY_VERIFY_WITH_TIMEOUT(!summary->isMeasuring(), 120000);
        QVERIFY2(summary->estimatedSeconds() > 0, qPrintable(summary->estimateText()));
        QVERIFY2(summary->estimateText().contains("measured on this machine"), qPrintable(summary->estimateText()));
        // Back cancels a measurement in flight; coming again measures anew.
        w.back();
        w.next();
        QVERIFY(summary->isMeasuring());
        w.back();
        QTRY_VERIFY_WITH_TIMEOUT(!summary->isMeasuring(), 120000);
        QCOMPARE(summary->estimatedSeconds(), 0.0);
    }

    void imagenetWeightsAreFetchedWhenLeavingTheModelPage()
    {
        TrainWizard w(data_);
        QStringList asked;
        QString answer;
        w.setFetchWeights([&](const QString& variant, QWidget*) {
            asked << variant;
            return answer;
        });
        walkTo(w, TrainWizard::ModelPageId);
        field<QRadioButton>(w, TrainWizard::ModelPageId, "imagenet")->setChecked(true);
        w.next();  // the fetch fails: the wizard stays
        QCOMPARE(asked, QStringList{"b0"});
        QCOMPARE(w.currentId(), int(TrainWizard::ModelPageId));
        QVERIFY(!message(w, TrainWizard::ModelPageId, "weightsMessage").isEmpty());
        answer = tmp_.filePath("cache/efficientnet_b0.pth");
        w.next();
        QCOMPARE(w.currentId(), int(TrainWizard::SchedulePageId));
        QCOMPARE(QString::fromStdString(w.config().weights), QString("imagenet"));
    }

    void retrainingStartsFromTheGivenSettings()
    {
        TrainConfig given = TrainConfig::preset("recipe-a");
        given.data = data_.toStdString();
        given.model = "b1";
        given.size = 64;
        given.epochs = 5;
        given.folds = 2;
        given.batch = 4;
        given.optimizer = "adamw";  // no page shows it: kept as given
        given.augment.contrast = 1.0 / 3.0;
        given.out = tmp_.filePath("retrain").toStdString();
        given.augment.size = given.size;
        TrainWizard w(QString{});
        w.setInitialConfig(given);
        walkTo(w, TrainWizard::SummaryPageId);
        static_cast<WizardSummaryPage*>(w.page(TrainWizard::SummaryPageId))->cancelMeasurement();
        QCOMPARE(QString::fromStdString(w.config().toJson().dump()), QString::fromStdString(given.toJson().dump()));
        QVERIFY(w.commandLine().contains("--optimizer adamw"));
    }

    void everyPageLooksRightInLightAndDark()
    {
        // Pictures for a person to look at (CASSAVA_WIZARD_SHOTS=DIR) and a check that none is blank.
        const QString out = qEnvironmentVariable("CASSAVA_WIZARD_SHOTS", tmp_.filePath("shots"));
        QDir().mkpath(out);
        const QPalette light = QApplication::palette();
        for (const bool dark : {false, true}) {
            if (dark) {
                QApplication::setStyle(QStyleFactory::create("Fusion"));
                QPalette p;
                p.setColor(QPalette::Window, QColor(45, 45, 48));
                p.setColor(QPalette::WindowText, QColor(230, 230, 230));
                p.setColor(QPalette::Base, QColor(30, 30, 32));
                p.setColor(QPalette::AlternateBase, QColor(50, 50, 54));
                p.setColor(QPalette::Text, QColor(230, 230, 230));
                p.setColor(QPalette::Button, QColor(60, 60, 64));
                p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
                p.setColor(QPalette::Highlight, QColor(70, 130, 180));
                p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
                p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(140, 140, 140));
                p.setColor(QPalette::Disabled, QPalette::Text, QColor(140, 140, 140));
                p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(140, 140, 140));
                QApplication::setPalette(p);
            }
            TrainWizard w(data_);
            w.show();
            QTRY_VERIFY_WITH_TIMEOUT(w.datasetRead() && w.dataset(), 20000);
            for (int id = TrainWizard::DatasetPageId; id <= TrainWizard::SummaryPageId; ++id) {
                w.showPageForTour(id);
                QCOMPARE(w.currentId(), id);
                if (id == TrainWizard::SummaryPageId) {
                    auto* summary = static_cast<WizardSummaryPage*>(w.page(id));
                    QTRY_VERIFY_WITH_TIMEOUT(!summary->isMeasuring(), 120000);
                }
                QTest::qWait(50);
                const QImage shot = w.grab().toImage();
                QVERIFY(shot.width() >= 600 && shot.height() >= 400);
                QVERIFY(shot.save(QDir(out).filePath(QString("wizard-%1-%2.png").arg(id).arg(dark ? "dark" : "light"))));
            }
        }
        QApplication::setPalette(light);
    }

private:
    QTemporaryDir tmp_;
    QString data_;
};

QTEST_MAIN(UiTrainWizardTest)
#include "test_ui_train_wizard.moc"
