// The Review view driven from the keyboard the way a curator drives it (offscreen QApplication),
// two measurements of issue 13:
//
// 1. --latency: the time from a decision key to the next suspect fully shown (photo, probability
//    bars, both Grad-CAM heatmaps: ReviewView::suspectShown(id, complete = true)), and on to the
//    photo's next paint, over N scripted decisions; the keys cycle A, K, 3, Del, S (accept, keep,
//    relabel as CMD, exclude, skip), so every kind of decision is timed. Before each key the
//    current suspect is complete and a curator looks at it for --dwell-ms (0: back to back, the
//    worst case, the worker's prefetch cannot get ahead). Also the worker's time per picture
//    (decode + both heatmaps, SuspectPicture::milliseconds), and how many next suspects were
//    already made when the key came.
//
//      QT_QPA_PLATFORM=offscreen build/bench/bench_review --latency --run RUN [--decisions 200]
//          [--dwell-ms 0] [--method recipe|confident] [--threshold 0.8]
//
// 2. --accept-all: the suspects as the panel lists them at its default method and threshold
//    (the model's rows), scored against noise_truth.csv (core readNoiseTruth / scoreDetection over
//    the run's out-of-fold images); then "accept all suggestions" as a curator does it: select
//    every row of the list and press A once (one bulk step, one undo command); then the export,
//    decisions.csv and the cleaned train.csv, into DIR.
//
//      QT_QPA_PLATFORM=offscreen build/bench/bench_review --accept-all --run RUN
//          --truth DATA/noise_truth.csv --out DIR
//
// Both work on a copy of RUN without its review/ folder (the journal is written beside the run),
// so the run itself is never changed and every measurement starts with no decision made. The
// last line of stdout is "RESULT {json}" for bench_review.sh.
#include "ImagePreview.h"
#include "ReviewSession.h"
#include "ReviewView.h"
#include "SuspectsModel.h"

#include "Denoise.h"
#include "ReviewJournal.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

using namespace cassava;
using cassava::ui::ReviewSession;
using cassava::ui::ReviewView;

namespace {

[[noreturn]] void fail(const QString& message, int code = 2)
{
    std::fprintf(stderr, "bench_review: %s\n", qPrintable(message));
    std::exit(code);
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    // Nearest rank: the smallest value with at least q of the values at or below it.
    const size_t rank = static_cast<size_t>(std::max(1.0, std::ceil(q * static_cast<double>(v.size()))));
    return v[std::min(rank, v.size()) - 1];
}

nlohmann::json summary(const std::vector<double>& v)
{
    return {{"n", v.size()}, {"median", percentile(v, 0.5)}, {"p90", percentile(v, 0.9)},
            {"max", v.empty() ? 0.0 : *std::max_element(v.begin(), v.end())}};
}

void printRow(const char* what, const std::vector<double>& v)
{
    const nlohmann::json s = summary(v);
    std::printf("%-44s %6zu %9.2f %9.2f %9.2f\n", what, v.size(), s["median"].get<double>(), s["p90"].get<double>(),
                s["max"].get<double>());
}

// RUN copied to `to`, without RUN/review (a journal of earlier decisions).
void copyRun(const QString& run, const QString& to)
{
    const QDir from(run);
    QDirIterator it(run, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = from.relativeFilePath(path);
        if (rel == "review" || rel.startsWith("review/"))
            continue;
        const QFileInfo info(path);
        if (info.isDir()) {
            QDir().mkpath(to + "/" + rel);
        } else {
            QDir().mkpath(QFileInfo(to + "/" + rel).absolutePath());
            if (!QFile::copy(path, to + "/" + rel))
                fail(QStringLiteral("cannot copy %1 to %2").arg(path, to + "/" + rel));
        }
    }
}

// The dataset the run trained on (config.json's "data"), which must be there for the photos.
QString runDataset(const QString& run)
{
    QFile f(run + "/config.json");
    if (!f.open(QIODevice::ReadOnly))
        fail(QStringLiteral("%1: not a training run (no config.json)").arg(run + "/config.json"));
    const QJsonObject config = QJsonDocument::fromJson(f.readAll()).object();
    const QString data = config.value("data").toString();
    if (data.isEmpty())
        fail(QStringLiteral("%1: no \"data\" folder recorded").arg(run + "/config.json"));
    return data;
}

// Runs the event loop until `done` or `ms` pass; false on the timeout. Sleeps in the event
// dispatcher between checks (a 1 ms timer), as an idle GUI thread does: a busy loop of
// processEvents() would take a core from the worker that makes the pictures.
template <typename Done>
bool waitFor(Done done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > ms)
            return false;
        QEventLoop loop;
        QTimer::singleShot(1, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

// Notes the first paint of a widget after arm(), in milliseconds on `clock`.
class PaintWatch : public QObject {
public:
    PaintWatch(QWidget* widget, const QElapsedTimer* clock) : clock_(clock) { widget->installEventFilter(this); }
    void arm()
    {
        armed_ = true;
        ms_ = -1;
    }
    void disarm() { armed_ = false; }
    double ms() const { return ms_; }

protected:
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && armed_ && ms_ < 0)
            ms_ = static_cast<double>(clock_->nsecsElapsed()) / 1e6;
        return false;
    }

private:
    const QElapsedTimer* clock_;
    bool armed_ = false;
    double ms_ = -1;
};

