// The Review view: a curator reviews a run's suspect labels from the keyboard. The run is a real
// 2-fold training on noisy drawn leaves; its oof.csv is then written by the test, so which photos
// are suspects (and how sure the run is) is known exactly.
#include "TestSupport.h"

#include "DatasetDecisions.h"
#include "DatasetPreview.h"
#include "DatasetView.h"
#include "EmptyState.h"
#include "ImagePreview.h"
#include "MainWindow.h"
#include "PairMatrix.h"
#include "ReviewSession.h"
#include "ReviewView.h"
#include "SuspectDetails.h"
#include "SuspectsModel.h"
#include "TrainWizard.h"

#include "ReviewJournal.h"
#include "RunDir.h"
#include "TrainConfig.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QListView>
#include <QProcess>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTimer>
#include <QUndoStack>

#include <csignal>
#include <cstdio>
#include <memory>

using namespace cassava;
using cassava::ui::ReviewSession;
using cassava::ui::ReviewView;
using cassava::ui::SuspectsFilter;
using cassava::ui::SuspectsModel;
using testsupport::readCsv;
using testsupport::runCli;

namespace {

// oof.csv for the run: every 40 images' row agrees with its label at 0.9, except these, which
// the run says are (label + 1) % 5 with the given probability.
struct Planted {
    int row;
    float confidence;
};
const std::vector<Planted> kPlanted = {{0, 0.97f}, {3, 0.95f}, {5, 0.93f}, {8, 0.91f}, {11, 0.89f}, {14, 0.87f},
                                       {17, 0.85f}, {20, 0.83f}, {23, 0.81f}, {26, 0.70f}, {29, 0.65f}};
constexpr int kSuspectsAt080 = 9;  // confidence >= 0.8
constexpr int kSuspectsAt060 = 11;

void writePlantedOof(const QString& run)
{
    const QList<QStringList> rows = readCsv(run + "/oof.csv");
    QByteArray out = "image_id,label,fold,p0,p1,p2,p3,p4\n";
    for (int i = 1; i < rows.size(); ++i) {
        const QString id = rows[i][0];
        const int label = rows[i][1].toInt();
        std::vector<float> p(5, 0.025f);
        int wanted = label;
        float confidence = 0.9f;
        for (const Planted& planted : kPlanted)
            if (planted.row == i - 1) {
                wanted = (label + 1) % 5;
                confidence = planted.confidence;
            }
        const float rest = (1.0f - confidence) / 4;
        for (int c = 0; c < 5; ++c)
            p[static_cast<size_t>(c)] = c == wanted ? confidence : rest;
        out += QStringLiteral("%1,%2,%3").arg(id, rows[i][1], rows[i][2]).toUtf8();
        for (float v : p)
            out += "," + QByteArray::number(v, 'f', 6);
        out += "\n";
    }
    testsupport::writeText(run + "/oof.csv", out);
}

bool waitOpened(ReviewSession& session)
{
    QSignalSpy opened(&session, &ReviewSession::opened);
    QSignalSpy failed(&session, &ReviewSession::failed);
    return (opened.count() > 0 || opened.wait(30000)) && failed.isEmpty();
}

struct Review {
    std::unique_ptr<ReviewSession> session = std::make_unique<ReviewSession>();
    std::unique_ptr<ReviewView> view;
    explicit Review(const QString& run)
    {
        view = std::make_unique<ReviewView>(session.get());
        view->resize(1300, 850);
        view->show();
        // The window's undo/redo shortcuts: the main window adds these same actions to itself.
        view->addAction(session->undoAction());
        view->addAction(session->redoAction());
        session->open(run);
    }
    bool ready()
    {
        if (!waitOpened(*session))
            return false;
        QApplication::setActiveWindow(view.get());
        return QTest::qWaitForWindowActive(view.get());
    }
    void key(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QTest::keyClick(view->list(), static_cast<Qt::Key>(key), modifiers);
    }
    const ReviewItem* decision(const QString& id) const { return session->decisionOf(id); }
    int suggested(const QString& id) const
    {
        return view->model()->suspect(view->model()->rowOf(id)).suggestedLabel;
    }
};

int journalLines(const QString& run)
{
    QFile f(run + "/review/journal.jsonl");
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().count('\n');
}

// The child of theJournalSurvivesAKill: decides suspects one key at a time and says so on stdout
// once each decision has returned (is on screen), until killed.
int childMain(int argc, char** argv)
{
    QApplication app(argc, argv);
    Review review(qEnvironmentVariable("CASSAVA_REVIEW_CHILD"));
    if (!review.ready())
        return 2;
    const int keys[] = {Qt::Key_A, Qt::Key_K, Qt::Key_3, Qt::Key_Delete};
    for (int i = 0;; ++i) {
        const QString id = review.view->currentImageId();
        if (review.decision(id))
            return 0;  // all decided
        review.key(keys[i % 4]);
        const ReviewItem* item = review.decision(id);
        if (!item)
            return 3;
        std::printf("decided %s %s %d\n", qPrintable(id), reviewDecisionName(item->decision), item->label);
        std::fflush(stdout);
        QTest::qWait(20);
    }
}

}  // namespace

