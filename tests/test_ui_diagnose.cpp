// The Diagnose view as an agronomist meets it: with no model it says so and offers the two ways
// out; photos dropped on it become cards, a file that is not a photo gets its own error card and
// the rest get probabilities; a few photos grouped as a plant get the mean of their leaves'
// probabilities and the agreement; a high threshold makes every card "Not sure"; the cards export
// as CSV without overwriting a file unasked; a run can be cancelled and resumed; the heatmap is
// computed once and cached. The model is a tiny EfficientNet-B0 at 64 px written by the test.
#include "TestSupport.h"

#include "CardDelegate.h"
#include "Checkpoint.h"
#include "DiagnoseModel.h"
#include "DiagnoseSession.h"
#include "DiagnoseView.h"
#include "DiagnoseWorker.h"
#include "DiagnosisDetails.h"
#include "EfficientNet.h"
#include "NoModelView.h"
#include "PhotoSources.h"
#include "Synth.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <numeric>

using namespace cassava;
using namespace cassava::ui;

namespace {

constexpr int kSize = 64;
constexpr int kWaitMs = 120000;  // an upper bound for the worker, not a timing assertion

// A freshly initialised B0 whose BatchNorm statistics come from one batch and whose head has large
// weights: input-dependent predictions without training (as test_engine_predict); `headStd` sets
// how confident they are.
void writeModel(const QString& path, uint64_t seed, double headStd,
                const nlohmann::json& training = nlohmann::json::object())
{
    torch::manual_seed(seed);
    EfficientNetOptions options;
    options.numClasses = 5;
    EfficientNet net(options);
    {
        torch::NoGradGuard noGrad;
        for (const auto& module : net->modules(false))
            if (auto* bn = module->as<torch::nn::BatchNorm2d>())
                bn->options.momentum(1.0);
        net->train();
        net->forward(torch::rand({8, 3, kSize, kSize}) * 2 - 1);
        for (auto& p : net->named_parameters())
            if (p.key().rfind("classifier", 0) == 0)
                p.value().normal_(0, headStd);
    }
    net->eval();
    CheckpointMetadata m = CheckpointMetadata::forVariant("b0", 5);
    m.inputSize = kSize;
    m.training = training;
    QDir().mkpath(QFileInfo(path).absolutePath());
    writeCheckpoint(path.toStdString(), net, m);
}

void writeLeaf(const QString& path, int label, uint64_t index, int w = 160, int h = 120)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    cv::Mat bgr;
    cv::cvtColor(drawLeaf(label, w, h, 11, index), bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(path.toStdString(), bgr))
        qFatal("cannot write %s", qPrintable(path));
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void dropOnto(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
}

int rowNamed(const DiagnoseModel& m, const QString& name)
{
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.cardAt(r).name == name)
            return r;
    return -1;
}

}  // namespace

class DiagnoseViewTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_, run_, recipeModel_;
    QStringList leaves_;
    QString notes_, truncated_, huge_, wall_, plantFolder_;

    QString path(const QString& name) const { return dir_.filePath(name); }

    void waitIdle(DiagnoseView& view)
    {
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
    }

    void loadModel(DiagnoseView& view, const QString& modelPath)
    {
        QSignalSpy loaded(&view, &DiagnoseView::modelChanged);
        view.setModelPath(modelPath);
        QTRY_VERIFY_WITH_TIMEOUT(view.isModelReady() || !view.noModelView()->loadError().isEmpty(), kWaitMs);
        QVERIFY2(view.isModelReady(), qPrintable(view.noModelView()->loadError()));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(loaded.front().front().toString(), modelPath);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = path("model.ckpt");
        writeModel(model_, 1, 0.1);
        run_ = path("run");
        writeModel(run_ + "/fold_0/best.ckpt", 2, 0.1);
        writeModel(run_ + "/fold_1/best.ckpt", 3, 0.1);
        recipeModel_ = path("recipe-a.ckpt");
        writeModel(recipeModel_, 4, 0.0005, {{"augment", {{"crop", "random"}, {"crop_fraction", 0.8533}}}});
        for (int i = 0; i < 6; ++i) {
            leaves_ << path(QStringLiteral("photos/leaf%1.jpg").arg(i));
            writeLeaf(leaves_.back(), i % 5, static_cast<uint64_t>(i));
        }
        notes_ = path("photos/notes.jpg");
        testsupport::writeText(notes_, "these are field notes, not a photo");
        // A JPEG cut in half, as an interrupted copy leaves it.
        const QByteArray whole = readAll(leaves_[0]);
        truncated_ = path("photos/cut.jpg");
        testsupport::writeText(truncated_, whole.left(whole.size() / 2));
        // A PNG whose header claims 12000 x 9000 pixels: refused before decoding.
        std::vector<uchar> png;
        cv::imencode(".png", cv::Mat(48, 64, CV_8UC3, cv::Scalar(40, 160, 60)), png);
        QByteArray pngBytes(reinterpret_cast<const char*>(png.data()), static_cast<qsizetype>(png.size()));
        pngBytes.replace(16, 8, QByteArray("\x00\x00\x2E\xE0\x00\x00\x23\x28", 8));
        huge_ = path("photos/huge.png");
        testsupport::writeText(huge_, pngBytes);
        // Not a leaf: a grey wall.
        wall_ = path("photos/wall.png");
        QVERIFY(cv::imwrite(wall_.toStdString(), cv::Mat(120, 160, CV_8UC3, cv::Scalar(128, 128, 132))));
        plantFolder_ = path("plant-7");
        for (int i = 0; i < 3; ++i)
            writeLeaf(plantFolder_ + QStringLiteral("/leaf%1.jpg").arg(i), 3, static_cast<uint64_t>(100 + i));
    }

    void withoutAModelTheViewOffersBothWaysOut()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        NoModelView* empty = view.noModelView();
        QVERIFY(empty->isVisible());
        auto* open = empty->findChild<QPushButton*>("openModelButton");
        auto* train = empty->findChild<QPushButton*>("trainQuickModelButton");
        QVERIFY(open && open->isVisible());
        QVERIFY(train && train->isVisible());
        QSignalSpy openSpy(&view, &DiagnoseView::openModelRequested);
        QSignalSpy trainSpy(&view, &DiagnoseView::trainQuickModelRequested);
        open->click();
        train->click();
        QCOMPARE(openSpy.count(), 1);
        QCOMPARE(trainSpy.count(), 1);
        QCOMPARE(empty->trainCommand(), QStringLiteral("cassava train --data DATA --out RUN --preset quick"));
        view.setDatasetRoot(path("my leaves"));
        QCOMPARE(empty->trainCommand(), QStringLiteral("cassava train --data '%1' --out '%2' --preset quick")
                                            .arg(path("my leaves"), path("my leaves-quick-run")));

        // A model that cannot be read: the reason, naming the file, and still both ways out.
        testsupport::writeText(path("broken.ckpt"), "not a checkpoint");
        view.setModelPath(path("broken.ckpt"));
        QTRY_VERIFY_WITH_TIMEOUT(!empty->loadError().isEmpty(), kWaitMs);
        QVERIFY2(empty->loadError().contains("broken.ckpt"), qPrintable(empty->loadError()));
        QVERIFY(!view.isModelReady());
        QVERIFY(empty->isVisible() && open->isVisible() && train->isVisible());
    }

    void aDropMakesOneCardPerPhotoAndErrorCardsForBadFiles()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        loadModel(view, model_);
        QStringList dropped = leaves_;
        dropped << notes_ << truncated_ << huge_;
        dropOnto(&view, dropped);
        QCOMPARE(view.cardCount(), dropped.size());
        QVERIFY(view.isBusy());
        waitIdle(view);
        const DiagnoseModel& m = *view.model();
        for (const QString& bad : {notes_, truncated_, huge_}) {
            const QString name = QFileInfo(bad).fileName();
            const LeafCard& c = m.cardAt(rowNamed(m, name));
            QCOMPARE(c.state, CardState::Error);
            QVERIFY2(c.error.contains(name), qPrintable(c.error));
            QVERIFY(c.probabilities.empty());
        }
        QVERIFY(m.cardAt(rowNamed(m, "huge.png")).error.contains("above the"));
        for (const QString& leaf : leaves_) {
            const LeafCard& c = m.cardAt(rowNamed(m, QFileInfo(leaf).fileName()));
            QCOMPARE(c.state, CardState::Done);
            QCOMPARE(c.probabilities.size(), size_t(5));
            const double sum = std::accumulate(c.probabilities.begin(), c.probabilities.end(), 0.0);
            QVERIFY2(std::abs(sum - 1) < 1e-4, qPrintable(QString::number(sum)));
            QVERIFY(!c.thumbnail.isNull());
            QVERIFY2(c.looksLikeLeaf, qPrintable(QString::number(c.plantShare)));  // a drawn leaf is a leaf
        }
        // The details pane names the disease of the selected card.
        const int first = rowNamed(m, "leaf0.jpg");
        view.selectRows({first});
        QCOMPARE(view.details()->shownCard(), m.cardAt(first).id);
        const auto verdict = m.verdictOf(m.cardAt(first));
        QVERIFY(verdict.has_value());
        if (*verdict == Verdict::Diagnosed) {
            QCOMPARE(view.details()->headlineText(), m.fullName(m.cardAt(first).predicted));
            QVERIFY(view.details()->adviceText().contains(m.fullName(m.cardAt(first).predicted)));
        } else {
            QVERIFY(view.details()->headlineText().startsWith("Not sure"));
        }
    }

    void aPlantIsTheMeanOfItsLeaves()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        loadModel(view, run_);  // a run: its two fold models together
        QCOMPARE(view.session()->loadedModel().modelCount, 2);
        view.addPhotos(leaves_.mid(0, 4));
        waitIdle(view);
        DiagnoseModel& m = *view.model();
        view.selectRows({0, 2, 3});
        const int plant = view.groupSelectedAsPlant();
        QVERIFY(plant > 0);
        QCOMPARE(m.plants().size(), 1);
        QCOMPARE(m.rowsOfPlant(plant), QList<int>({0, 2, 3}));
        const PlantDiagnosis d = m.plantDiagnosis(plant);
        QCOMPARE(d.consensus.leaves, 3);
        std::vector<double> mean(5, 0.0);
        for (int r : {0, 2, 3})
            for (size_t k = 0; k < 5; ++k)
                mean[k] += m.cardAt(r).probabilities[k] / 3.0;
        for (size_t k = 0; k < 5; ++k)
            QVERIFY(std::abs(static_cast<double>(d.consensus.probabilities[k]) - mean[k]) < 1e-6);
        const int best = static_cast<int>(std::max_element(mean.begin(), mean.end()) - mean.begin());
        QCOMPARE(d.consensus.predicted, best);
        int agreeing = 0;
        for (int r : {0, 2, 3})
            agreeing += m.cardAt(r).predicted == best;
        QCOMPARE(d.consensus.agreeing, agreeing);
        const QString agreement = QStringLiteral("%1 of 3 leaves: %2").arg(agreeing).arg(m.shortName(best));
        QCOMPARE(m.agreementText(d), agreement);
        // Shown in the details pane for a card of the plant and in the plant list.
        view.selectRows({2});
        QVERIFY2(view.details()->plantText().contains(agreement), qPrintable(view.details()->plantText()));
        auto* plants = view.findChild<QListWidget*>("plantList");
        QTRY_COMPARE(plants->count(), 1);
        QVERIFY(plants->item(0)->text().contains(agreement));
        QVERIFY(plants->isVisible());

        view.selectRows({0, 2, 3});
        view.ungroupSelected();
        QVERIFY(m.plants().isEmpty());
        QCOMPARE(m.cardAt(0).plant, 0);

        // A dropped folder of a few photos is one plant, named after the folder.
        dropOnto(&view, {plantFolder_});
        waitIdle(view);
        QCOMPARE(view.cardCount(), 7);
        QCOMPARE(m.plants().size(), 1);
        QCOMPARE(m.plants().front().name, QStringLiteral("plant-7"));
        QCOMPARE(m.rowsOfPlant(m.plants().front().id), QList<int>({4, 5, 6}));
        QCOMPARE(m.plantDiagnosis(m.plants().front().id).consensus.leaves, 3);
    }

    void aHighThresholdMakesEveryCardNotSure()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        loadModel(view, model_);
        view.addPhotos(leaves_ + QStringList{wall_});
        waitIdle(view);
        DiagnoseModel& m = *view.model();
        AbstainOptions strict;
        strict.minConfidence = 1.01f;
        view.setAbstainOptions(strict);
        for (int r = 0; r < m.rowCount(); ++r) {
            const auto v = m.verdictOf(m.cardAt(r));
            QVERIFY(v.has_value());
            QVERIFY(*v != Verdict::Diagnosed);
            view.selectRows({r});
            QVERIFY2(view.details()->headlineText().startsWith("Not sure"), qPrintable(view.details()->headlineText()));
            QVERIFY(view.details()->adviceText().isEmpty());  // no disease advice without a diagnosis
        }
        QCOMPARE(*m.verdictOf(m.cardAt(rowNamed(m, "wall.png"))), Verdict::NotALeaf);
        QCOMPARE(*m.verdictOf(m.cardAt(rowNamed(m, "leaf1.jpg"))), Verdict::NotSure);
        view.selectRows({0, 1, 2});
        m.groupAsPlant({0, 1, 2});
        QCOMPARE(*m.plantDiagnosis(m.plants().front().id).verdict, Verdict::NotSure);

        // A threshold of 0 names a disease for every leaf; the wall stays "not a leaf".
        AbstainOptions lenient;
        lenient.minConfidence = 0;
        view.setAbstainOptions(lenient);
        QCOMPARE(*m.verdictOf(m.cardAt(rowNamed(m, "leaf1.jpg"))), Verdict::Diagnosed);
        QCOMPARE(*m.verdictOf(m.cardAt(rowNamed(m, "wall.png"))), Verdict::NotALeaf);
        lenient.checkLeaf = false;
        view.setAbstainOptions(lenient);
        QCOMPARE(*m.verdictOf(m.cardAt(rowNamed(m, "wall.png"))), Verdict::Diagnosed);
    }

    void theCardsExportAsCsvWithoutOverwritingUnasked()
    {
        DiagnoseView view;
        loadModel(view, model_);
        view.addPhotos({leaves_[0], leaves_[1], leaves_[2], notes_});
        waitIdle(view);
        DiagnoseModel& m = *view.model();
        m.groupAsPlant({0, 1}, "north field, plant 3");
        AbstainOptions o;
        o.minConfidence = 1.01f;  // leaf2 (and all) abstain
        view.setAbstainOptions(o);
        const QString out = path("export/cards.csv");
        QDir().mkpath(path("export"));
        QString error;
        QVERIFY2(view.exportCsv(out, false, &error), qPrintable(error));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 1 + 4 + 1);  // header, one row per card, the final newline
        QCOMPARE(lines[0], QByteArray("photo,plant,class,disease,confidence,p0,p1,p2,p3,p4,verdict,abstained,error"));
        QVERIFY(lines[5].isEmpty());
        for (int r = 0; r < 4; ++r) {
            const LeafCard& c = m.cardAt(r);
            QVERIFY2(lines[1 + r].startsWith(c.path.toUtf8() + ","), lines[1 + r].constData());
        }
        QVERIFY(lines[1].contains(",\"north field, plant 3\","));
        const QList<QByteArray> leaf = lines[3].split(',');  // leaf2: no plant, so no quoted commas
        QCOMPARE(leaf.size(), 13);
        QCOMPARE(leaf[1], QByteArray());
        QCOMPARE(leaf[2].toInt(), m.cardAt(2).predicted);
        double sum = 0;
        for (int k = 0; k < 5; ++k)
            sum += leaf[5 + k].toDouble();
        QVERIFY(std::abs(sum - 1) < 1e-4);
        QCOMPARE(leaf[10], QByteArray("not sure"));
        QCOMPARE(leaf[11], QByteArray("1"));
        QVERIFY(lines[4].contains("notes.jpg"));
        QVERIFY(lines[4].split(',')[2].isEmpty());  // an unreadable photo has no class

        // The file exists now: written again only when the user confirmed it.
        const QByteArray before = readAll(out);
        view.setAbstainOptions({});
        QVERIFY(!view.exportCsv(out, false, &error));
        QVERIFY(error.contains("cards.csv"));
        QCOMPARE(readAll(out), before);
        QVERIFY(view.exportCsv(out, true, &error));
        QVERIFY(readAll(out) != before);
        QCOMPARE(QDir(path("export")).entryList(QDir::Files), QStringList({"cards.csv"}));  // no temp files left
    }

    void cardsFillInBatchByBatchAndARunCanBeCancelledAndResumed()
    {
        DiagnoseView view;
        loadModel(view, model_);
        QStringList many;
        for (int i = 0; i < 100; ++i)
            many << leaves_[static_cast<qsizetype>(i % leaves_.size())];
        // How many cards are done each time a card changes: the cards fill in progressively.
        QList<int> doneSeen;
        connect(view.model(), &QAbstractItemModel::dataChanged, this, [&] {
            int done = 0;
            for (int r = 0; r < view.model()->rowCount(); ++r)
                done += view.model()->cardAt(r).state == CardState::Done;
            doneSeen << done;
        });
        // The event loop's longest pause while 100 photos are diagnosed (reported, not asserted).
        QElapsedTimer clock;
        qint64 last = 0, longest = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&] {
            longest = std::max(longest, clock.elapsed() - last);
            last = clock.elapsed();
        });
        clock.start();
        tick.start(5);
        view.addPhotos(many);
        waitIdle(view);
        tick.stop();
        qInfo("100 photos: the GUI thread's longest pause was %lld ms", static_cast<long long>(longest));
        QCOMPARE(view.cardCount(), 100);
        QVERIFY(std::any_of(doneSeen.begin(), doneSeen.end(), [](int d) { return d > 0 && d < 100; }));
        QCOMPARE(doneSeen.back(), 100);

        // Cancel at once: the photos not yet sent are not diagnosed; "Diagnose remaining" finishes.
        view.addPhotos(many.mid(0, 40));
        view.cancel();
        waitIdle(view);
        int cancelled = 0;
        for (int r = 100; r < view.cardCount(); ++r)
            cancelled += view.model()->cardAt(r).state == CardState::Cancelled;
        QVERIFY2(cancelled >= 40 - 8, qPrintable(QString::number(cancelled)));  // at most one batch ran
        view.diagnoseRemaining();
        waitIdle(view);
        for (int r = 0; r < view.cardCount(); ++r)
            QCOMPARE(view.model()->cardAt(r).state, CardState::Done);

        // Delete removes the selected cards.
        view.selectRows({0, 1, 2});
        view.removeSelected();
        QCOMPARE(view.cardCount(), 137);
    }

    void theHeatmapIsComputedWhenAskedAndCached()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        loadModel(view, model_);
        view.addPhotos({leaves_[3]});
        waitIdle(view);
        view.selectRows({0});
        DiagnosisDetails* details = view.details();
        QVERIFY(!details->overlayShown());
        details->setHeatmapShown(true);
        QVERIFY(view.isBusy());  // the worker computes it
        QTRY_VERIFY_WITH_TIMEOUT(details->overlayShown(), kWaitMs);
        waitIdle(view);
        details->setHeatmapShown(false);
        QVERIFY(!details->overlayShown());
        details->setHeatmapShown(true);
        QVERIFY(details->overlayShown());  // from the cache, at once
        QVERIFY(!view.isBusy());
        details->setOverlayOpacity(0.25);
        QCOMPARE(details->overlayOpacity(), 0.25);
    }

    void theRecipeGivesTheDefaultViews()
    {
        QCOMPARE(recipeViews(nlohmann::json::object()).crops, 1);
        QCOMPARE(recipeViews({{"tta", 3}}).runs, 3);
        DiagnoseView view;
        loadModel(view, recipeModel_);
        QCOMPARE(view.crops(), 4);  // trained on random crops of 85 % of the photo: four corner crops
        QCOMPARE(view.ttaRuns(), 1);
        view.addPhotos({leaves_[0]});
        waitIdle(view);
        QCOMPARE(view.model()->cardAt(0).state, CardState::Done);
        const std::vector<float> fourCrops = view.model()->cardAt(0).probabilities;
        view.setViews(1, 1);  // the user's choice: diagnosed again with one view
        waitIdle(view);
        QCOMPARE(view.crops(), 1);
        QCOMPARE(view.model()->cardAt(0).state, CardState::Done);
        QString seen;
        for (size_t k = 0; k < 5; ++k)
            seen += QString::number(static_cast<double>(fourCrops[k])) + "/" +
                    QString::number(static_cast<double>(view.model()->cardAt(0).probabilities[k])) + " ";
        QVERIFY2(view.model()->cardAt(0).probabilities != fourCrops, qPrintable(seen));

        // The spin box is the user's way: a reload with two TTA runs, the card diagnosed again.
        const std::vector<float> oneView = view.model()->cardAt(0).probabilities;
        view.findChild<QSpinBox*>("ttaRuns")->setValue(2);
        QTRY_VERIFY_WITH_TIMEOUT(view.session()->isModelLoading() || view.session()->loadedModel().runs == 2, kWaitMs);
        waitIdle(view);
        QCOMPARE(view.session()->loadedModel().runs, 2);
        seen.clear();
        for (size_t k = 0; k < 5; ++k)
            seen += QString::number(static_cast<double>(oneView[k]), 'g', 9) + "/" +
                    QString::number(static_cast<double>(view.model()->cardAt(0).probabilities[k]), 'g', 9) + " ";
        QVERIFY2(view.model()->cardAt(0).probabilities != oneView, qPrintable(seen));

        // Other compute settings reload the model but keep the answers.
        const std::vector<float> twoRuns = view.model()->cardAt(0).probabilities;
        view.setComputeOptions("cpu", 1);
        QVERIFY(view.isBusy());
        waitIdle(view);
        QVERIFY(view.isModelReady());
        QCOMPARE(view.model()->cardAt(0).probabilities, twoRuns);
    }

    void theKeyboardSelectsGroupsAndRemoves()
    {
        DiagnoseView view;
        view.resize(1200, 800);
        view.show();
        QApplication::setActiveWindow(&view);
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.addPhotos(leaves_.mid(0, 3));
        QListView* list = view.cardList();
        list->setFocus();
        QTest::keyClick(list, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(view.selectedRows(), QList<int>({0, 1, 2}));
        QTest::keyClick(list, Qt::Key_G, Qt::ControlModifier);
        QCOMPARE(view.model()->plants().size(), 1);
        QCOMPARE(view.model()->rowsOfPlant(view.model()->plants().front().id), QList<int>({0, 1, 2}));
        QTest::keyClick(list, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(view.model()->plants().isEmpty());
        view.selectRows({1});
        QTest::keyClick(list, Qt::Key_Delete);
        QCOMPARE(view.cardCount(), 2);
        QCOMPARE(view.model()->cardAt(1).name, QStringLiteral("leaf2.jpg"));
        auto* copied = new QMimeData;
        copied->setUrls({QUrl::fromLocalFile(leaves_[4]), QUrl::fromLocalFile(leaves_[5])});
        QApplication::clipboard()->setMimeData(copied);
        QTest::keyClick(list, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(view.cardCount(), 4);
        QCOMPARE(view.model()->cardAt(3).name, QStringLiteral("leaf5.jpg"));
        waitIdle(view);
    }

    void pastedFilesAndImagesBecomeCards()
    {
        DiagnoseView view;
        view.setPastedPhotoFolder(path("pasted"));
        QMimeData text;
        text.setText(leaves_[0] + "\n" + leaves_[1] + "\n");
        QVERIFY(view.addFromMime(&text));
        QMimeData image;
        image.setImageData(QImage(leaves_[2]));
        QVERIFY(view.addFromMime(&image));
        QCOMPARE(view.cardCount(), 3);
        QVERIFY(view.model()->cardAt(2).path.startsWith(path("pasted")));
        QVERIFY(QFileInfo::exists(view.model()->cardAt(2).path));
        waitIdle(view);  // thumbnails, without a model: the cards wait for one
        QCOMPARE(view.model()->cardAt(2).state, CardState::Waiting);
        QVERIFY(!view.model()->cardAt(2).thumbnail.isNull());
        loadModel(view, model_);
        waitIdle(view);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(view.model()->cardAt(r).state, CardState::Done);
    }

    // Pictures of the view to look at (CASSAVA_DIAGNOSE_SHOTS=DIR, under xvfb-run for real fonts):
    // the empty state, cards, a plant, the heatmap, and the same in a dark palette.
    void screenshots()
    {
        const QString out = qEnvironmentVariable("CASSAVA_DIAGNOSE_SHOTS");
        if (out.isEmpty())
            QSKIP("set CASSAVA_DIAGNOSE_SHOTS=DIR to save screenshots of the Diagnose view");
        QDir().mkpath(out);
        QStringList photos;
        const QString real = testsupport::sharedDataDir() + "/cassava-sample/train_images";
        const QStringList names = QDir(real).entryList({"*.jpg"}, QDir::Files, QDir::Name);
        for (int i = 0; i < 9 && i < names.size(); ++i)
            photos << real + "/" + names[i];
        if (photos.isEmpty())
            photos = leaves_;
        photos << notes_ << wall_;
        // A less confident head than the tests' model: the bars show more than 0 and 100 %.
        const QString shotsModel = path("shots/best.ckpt");
        writeModel(shotsModel, 5, 0.0005);

        for (const bool dark : {false, true}) {
            DiagnoseView view;
            if (dark) {
                QPalette p;
                p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
                p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
                p.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x22));
                p.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x38));
                p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
                p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3f));
                p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
                p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
                p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0xa0));
                p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x5a));
                view.setPalette(p);
            }
            view.resize(1400, 900);
            view.setDatasetRoot(testsupport::sharedDataDir() + "/cassava-sample");
            view.show();
            QTest::qWait(100);
            const QString suffix = dark ? "-dark" : "";
            if (!dark)
                view.grab().save(out + "/diagnose-empty.png");
            loadModel(view, shotsModel);
            view.addPhotos(photos);
            waitIdle(view);
            view.model()->groupAsPlant({1, 2, 3, 4}, "Plant 1");
            view.selectRows({0});
            waitIdle(view);
            QTest::qWait(100);
            view.grab().save(out + "/diagnose-cards" + suffix + ".png");
            view.selectRows({2});
            waitIdle(view);
            QTest::qWait(100);
            view.grab().save(out + "/diagnose-plant" + suffix + ".png");
            view.details()->setHeatmapShown(true);
            QTRY_VERIFY_WITH_TIMEOUT(view.details()->overlayShown(), kWaitMs);
            waitIdle(view);
            QTest::qWait(100);
            view.grab().save(out + "/diagnose-heatmap" + suffix + ".png");
            AbstainOptions strict;
            strict.minConfidence = 0.9f;
            view.setAbstainOptions(strict);
            view.selectRows({static_cast<int>(photos.size()) - 1});
            waitIdle(view);
            QTest::qWait(100);
            view.grab().save(out + "/diagnose-not-sure" + suffix + ".png");
        }
    }
};

QTEST_MAIN(DiagnoseViewTest)
#include "test_ui_diagnose.moc"