struct Review {
    ReviewSession session;
    ReviewView view{&session};
    double openMs = 0;  // open() to the first suspect complete

    Review(const QString& run, const std::optional<DenoiseMethod>& method, const std::optional<double>& threshold)
    {
        view.resize(1300, 850);
        view.addAction(session.undoAction());
        view.addAction(session.redoAction());
        if (method)
            view.setMethod(*method);
        if (threshold)
            view.setThreshold(*threshold);
        view.show();
        QString failure;
        bool opened = false;
        QObject::connect(&session, &ReviewSession::opened, [&] { opened = true; });
        QObject::connect(&session, &ReviewSession::failed, [&](const QString&, const QString& m) { failure = m; });
        QElapsedTimer clock;
        clock.start();
        session.open(run);
        if (!waitFor([&] { return opened || !failure.isEmpty(); }, 120000))
            fail(QStringLiteral("%1 did not open within 2 minutes").arg(run));
        if (!failure.isEmpty())
            fail(QStringLiteral("the Review view cannot open %1: %2").arg(run, failure));
        for (const QString& p : session.problems())
            std::fprintf(stderr, "bench_review: warning: %s\n", qPrintable(p));
        QApplication::setActiveWindow(&view);
        if (!QTest::qWaitForWindowActive(&view))
            fail("the Review window never became active (QT_QPA_PLATFORM=offscreen?)");
        if (view.hasSuspects() && !waitFor([&] { return view.isCurrentComplete(); }, 120000))
            fail(QStringLiteral("the first suspect %1 was not complete within 2 minutes").arg(view.currentImageId()));
        openMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    }
};