class TestUiReview : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString data_, base_;
    int fresh_ = 0;

    // A copy of the trained run with no journal, for a test of its own.
    QString freshRun()
    {
        const QString dir = tmp_.filePath(QStringLiteral("run%1").arg(++fresh_));
        QProcess cp;
        cp.start("cp", {"-r", base_, dir});
        cp.waitForFinished();
        return dir;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp_.filePath("config"));
        qputenv("XDG_DATA_HOME", tmp_.filePath("xdg-data").toUtf8());
        QCoreApplication::setOrganizationName("Cassava Studio Tests");
        QCoreApplication::setApplicationName("test_ui_review");
        data_ = tmp_.filePath("leaves");
        auto r = runCli({"synth", "--out", data_, "--count", "40", "--size", "96x72", "--seed", "5", "--noise", "0.2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        base_ = tmp_.filePath("base-run");
        r = runCli({"train", "--data", data_, "--out", base_, "--size", "64", "--epochs", "1", "--folds", "2", "--batch",
                    "8", "--threads", "1", "--workers", "1", "--no-augment"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        writePlantedOof(base_);
    }

    void opensAtTheFirstSuspectReadyForAKey()
    {
        Review review(freshRun());
        QVERIFY(review.ready());
        QVERIFY(review.view->isShowingSuspects());
        QCOMPARE(review.view->suspectCount(), kSuspectsAt080);
        // The most confident suspect first, selected, with the keyboard focus in the view.
        const ProbabilityTable& table = review.session->table();
        QCOMPARE(review.view->currentImageId(), QString::fromStdString(table.imageIds[0]));
        QVERIFY(review.view->isAncestorOf(QApplication::focusWidget()));
        QCOMPARE(review.view->progressText(), QStringLiteral("0 of 9 reviewed"));
        // The matrix counts each given -> suggested pair.
        int total = 0;
        for (int g = 0; g < 5; ++g)
            for (int s = 0; s < 5; ++s)
                total += review.view->pairMatrix()->count(g, s);
        QCOMPARE(total, kSuspectsAt080);
        const int given = table.labels[0];
        QVERIFY(review.view->pairMatrix()->count(given, (given + 1) % 5) >= 1);
        QVERIFY(review.view->details()->givenText().contains(QString::fromStdString(LabelMap::standard().name(given)).toHtmlEscaped()));
    }

    void eachKeyDecidesAdvancesAndUndoes()
    {
        const QString run = freshRun();
        Review review(run);
        QVERIFY(review.ready());
        struct Case {
            int key;
            ReviewDecision decision;
        };
        const Case cases[] = {{Qt::Key_A, ReviewDecision::Accept},  {Qt::Key_K, ReviewDecision::Keep},
                              {Qt::Key_2, ReviewDecision::Relabel}, {Qt::Key_Delete, ReviewDecision::Exclude},
                              {Qt::Key_S, ReviewDecision::Skip}};
        QStringList decided;
        for (const Case& c : cases) {
            const QString id = review.view->currentImageId();
            review.key(c.key);
            const ReviewItem* item = review.decision(id);
            QVERIFY2(item, qPrintable(id));
            QCOMPARE(item->decision, c.decision);
            const int given = review.session->givenLabel(id);
            const int expected = c.decision == ReviewDecision::Accept    ? review.suggested(id)
                                 : c.decision == ReviewDecision::Relabel ? 2
                                 : c.decision == ReviewDecision::Exclude ? -1
                                                                         : given;
            QCOMPARE(item->label, expected);
            QVERIFY(review.view->currentImageId() != id);  // advanced
            QVERIFY(!review.decision(review.view->currentImageId()));  // to an undecided one
            decided << id;
        }
        QCOMPARE(journalLines(run), 1 + 5);  // the header and one line per decision
        QCOMPARE(review.view->progressText(),
                 QStringLiteral("4 of 9 reviewed · 1 accepted, 1 relabelled, 1 kept, 1 excluded, 1 skipped"));
        // Ctrl+Z undoes them newest first, Ctrl+Shift+Z redoes; each one a journal line.
        for (int i = decided.size() - 1; i >= 0; --i) {
            review.key(Qt::Key_Z, Qt::ControlModifier);
            QVERIFY2(!review.decision(decided[i]), qPrintable(decided[i]));
        }
        QCOMPARE(review.view->progressText(), QStringLiteral("0 of 9 reviewed"));
        review.key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(review.decision(decided[0])->decision, ReviewDecision::Accept);
        QVERIFY(!review.decision(decided[1]));
        QCOMPARE(journalLines(run), 1 + 5 + 5 + 1);
        // The arrows move without deciding.
        const QString here = review.view->currentImageId();
        review.key(Qt::Key_Down);
        QVERIFY(review.view->currentImageId() != here);
        review.key(Qt::Key_Up);
        QCOMPARE(review.view->currentImageId(), here);
        QCOMPARE(journalLines(run), 12);
    }

    void aBulkDecisionIsOneUndoStep()
    {
        const QString run = freshRun();
        Review review(run);
        QVERIFY(review.ready());
        QTreeView* list = review.view->list();
        list->selectionModel()->select(QItemSelection(review.view->proxy()->index(1, 0), review.view->proxy()->index(3, 0)),
                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QStringList ids;
        for (int r = 1; r <= 3; ++r)
            ids << review.view->proxy()->index(r, 0).data(SuspectsModel::ImageIdRole).toString();
        const int steps = review.session->undoStack()->count();
        review.key(Qt::Key_A);  // each takes its own suggestion
        for (const QString& id : ids) {
            QVERIFY(review.decision(id));
            QCOMPARE(review.decision(id)->decision, ReviewDecision::Accept);
            QCOMPARE(review.decision(id)->label, review.suggested(id));
        }
        QCOMPARE(review.session->undoStack()->count(), steps + 1);
        QCOMPARE(journalLines(run), 2);
        review.key(Qt::Key_Z, Qt::ControlModifier);
        for (const QString& id : ids)
            QVERIFY(!review.decision(id));
    }

    void filtersNarrowTheList()
    {
        Review review(freshRun());
        QVERIFY(review.ready());
        SuspectsFilter* proxy = review.view->proxy();
        const QString first = review.view->currentImageId();
        const int given = review.session->givenLabel(first);
        proxy->setGiven(given);
        QVERIFY(proxy->rowCount() >= 1 && proxy->rowCount() < kSuspectsAt080);
        for (int r = 0; r < proxy->rowCount(); ++r)
            QCOMPARE(proxy->index(r, 0).data(SuspectsModel::GivenRole).toInt(), given);
        proxy->setGiven(-1);
        proxy->setFold(1);
        for (int r = 0; r < proxy->rowCount(); ++r)
            QCOMPARE(proxy->index(r, 0).data(SuspectsModel::FoldRole).toInt(), 1);
        proxy->setFold(SuspectsFilter::anyFold);
        const QString kept = review.view->currentImageId();
        review.key(Qt::Key_K);
        proxy->setDecision(SuspectsFilter::DecisionFilter::Undecided);
        QCOMPARE(proxy->rowCount(), kSuspectsAt080 - 1);
        proxy->setDecision(SuspectsFilter::DecisionFilter::Keep);
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, 0).data(SuspectsModel::ImageIdRole).toString(), kept);
        proxy->setDecision(SuspectsFilter::DecisionFilter::Any);
        // A click on a matrix cell lists only that pair.
        ui::PairMatrix* pairs = review.view->pairMatrix();
        QTest::mouseClick(pairs, Qt::LeftButton, {}, pairs->cellRect(given, (given + 1) % 5).center());
        QCOMPARE(proxy->rowCount(), pairs->count(given, (given + 1) % 5));
        QCOMPARE(proxy->given(), given);
        // Sorting by score, ascending.
        review.view->list()->sortByColumn(SuspectsModel::ScoreColumn, Qt::AscendingOrder);
        proxy->setGiven(-1);
        proxy->setSuggested(-1);
        for (int r = 1; r < proxy->rowCount(); ++r)
            QVERIFY(proxy->index(r - 1, SuspectsModel::ScoreColumn).data(SuspectsModel::SortRole).toDouble() <=
                    proxy->index(r, SuspectsModel::ScoreColumn).data(SuspectsModel::SortRole).toDouble());
    }

    void theThresholdSliderIsLive()
    {
        Review review(freshRun());
        QVERIFY(review.ready());
        QSignalSpy changed(review.view.get(), &ReviewView::suspectsChanged);
        review.view->thresholdSlider()->setValue(60);
        QCOMPARE(review.view->suspectCount(), kSuspectsAt060);
        QCOMPARE(changed.count(), 1);
        review.view->thresholdSlider()->setValue(90);
        QCOMPARE(review.view->suspectCount(), 4);
        review.view->setMethod(DenoiseMethod::Confident);
        QVERIFY(!review.view->thresholdSlider()->isEnabled());
        QCOMPARE(review.view->suspectCount(), static_cast<int>(findSuspects(review.session->table(), {DenoiseMethod::Confident, 0}).size()));
    }

    void methodAndThresholdAreKeptAcrossRestarts()
    {
        QByteArray state;
        {
            Review review(freshRun());
            QVERIFY(review.ready());
            review.view->setThreshold(0.7);
            state = review.view->saveState();
        }
        Review review(freshRun());
        review.view->restoreState(state);
        QVERIFY(review.ready());
        QCOMPARE(review.view->threshold(), 0.7);
        QCOMPARE(review.view->thresholdSlider()->value(), 70);
        QCOMPARE(review.view->suspectCount(), 10);  // 0.97 .. 0.70
        review.view->setMethod(DenoiseMethod::Confident);
        state = review.view->saveState();
        ReviewSession session;
        ReviewView again(&session);
        again.restoreState(state);
        QCOMPARE(again.method(), DenoiseMethod::Confident);
        again.restoreState("garbage");  // an unreadable state changes nothing
        QCOMPARE(again.method(), DenoiseMethod::Confident);
    }

    void picturesAndHeatmapsAreMadeAheadOffTheGuiThread()
    {
        Review review(freshRun());
        QVERIFY(review.ready());
        const QString id = review.view->currentImageId();
        QTRY_VERIFY_WITH_TIMEOUT(review.view->isCurrentComplete(), 60000);
        const ui::SuspectPicture* picture = review.view->picture(id);
        QVERIFY(picture && picture->madeOffGuiThread);
        QVERIFY2(picture->heatmapError.isEmpty(), qPrintable(picture->heatmapError));
        QCOMPARE(picture->photo.size(), QSize(96, 72));
        QVERIFY(!picture->givenHeatmap.isNull() && !picture->suggestedHeatmap.isNull());
        QVERIFY(picture->givenHeatmap != picture->suggestedHeatmap);  // two classes, two readings
        QVERIFY(review.view->photo()->hasImage());
        QVERIFY(review.view->details()->heatmapsShown());
        // The next suspects are made ahead: after a decision the next one is complete at once.
        const QString next = review.view->proxy()->index(1, 0).data(SuspectsModel::ImageIdRole).toString();
        QTRY_VERIFY_WITH_TIMEOUT(review.view->picture(next) != nullptr, 60000);
        QSignalSpy shown(review.view.get(), &ReviewView::suspectShown);
        review.key(Qt::Key_K);
        QCOMPARE(review.view->currentImageId(), next);
        QVERIFY(!shown.isEmpty());
        QCOMPARE(shown.last().at(0).toString(), next);
        QVERIFY(shown.last().at(1).toBool());
    }

    void reopeningResumesAtTheFirstUndecidedWithUndo()
    {
        const QString run = freshRun();
        QStringList ids;
        {
            Review review(run);
            QVERIFY(review.ready());
            for (int i = 0; i < 2; ++i) {
                ids << review.view->currentImageId();
                review.key(Qt::Key_A);
            }
            ids << review.view->currentImageId();
        }
        Review again(run);
        QVERIFY(again.ready());
        QCOMPARE(again.view->currentImageId(), ids[2]);
        QCOMPARE(again.view->reviewedCount(), 2);
        QVERIFY(again.session->undoStack()->canUndo());
        again.key(Qt::Key_Z, Qt::ControlModifier);  // undoes the decision made before the restart
        QVERIFY(!again.decision(ids[1]));
        QVERIFY(again.decision(ids[0]));
        QVERIFY(again.session->undoStack()->canRedo());
    }

    void theJournalSurvivesAKill()
    {
        const QString run = freshRun();
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("CASSAVA_REVIEW_CHILD", run);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        QStringList lines;
        while (lines.size() < 4 && child.waitForReadyRead(60000))
            while (child.canReadLine())
                lines << QString::fromUtf8(child.readLine()).trimmed();
        QVERIFY2(lines.size() >= 4, qPrintable(QString::fromUtf8(child.readAllStandardError())));
        ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished());
        while (child.canReadLine())
            lines << QString::fromUtf8(child.readLine()).trimmed();
        Review review(run);
        QVERIFY(review.ready());
        for (const QString& line : lines) {
            const QStringList f = line.split(' ');
            QCOMPARE(f.size(), 4);
            const ReviewItem* item = review.decision(f[1]);
            QVERIFY2(item, qPrintable(line));
            QCOMPARE(QString::fromUtf8(reviewDecisionName(item->decision)), f[2]);
            QCOMPARE(item->label, f[3].toInt());
        }
        QVERIFY(review.view->reviewedCount() >= lines.size());
    }

    void aTornLastLineIsIgnoredWithAWarning()
    {
        const QString run = freshRun();
        QString id;
        {
            Review review(run);
            QVERIFY(review.ready());
            id = review.view->currentImageId();
            review.key(Qt::Key_K);
        }
        QFile journal(run + "/review/journal.jsonl");
        QVERIFY(journal.open(QIODevice::Append));
        journal.write("{\"type\":\"decision\",\"time\":\"2026-");
        journal.close();
        Review review(run);
        QVERIFY(review.ready());
        QVERIFY(review.decision(id));
        QVERIFY2(review.session->problems().join('\n').contains("journal.jsonl:3"), qPrintable(review.session->problems().join('\n')));
        review.key(Qt::Key_A);  // the next append cuts the torn line off first
        Review again(run);
        QVERIFY(again.ready());
        QCOMPARE(again.view->reviewedCount(), 2);
        QVERIFY(!again.session->problems().join('\n').contains("journal.jsonl"));
    }

    void aForeignJournalIsRefused()
    {
        const QString mine = freshRun(), other = freshRun();
        {
            Review review(other);
            QVERIFY(review.ready());
            review.key(Qt::Key_K);
        }
        // The other run trained on other labels: its journal is not this run's.
        QList<QStringList> labels = readCsv(other + "/labels.csv");
        QByteArray changed = "image_id,label\n";
        for (int i = 1; i < labels.size(); ++i)
            changed += (labels[i][0] + "," + (i == 1 ? QString::number((labels[i][1].toInt() + 1) % 5) : labels[i][1]) + "\n").toUtf8();
        testsupport::writeText(mine + "/labels.csv", changed);
        QDir().mkpath(mine + "/review");
        QVERIFY(QFile::copy(other + "/review/journal.jsonl", mine + "/review/journal.jsonl"));
        ReviewSession session;
        ReviewView view(&session);
        QSignalSpy failed(&session, &ReviewSession::failed);
        session.open(mine);
        QVERIFY(failed.wait(30000));
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains("journal.jsonl") && message.contains("another run"), qPrintable(message));
        QVERIFY(!view.isShowingSuspects());
        QVERIFY(view.emptyState()->text().contains(message));
    }

    void exportsAreExactlyTheJournalsAndNeverOverTrainCsv()
    {
        const QString run = freshRun();
        Review review(run);
        QVERIFY(review.ready());
        review.key(Qt::Key_A);
        review.key(Qt::Key_4);
        review.key(Qt::Key_Delete);
        const QString out = tmp_.filePath("export");
        QDir().mkpath(out);
        QString error;
        QVERIFY2(review.view->exportTo(out, false, &error), qPrintable(error));
        const ReviewJournal* journal = review.session->journal();
        QFile decisions(out + "/decisions.csv"), train(out + "/train.csv");
        QVERIFY(decisions.open(QIODevice::ReadOnly) && train.open(QIODevice::ReadOnly));
        QCOMPARE(decisions.readAll().toStdString(), journal->decisionsCsv());
        QCOMPARE(train.readAll().toStdString(), journal->cleanedTrainCsv());
        QCOMPARE(readCsv(out + "/decisions.csv").size(), 1 + 3);
        QCOMPARE(readCsv(out + "/train.csv").size(), 1 + 40 - 1);  // the excluded photo left out
        // Not again without asking, and never over the dataset's own train.csv.
        QVERIFY(!review.view->exportTo(out, false, &error));
        QVERIFY(review.view->exportTo(out, true, &error));
        const QByteArray before = [&] { QFile f(data_ + "/train.csv"); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        QVERIFY(!review.view->exportTo(data_, true, &error));
        QVERIFY2(error.contains("train.csv"), qPrintable(error));
        QFile after(data_ + "/train.csv");
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), before);
        // Retrain: the run's own decisions.csv, the same bytes, handed to the wizard.
        QSignalSpy retrain(review.view.get(), &ReviewView::retrainRequested);
        review.view->retrainAction()->trigger();
        QCOMPARE(retrain.count(), 1);
        QFile mine(retrain.first().at(1).toString());
        QVERIFY(mine.open(QIODevice::ReadOnly));
        QCOMPARE(mine.readAll().toStdString(), journal->decisionsCsv());
    }

    void theDatasetBrowserDecidesThroughTheSameJournal()
    {
        const QString run = freshRun();
        ui::MainWindow window;
        window.show();
        QSignalSpy shown(&window, &ui::MainWindow::datasetShown);
        QSignalSpy opened(window.reviewSession(), &ReviewSession::opened);
        window.openDataset(data_);
        QVERIFY(shown.wait(30000));
        window.showRun(run, false);
        QVERIFY(opened.wait(30000));
        window.setView(ui::MainWindow::View::Dataset);
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        ui::DatasetDecisions* decisions = window.datasetDecisions();
        QVERIFY(decisions->isAvailable());
        // A photo that is no suspect, and one that is: both take decisions here.
        const QString quiet = QString::fromStdString(window.reviewSession()->table().imageIds[1]);
        const QString suspect = QString::fromStdString(window.reviewSession()->table().imageIds[0]);
        ui::DatasetView* browser = window.datasetView();
        browser->selectImage(quiet);
        browser->grid()->setFocus();
        QTest::keyClick(browser->grid(), Qt::Key_3);
        const ReviewItem* item = window.reviewSession()->decisionOf(quiet);
        QVERIFY(item);
        QCOMPARE(item->decision, ReviewDecision::Relabel);
        QCOMPARE(item->label, 3);
        QVERIFY2(browser->preview()->decisionText().contains("relabelled as CMD"), qPrintable(browser->preview()->decisionText()));
        browser->selectImage(suspect);
        QTest::keyClick(browser->grid(), Qt::Key_Delete);
        QCOMPARE(window.reviewSession()->decisionOf(suspect)->decision, ReviewDecision::Exclude);
        // The Review view shows it, and one Ctrl+Z in the window undoes it wherever it was made.
        QCOMPARE(window.reviewView()->model()->index(window.reviewView()->model()->rowOf(suspect), SuspectsModel::DecisionColumn)
                     .data()
                     .toString(),
                 QStringLiteral("excluded"));
        QTest::keyClick(browser->grid(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!window.reviewSession()->decisionOf(suspect));
        QVERIFY(window.reviewSession()->decisionOf(quiet));
        QVERIFY(browser->preview()->decisionText().isEmpty());
        QCOMPARE(journalLines(run), 1 + 3);
    }

    void retrainOpensTheWizardWithTheRunsSettingsAndTheDecisions()
    {
        const QString run = freshRun();
        ui::MainWindow window;
        window.show();
        QSignalSpy opened(window.reviewSession(), &ReviewSession::opened);
        window.showRun(run, false);
        QVERIFY(opened.wait(30000));
        window.setView(ui::MainWindow::View::Review);
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(window.reviewView()->list(), Qt::Key_A);
        QTest::keyClick(window.reviewView()->list(), Qt::Key_Delete);
        TrainConfig seen;
        bool found = false;
        QTimer::singleShot(0, &window, [&] {
            auto* wizard = qobject_cast<ui::TrainWizard*>(QApplication::activeModalWidget());
            if (wizard) {
                found = true;
                seen = wizard->config();
                wizard->reject();
            }
        });
        window.reviewView()->retrainAction()->trigger();  // the wizard is modal: returns once rejected
        QVERIFY(found);
        QCOMPARE(QString::fromStdString(seen.relabel), run + "/review/decisions.csv");
        QCOMPARE(readCsv(run + "/review/decisions.csv").size(), 1 + 2);
        QCOMPARE(QDir(QString::fromStdString(seen.data)).canonicalPath(), QDir(data_).canonicalPath());
        QCOMPARE(seen.size, 64);  // the run's settings, not a preset's
        QCOMPARE(seen.folds, 2);
        QVERIFY(seen.out != run.toStdString());
    }

    void ttaRescoringRunsOnceOnAWorkerAndCanBeCancelled()
    {
        const QString run = freshRun();
        Review review(run);
        QVERIFY(review.ready());
        QSignalSpy finished(review.view.get(), &ReviewView::rescoreFinished);
        review.view->rescore(2);
        QVERIFY(review.view->isRescoring());
        review.view->cancelRescore();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(review.session->table().runs, 1);
        review.view->rescore(2);
        QVERIFY(review.view->rescoreProgress()->isVisible());
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(finished.last().at(1).toString()));
        QCOMPARE(review.session->table().runs, 2);
        QVERIFY(QFile::exists(run + "/review/oof_tta2.csv"));
        // The real models disagree with the planted probabilities: the list follows the new scores.
        QCOMPARE(review.view->suspectCount(),
                 static_cast<int>(findSuspects(review.session->table(), {DenoiseMethod::Recipe, 0.8}).size()));
        // Reopened, the run uses the kept scores without predicting again.
        Review again(run);
        QVERIFY(again.ready());
        QCOMPARE(again.session->table().runs, 2);
        QVERIFY(again.session->tableSource().endsWith("oof_tta2.csv"));
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsSet("CASSAVA_REVIEW_CHILD"))
        return childMain(argc, argv);
    QApplication app(argc, argv);
    TestUiReview test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_ui_review.moc"
