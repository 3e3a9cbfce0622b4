// The review journal: decisions, undo and redo replayed from RUN/review/journal.jsonl exactly as
// they were made; torn and bad lines; foreign journals refused; the exports, and training reading
// them (TrainingSet's relabel file).
#include "TestSupport.h"

#include "AtomicFile.h"
#include "Dataset.h"
#include "ReviewJournal.h"
#include "RunDir.h"
#include "TrainingSet.h"

#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>

using namespace cassava;
using testsupport::writeText;

namespace {

std::vector<std::string> linesOf(const std::string& text)
{
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t nl = text.find('\n', pos);
        lines.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos)
            break;
        pos = nl + 1;
    }
    return lines;
}

void expectThrowContaining(const std::function<void()>& f, const std::vector<std::string>& parts)
{
    try {
        f();
    } catch (const std::exception& e) {
        const std::string what = e.what();
        for (const auto& p : parts)
            QVERIFY2(what.find(p) != std::string::npos, qPrintable(QString::fromStdString(what + " lacks " + p)));
        return;
    }
    QFAIL("no exception");
}

}  // namespace

class ReviewJournalTest : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    std::string data_, run_;

    ReviewJournal open() { return ReviewJournal::open(run_); }
    std::string journalText() { return readFile(RunDir(run_).journalPath()); }

    // Replay equals the in-memory state.
    void expectReplayEquals(const ReviewJournal& j)
    {
        const ReviewJournal again = open();
        QVERIFY(again.decisions() == j.decisions());
        QVERIFY(again.undoSteps() == j.undoSteps());
        QVERIFY(again.redoSteps() == j.redoSteps());
    }