int latency(const QString& run, int decisions, int dwellMs, const std::optional<DenoiseMethod>& method,
            const std::optional<double>& threshold)
{
    Review review(run, method, threshold);
    ReviewView& view = review.view;
    const int suspects = view.suspectCount();
    std::printf("run %s: %d suspects (%s", qPrintable(run), suspects, denoiseMethodName(view.method()));
    if (view.method() == DenoiseMethod::Recipe)
        std::printf(", threshold %.2f", view.threshold());
    std::printf("), %d decisions, dwell %d ms; first suspect complete %.0f ms after open()\n", decisions, dwellMs,
                review.openMs);
    if (suspects == 0)
        fail("no suspects at this setting: choose --method confident or a lower --threshold");
    if (suspects < decisions)
        std::printf("note: fewer suspects than decisions; the skipped ones come round again\n");

    const Qt::Key keys[] = {Qt::Key_A, Qt::Key_K, Qt::Key_3, Qt::Key_Delete, Qt::Key_S};
    const char* keyNames[] = {"A", "K", "3", "Del", "S"};
    std::vector<double> toComplete, toPaint, ready, notReady, workerMs;
    QElapsedTimer clock;
    // The photo's first paint once the next suspect is complete: what the curator sees.
    PaintWatch paint(view.photo(), &clock);
    QString from, shown;
    bool timing = false;
    double completeMs = -1;
    QObject::connect(&view, &ReviewView::suspectShown, [&](const QString& id, bool complete) {
        if (timing && complete && id != from && completeMs < 0) {
            completeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
            shown = id;
            paint.arm();
        }
    });
    struct Slow {
        double ms, workerMs;
        int decision;
        QString from, to;
    };
    std::vector<Slow> slow;
    int made = 0, incomplete = 0;
    // Each shown suspect's photo as it was when complete: a picture the worker makes again later
    // replaces it in the view's cache with another QImage (another cacheKey).
    std::vector<std::pair<QString, qint64>> shownPhotos;
    int remade = 0;
    const auto checkRemade = [&] {
        for (const auto& [id, key] : shownPhotos)
            if (const ui::SuspectPicture* p = view.picture(id); p && p->photo.cacheKey() != key)
                ++remade;
        shownPhotos.clear();
    };
    for (int i = 0; i < decisions; ++i) {
        if (!waitFor([&] { return view.isCurrentComplete(); }, 60000)) {
            std::printf("BUG: suspect %s never became complete (60 s)\n", qPrintable(view.currentImageId()));
            ++incomplete;
            break;
        }
        if (dwellMs > 0)
            QTest::qWait(dwellMs);
        from = view.currentImageId();
        const ReviewItem* before = review.session.decisionOf(from);
        if (before && before->decision != ReviewDecision::Skip) {
            std::printf("every suspect is decided after %d decisions\n", i);
            break;
        }
        completeMs = -1;
        timing = true;
        paint.disarm();
        clock.start();
        QTest::keyClick(view.list(), keys[i % 5]);
        // Complete before the key returned: the suspect it moved to was made ahead (the cache).
        const bool wasReady = completeMs >= 0;
        if (!waitFor([&] { return completeMs >= 0; }, 60000)) {
            std::printf("BUG: after %s on %s, the next suspect %s was not complete within 60 s\n", keyNames[i % 5],
                        qPrintable(from), qPrintable(view.currentImageId()));
            ++incomplete;
            break;
        }
        timing = false;
        if (!review.session.decisionOf(from))
            fail(QStringLiteral("the key %1 on %2 recorded no decision").arg(keyNames[i % 5], from));
        waitFor([&] { return paint.ms() >= 0; }, 5000);
        paint.disarm();
        toComplete.push_back(completeMs);
        if (paint.ms() >= 0)
            toPaint.push_back(paint.ms());
        (wasReady ? ready : notReady).push_back(completeMs);
        const ui::SuspectPicture* pic = view.picture(shown);
        if (pic)
            workerMs.push_back(pic->milliseconds);
        slow.push_back({completeMs, pic ? pic->milliseconds : -1, i, from, shown});
        // The suspect decided now was shown complete one step ago; was it made again since?
        checkRemade();
        if (pic)
            shownPhotos.push_back({shown, pic->photo.cacheKey()});
        ++made;
    }
    std::printf("\n%-44s %6s %9s %9s %9s\n", "milliseconds", "n", "median", "p90", "worst");
    printRow("key -> next suspect complete (signal)", toComplete);
    printRow("key -> photo painted", toPaint);
    printRow("  next suspect made ahead (instant)", ready);
    printRow("  next suspect still being made", notReady);
    printRow("worker per picture (decode + 2 heatmaps)", workerMs);
    // The slowest decisions, to tell a slow picture from one that waited behind another.
    std::sort(slow.begin(), slow.end(), [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
    for (size_t k = 0; k < std::min<size_t>(5, slow.size()); ++k)
        std::printf("slow: decision %3d (%s) %s -> %s: %.0f ms, its picture took the worker %.0f ms\n", slow[k].decision,
                    keyNames[slow[k].decision % 5], qPrintable(slow[k].from), qPrintable(slow[k].to), slow[k].ms,
                    slow[k].workerMs);
    std::printf("%d decisions timed, %d made ahead, %d not; %s\n", made, static_cast<int>(ready.size()),
                static_cast<int>(notReady.size()), qPrintable(view.progressText()));
    QTest::qWait(2000);  // what the worker still delivers
    checkRemade();
    std::printf("pictures made again after their suspect was shown complete: %d\n", remade);
    const nlohmann::json result = {{"mode", "latency"},
                                   {"suspects", suspects},
                                   {"method", denoiseMethodName(view.method())},
                                   {"threshold", view.threshold()},
                                   {"dwell_ms", dwellMs},
                                   {"decisions", made},
                                   {"open_ms", review.openMs},
                                   {"key_to_complete_ms", summary(toComplete)},
                                   {"key_to_paint_ms", summary(toPaint)},
                                   {"made_ahead", ready.size()},
                                   {"worker_ms", summary(workerMs)},
                                   {"never_complete", incomplete},
                                   {"remade", remade}};
    std::printf("RESULT %s\n", result.dump().c_str());
    return incomplete == 0 ? 0 : 1;
}

int acceptAll(const QString& run, const QString& truthPath, const QString& out, bool replace)
{
    Review review(run, std::nullopt, std::nullopt);
    ReviewView& view = review.view;
    ui::SuspectsModel* model = view.model();
    std::vector<std::string> flagged;
    for (int row = 0; row < model->rowCount(); ++row)
        flagged.push_back(model->imageId(row).toStdString());
    const ProbabilityTable& table = review.session.table();
    // The panel's list is core's findSuspects at the same setting; a difference is a bug.
    const std::vector<Suspect> core = findSuspects(table, {view.method(), view.threshold()});
    bool same = core.size() == flagged.size();
    for (size_t i = 0; same && i < core.size(); ++i)
        same = table.imageIds[core[i].row] == flagged[i];
    if (!same)
        std::printf("BUG: the panel lists %zu suspects, findSuspects %zu (or in another order)\n", flagged.size(), core.size());

    ProblemList problems;
    NoiseTruth truth;
    try {
        truth = readNoiseTruth(truthPath.toStdString(), problems);
    } catch (const std::exception& e) {
        fail(QString::fromStdString(e.what()));
    }
    for (const Problem& p : problems)
        std::fprintf(stderr, "bench_review: %s\n", p.toString().c_str());
    const DetectionScore score = scoreDetection(flagged, truth, table.imageIds);
    std::printf("panel (%s", denoiseMethodName(view.method()));
    if (view.method() == DenoiseMethod::Recipe)
        std::printf(" >= %.2f", view.threshold());
    std::printf("): %d flagged of %zu out-of-fold images, %d flipped, %d flagged and flipped: precision %.3f, "
                "recall %.3f, F1 %.3f\n",
                score.flagged, table.rows(), score.flipped, score.truePositives, score.precision, score.recall, score.f1);

    // Accept all: every row selected, one A.
    const int steps = review.session.undoStack()->count();
    QElapsedTimer clock;
    clock.start();
    if (model->rowCount() > 0) {
        view.list()->selectAll();
        QTest::keyClick(view.list(), Qt::Key_A);
    }
    const double acceptMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    int accepted = 0;
    for (const std::string& id : flagged) {
        const ReviewItem* item = review.session.decisionOf(QString::fromStdString(id));
        if (item && item->decision == ReviewDecision::Accept &&
            item->label == model->suspect(model->rowOf(QString::fromStdString(id))).suggestedLabel)
            ++accepted;
    }
    const int newSteps = review.session.undoStack()->count() - steps;
    std::printf("accept all: %d of %zu accepted with their suggestion in %d undo step(s), %.1f ms; %s\n", accepted,
                flagged.size(), newSteps, acceptMs, qPrintable(view.progressText()));
    if (accepted != static_cast<int>(flagged.size()) || (model->rowCount() > 0 && newSteps != 1))
        std::printf("BUG: the bulk accept did not decide every suspect in one step\n");

    QDir().mkpath(out);
    QString error;
    if (!view.exportTo(out, replace, &error))
        fail(QStringLiteral("export into %1 failed: %2").arg(out, error));
    std::printf("exported %s and %s\n", qPrintable(out + "/decisions.csv"), qPrintable(out + "/train.csv"));
    nlohmann::json result = {{"mode", "accept-all"},
                             {"method", denoiseMethodName(view.method())},
                             {"threshold", view.threshold()},
                             {"images", table.rows()},
                             {"panel_equals_findSuspects", same},
                             {"accepted", accepted},
                             {"undo_steps", newSteps},
                             {"accept_ms", acceptMs}};
    result["against_truth"] = toJson(score);
    std::printf("RESULT %s\n", result.dump().c_str());
    return same && accepted == static_cast<int>(flagged.size()) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName("bench_review");
    QCommandLineParser parser;
    parser.setApplicationDescription("The Review view's latency and its accept-all accuracy (issue 13).");
    parser.addHelpOption();
    parser.addOptions({{"latency", "time decision keys to the next suspect fully shown"},
                       {"accept-all", "score the panel's suspects, accept them all, export"},
                       {"run", "training run (copied; the copy's journal starts empty)", "RUN"},
                       {"decisions", "latency: decisions to time (default 200)", "N", "200"},
                       {"dwell-ms", "latency: how long a curator looks at a complete suspect (default 0)", "MS", "0"},
                       {"method", "latency: recipe or confident (default: the view's)", "NAME"},
                       {"threshold", "latency: recipe threshold (default: the view's)", "T"},
                       {"truth", "accept-all: noise_truth.csv", "CSV"},
                       {"out", "accept-all: folder for decisions.csv and train.csv", "DIR"},
                       {"replace", "accept-all: replace decisions.csv and train.csv in DIR"}});
    parser.process(app);
    if (parser.isSet("latency") == parser.isSet("accept-all"))
        fail("choose one of --latency or --accept-all (--help)");
    const QString run = parser.value("run");
    if (run.isEmpty() || !QFileInfo(run).isDir())
        fail(QStringLiteral("--run: no run folder '%1'").arg(run));
    const QString data = runDataset(run);
    if (!QFileInfo(data + "/train.csv").isFile()) {
        const QString shared = QFileInfo(QString::fromUtf8(CASSAVA_SHARED_DATA)).absoluteFilePath();
        fail(QStringLiteral("the run's dataset %1 is absent (no train.csv there)%2")
                 .arg(data, QFileInfo(data).absoluteFilePath().startsWith(shared)
                                ? QStringLiteral(": the shared data (%1) is not on this machine").arg(shared)
                                : QString()));
    }
    QTemporaryDir tmp;
    if (!tmp.isValid())
        fail("cannot make a temporary folder");
    // The view's remembered settings (column widths, splitters) stay out of the user's own.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp.filePath("config"));
    const QString copy = tmp.filePath("run");
    copyRun(run, copy);

    if (parser.isSet("latency")) {
        std::optional<DenoiseMethod> method;
        std::optional<double> threshold;
        if (parser.isSet("method")) {
            DenoiseMethod m;
            if (!parseDenoiseMethod(parser.value("method").toStdString(), m))
                fail("--method: expected recipe or confident, got '" + parser.value("method") + "'");
            method = m;
        }
        if (parser.isSet("threshold"))
            threshold = parser.value("threshold").toDouble();
        return latency(copy, std::max(1, parser.value("decisions").toInt()), std::max(0, parser.value("dwell-ms").toInt()),
                       method, threshold);
    }
    if (parser.value("truth").isEmpty() || parser.value("out").isEmpty())
        fail("--accept-all needs --truth CSV and --out DIR");
    return acceptAll(copy, parser.value("truth"), parser.value("out"), parser.isSet("replace"));
}