private slots:
    void init()
    {
        QVERIFY(tmp_.isValid());
        const QString base = tmp_.path() + "/" + QTest::currentTestFunction();
        data_ = (base + "/data").toStdString();
        run_ = (base + "/run").toStdString();
        // Five images; the run trained on labels.csv, where b.jpg was relabelled 1 -> 4 before.
        writeText(base + "/data/train.csv", "image_id,label\na.jpg,0\nb.jpg,1\nc.jpg,2\nd.jpg,3\ne.jpg,4\n");
        writeText(base + "/run/config.json", QByteArray::fromStdString(nlohmann::json{{"data", data_}, {"folds", 2}}.dump(2)));
        writeText(base + "/run/labels.csv", "image_id,label\na.jpg,0\nb.jpg,4\nc.jpg,2\nd.jpg,3\ne.jpg,4\n");
    }

    void decisionsUndoRedo()
    {
        ReviewJournal j = open();
        QVERIFY(j.decisions().empty());
        QVERIFY(!std::filesystem::exists(RunDir(run_).journalPath()));  // nothing written before a decision
        QCOMPARE(j.givenLabel("b.jpg"), 4);

        j.decide(j.item("a.jpg", ReviewDecision::Accept, 3));
        j.decide(j.item("b.jpg", ReviewDecision::Relabel, 1));
        j.decide({j.item("c.jpg", ReviewDecision::Exclude), j.item("d.jpg", ReviewDecision::Exclude)});  // bulk
        QCOMPARE(j.decisions().size(), size_t(4));
        QCOMPARE(j.decisionOf("c.jpg")->label, -1);
        QCOMPARE(j.decisionOf("b.jpg")->given, 4);
        QCOMPARE(j.undoSteps().size(), size_t(3));
        expectReplayEquals(j);

        QVERIFY(j.undo());  // the bulk step, both images at once
        QVERIFY(!j.decisionOf("c.jpg") && !j.decisionOf("d.jpg"));
        QVERIFY(j.decisionOf("b.jpg"));
        QCOMPARE(j.redoSteps().size(), size_t(1));
        QCOMPARE(j.redoSteps().back().items.size(), size_t(2));
        expectReplayEquals(j);

        QVERIFY(j.undo());
        QVERIFY(!j.decisionOf("b.jpg"));
        QVERIFY(j.redo());  // b's relabel again; the bulk step still to redo
        QCOMPARE(j.decisionOf("b.jpg")->label, 1);
        QCOMPARE(j.redoSteps().size(), size_t(1));
        expectReplayEquals(j);

        // Deciding again on an image replaces its decision; undo brings the earlier one back.
        j.decide(j.item("a.jpg", ReviewDecision::Keep));
        QCOMPARE(j.decisionOf("a.jpg")->decision, ReviewDecision::Keep);
        QCOMPARE(j.decisionOf("a.jpg")->label, 0);
        QVERIFY(!j.canRedo());  // a new decision clears the redo stack, as QUndoStack does
        expectReplayEquals(j);
        QVERIFY(j.undo());
        QCOMPARE(j.decisionOf("a.jpg")->decision, ReviewDecision::Accept);
        QVERIFY(j.undo() && j.undo());
        QVERIFY(!j.undo());  // nothing left: nothing written
        QVERIFY(j.decisions().empty());
        expectReplayEquals(j);

        // Header, 3 decision steps (the bulk one is one line), undo, undo, redo, a decision, 3 undos.
        const auto lines = linesOf(journalText());
        QCOMPARE(lines.size(), size_t(1 + 3 + 3 + 1 + 3));
        const auto header = nlohmann::json::parse(lines[0]);
        QCOMPARE(header["type"].get<std::string>(), std::string("header"));
        QCOMPARE(header["run"]["data"].get<std::string>(), data_);
        QCOMPARE(header["dataset"]["train_csv_sha256"].get<std::string>().size(), size_t(64));
        const auto bulk = nlohmann::json::parse(lines[3]);
        QCOMPARE(bulk["items"].size(), size_t(2));
        QCOMPARE(bulk["items"][1]["image_id"].get<std::string>(), std::string("d.jpg"));
        QCOMPARE(bulk["items"][1]["decision"].get<std::string>(), std::string("exclude"));
        const std::string time = bulk["time"];
        QVERIFY2(time.size() == 24 && time[10] == 'T' && time.back() == 'Z', time.c_str());
        QCOMPARE(nlohmann::json::parse(lines[4])["type"].get<std::string>(), std::string("undo"));
    }

    void invalidItems()
    {
        ReviewJournal j = open();
        expectThrowContaining([&] { j.item("zz.jpg", ReviewDecision::Keep); }, {"zz.jpg", "labels.csv"});
        expectThrowContaining([&] { j.item("a.jpg", ReviewDecision::Relabel, 5); }, {"a.jpg", "label 5"});
        expectThrowContaining([&] { j.item("a.jpg", ReviewDecision::Accept, -1); }, {"not a class"});
        QVERIFY(!std::filesystem::exists(RunDir(run_).journalPath()));
    }

    void tornLastLineIgnoredThenCut()
    {
        {
            ReviewJournal j = open();
            j.decide(j.item("a.jpg", ReviewDecision::Accept, 3));
            j.decide(j.item("b.jpg", ReviewDecision::Exclude));
        }
        const std::string clean = journalText();
        // A process killed mid-write: half a decision line, no newline.
        writeText(QString::fromStdString(RunDir(run_).journalPath()),
                  QByteArray::fromStdString(clean + "{\"type\":\"decision\",\"time\":\"2024-01-01T00:00:00.000Z\",\"items\":[{\"ima"));
        ReviewJournal j = open();
        QCOMPARE(j.decisions().size(), size_t(2));
        QCOMPARE(j.warnings().size(), size_t(1));
        const std::string where = RunDir(run_).journalPath() + ":4";
        QVERIFY2(j.warnings()[0].find(where) != std::string::npos, j.warnings()[0].c_str());

        j.decide(j.item("c.jpg", ReviewDecision::Relabel, 0));  // cuts the torn bytes first
        const std::string after = journalText();
        QCOMPARE(after.substr(0, clean.size()), clean);
        const auto lines = linesOf(after);
        QCOMPARE(lines.size(), size_t(4));
        QCOMPARE(after.back(), '\n');
        for (const auto& l : lines)
            QVERIFY(nlohmann::json::accept(l));
        const ReviewJournal again = open();
        QVERIFY(again.warnings().empty());
        QVERIFY(again.decisions() == j.decisions());

        // A complete but unparsable last line is ignored too, and cut before the next append.
        writeText(QString::fromStdString(RunDir(run_).journalPath()), QByteArray::fromStdString(after + "{oops\n"));
        ReviewJournal k = open();
        QCOMPARE(k.warnings().size(), size_t(1));
        QVERIFY(k.warnings()[0].find(RunDir(run_).journalPath() + ":5") != std::string::npos);
        QVERIFY(k.undo());
        QCOMPARE(linesOf(journalText()).size(), size_t(5));
        QVERIFY(open().warnings().empty());
    }

    void tornHeaderStartsAfresh()
    {
        RunDir(run_ + "/review").create();
        writeText(QString::fromStdString(RunDir(run_).journalPath()), "{\"type\":\"header\",\"run\":{\"pa");
        ReviewJournal j = open();
        QCOMPARE(j.warnings().size(), size_t(1));
        j.decide(j.item("e.jpg", ReviewDecision::Skip));
        const auto lines = linesOf(journalText());
        QCOMPARE(lines.size(), size_t(2));
        QCOMPARE(nlohmann::json::parse(lines[0])["type"].get<std::string>(), std::string("header"));
        QCOMPARE(open().decisions().size(), size_t(1));
    }

    void badMiddleLineIsAnError()
    {
        {
            ReviewJournal j = open();
            j.decide(j.item("a.jpg", ReviewDecision::Keep));
            j.decide(j.item("b.jpg", ReviewDecision::Keep));
        }
        auto lines = linesOf(journalText());
        const std::string path = RunDir(run_).journalPath();
        writeText(QString::fromStdString(path), QByteArray::fromStdString(lines[0] + "\n" + lines[1] + "\nnot json\n" + lines[2] + "\n"));
        expectThrowContaining([&] { open(); }, {path + ":3", "not valid JSON"});
        // A well-formed line of an unknown decision is as bad.
        std::string bad = lines[1];
        bad.replace(bad.find("\"keep\""), 6, "\"maybe\"");
        writeText(QString::fromStdString(path), QByteArray::fromStdString(lines[0] + "\n" + bad + "\n" + lines[2] + "\n"));
        expectThrowContaining([&] { open(); }, {path + ":2", "maybe"});
    }

    void aRewrittenOutKeepsTheJournal()
    {
        {
            ReviewJournal j = open();
            j.decide(j.item("a.jpg", ReviewDecision::Keep));
        }
        // A resume rewrites config.json with "out" as the run's path is spelled now; a moved run
        // names another folder. Neither is another run.
        nlohmann::json config = RunDir(run_).readJson(RunDir(run_).configPath());
        config["out"] = "/somewhere/else/run";
        RunDir(run_).writeJson(RunDir(run_).configPath(), config);
        const ReviewJournal j = open();
        QVERIFY(j.decisionOf("a.jpg"));
        QCOMPARE(j.decisionOf("a.jpg")->decision, ReviewDecision::Keep);
    }

    void foreignJournalsRefused()
    {
        {
            ReviewJournal j = open();
            j.decide(j.item("a.jpg", ReviewDecision::Keep));
        }
        const std::string journal = journalText();
        // Another run: the journal copied into a run whose config differs.
        const std::string other = run_ + "2";
        writeText(QString::fromStdString(other + "/config.json"),
                  QByteArray::fromStdString(nlohmann::json{{"data", data_}, {"folds", 3}}.dump(2)));
        writeText(QString::fromStdString(RunDir(other).journalPath()), QByteArray::fromStdString(journal));
        expectThrowContaining([&] { ReviewJournal::open(other); },
                              {RunDir(other).journalPath(), "another run", run_, other});

        // The same run, but its dataset's train.csv changed since the review began.
        writeText(QString::fromStdString(data_ + "/train.csv"), "image_id,label\na.jpg,1\nb.jpg,1\nc.jpg,2\nd.jpg,3\ne.jpg,4\n");
        expectThrowContaining([&] { open(); }, {"another dataset", data_ + "/train.csv", "train.csv changed"});
    }

    void exportsExactly()
    {
        ReviewJournal j = open();
        j.decide(j.item("e.jpg", ReviewDecision::Accept, 3));
        j.decide(j.item("a.jpg", ReviewDecision::Keep));
        j.decide({j.item("c.jpg", ReviewDecision::Exclude), j.item("b.jpg", ReviewDecision::Relabel, 1)});
        j.decide(j.item("d.jpg", ReviewDecision::Skip));
        QCOMPARE(j.decisionsCsv(), std::string("image_id,given,decision,label\n"
                                               "a.jpg,0,keep,0\n"
                                               "b.jpg,4,relabel,1\n"
                                               "c.jpg,2,exclude,-1\n"
                                               "e.jpg,4,accept,3\n"));
        QCOMPARE(j.cleanedTrainCsv(), std::string("image_id,label\na.jpg,0\nb.jpg,1\nd.jpg,3\ne.jpg,3\n"));

        const std::string out = tmp_.path().toStdString() + "/exportsExactly/out";
        RunDir(out).create();
        exportReview(j, {out + "/decisions.csv", out + "/train.csv", false});
        QCOMPARE(readFile(out + "/decisions.csv"), j.decisionsCsv());
        QCOMPARE(readFile(out + "/train.csv"), j.cleanedTrainCsv());

        // Existing outputs: refused without force, replaced with it.
        writeText(QString::fromStdString(out + "/decisions.csv"), "mine\n");
        expectThrowContaining([&] { exportReview(j, {out + "/decisions.csv", {}, false}); },
                              {out + "/decisions.csv", "already exists"});
        QCOMPARE(readFile(out + "/decisions.csv"), std::string("mine\n"));
        exportReview(j, {out + "/decisions.csv", {}, true});
        QCOMPARE(readFile(out + "/decisions.csv"), j.decisionsCsv());

        // Never over the dataset's own train.csv, however it is spelled, even with force.
        const std::string original = readFile(data_ + "/train.csv");
        expectThrowContaining([&] { exportReview(j, {out + "/d2.csv", data_ + "/../data/./train.csv", true}); },
                              {"the dataset's own train.csv"});
        expectThrowContaining([&] { exportReview(j, {data_ + "/train.csv", {}, true}); }, {"never overwritten"});
        QCOMPARE(readFile(data_ + "/train.csv"), original);
        QVERIFY(!std::filesystem::exists(out + "/d2.csv"));  // nothing written when one output is refused
    }

    // TrainConfig::relabel: the review's decisions.csv and the plain image_id,label format.
    void trainingReadsDecisions()
    {
        ReviewJournal j = open();
        j.decide(j.item("a.jpg", ReviewDecision::Accept, 3));
        j.decide({j.item("c.jpg", ReviewDecision::Exclude), j.item("d.jpg", ReviewDecision::Keep)});
        const std::string decisions = run_ + "/decisions.csv";
        exportReview(j, {decisions, {}, false});

        Dataset::OpenOptions o;
        o.checkImageFiles = false;
        const Dataset dataset = Dataset::open(data_, o);
        TrainingSetOptions options;
        options.relabel = decisions;
        options.folds = 0;
        options.valSplit = 0.25;
        TrainingSet set = buildTrainingSet(dataset, options);
        QVERIFY2(set.problems.empty(), set.problems.empty() ? "" : set.problems[0].toString().c_str());
        QCOMPARE(set.excluded, 1);
        QCOMPARE(set.relabeled, 1);
        std::string labels;
        for (const auto& s : set.samples)
            labels += s.imageId + "=" + std::to_string(s.label) + " ";
        QCOMPARE(labels, std::string("a.jpg=3 b.jpg=1 d.jpg=3 e.jpg=4 "));

        // The plain format still works; -1 is an error there (no decision says exclude).
        writeText(QString::fromStdString(run_ + "/plain.csv"), "image_id,label\nb.jpg,2\ne.jpg,-1\n");
        options.relabel = run_ + "/plain.csv";
        set = buildTrainingSet(dataset, options);
        QCOMPARE(set.relabeled, 1);
        QCOMPARE(set.excluded, 0);
        QCOMPARE(set.samples.size(), size_t(5));
        QCOMPARE(set.problems.size(), size_t(1));
        QCOMPARE(set.problems[0].line, 3);

        // Skip rows change nothing; an unknown decision is an error naming its line.
        writeText(QString::fromStdString(run_ + "/odd.csv"),
                  "image_id,given,decision,label\na.jpg,0,skip,0\nb.jpg,1,maybe,2\nc.jpg,2,exclude,-1\n");
        options.relabel = run_ + "/odd.csv";
        set = buildTrainingSet(dataset, options);
        QCOMPARE(set.relabeled, 0);
        QCOMPARE(set.excluded, 1);
        QCOMPARE(set.problems.size(), size_t(1));
        QCOMPARE(set.problems[0].line, 3);
        QVERIFY(set.problems[0].message.find("maybe") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(ReviewJournalTest)
#include "test_core_review_journal.moc"
