#include "SubmissionJob.h"

#include "AtomicFile.h"
#include "Predictor.h"
#include "Submission.h"

#include <QFile>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#include <exception>

namespace cassava::ui {

namespace {

std::string local(const QString& path) { return QFile::encodeName(path).toStdString(); }

SubmissionOutcome makeSubmission(const SubmissionRequest& r, const std::atomic<bool>& cancel,
                                 const std::function<void(const QString&)>& stage,
                                 const std::function<void(const PredictProgress&)>& progress)
{
    SubmissionOutcome o;
    o.out = r.out;
    const SubmissionPlan plan = planSubmission(local(r.images), local(r.sample));
    o.note = QString::fromStdString(plan.note);
    if (!plan.ok()) {
        o.error = QString::fromStdString(plan.error);
        return o;
    }
    PredictorOptions options;
    options.views.runs = r.tta;
    options.views.crops = r.crops;
    options.views.cropFraction = r.cropFraction;
    options.device = r.device.toStdString();
    options.threads = r.threads;
    options.workers = r.threads;
    try {
        stage(SubmissionJob::tr("Loading the run's models…"));
        const Predictor predictor = Predictor::fromRun(local(r.runDir), options);
        o.description = QString::fromStdString(predictor.description());
        if (cancel.load()) {
            o.cancelled = true;
            return o;
        }
        stage(SubmissionJob::tr("Predicting %Ln photos…", nullptr, static_cast<int>(plan.ids.size())));
        const auto results = predictSubmission(predictor, plan, [&](const PredictProgress& p) {
            o.imagesPerSecond = p.imagesPerSecond;
            progress(p);
        }, &cancel);
        if (cancel.load()) {
            o.cancelled = true;
            return o;
        }
        const SubmissionTables tables = formatSubmission(plan, results, predictor.metadata().numClasses);
        for (const std::string& e : tables.errors)
            o.unreadable << QString::fromStdString(e);
        writeFileAtomically(local(r.out), tables.submission);
        o.written = tables.written;
        o.ok = true;
    } catch (const std::exception& e) {
        o.error = QString::fromStdString(e.what());
    }
    return o;
}

}  // namespace

SubmissionJob::SubmissionJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<cassava::ui::SubmissionOutcome>();
}

SubmissionJob::~SubmissionJob()
{
    if (thread_) {
        cancel_->store(true);
        thread_->wait();
        delete thread_;
    }
}

void SubmissionJob::start(const SubmissionRequest& request)
{
    if (thread_)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    QPointer<SubmissionJob> self(this);
    auto cancel = cancel_;
    // Progress arrives once per batch; the GUI thread gets it queued.
    thread_ = QThread::create([self, request, cancel] {
        auto stage = [self](const QString& what) {
            QMetaObject::invokeMethod(self, [self, what] { if (self) emit self->stageChanged(what); },
                                      Qt::QueuedConnection);
        };
        auto progress = [self](const PredictProgress& p) {
            const int done = static_cast<int>(p.done), total = static_cast<int>(p.total);
            const double rate = p.imagesPerSecond;
            QMetaObject::invokeMethod(self, [self, done, total, rate] { if (self) emit self->progress(done, total, rate); },
                                      Qt::QueuedConnection);
        };
        const SubmissionOutcome outcome = makeSubmission(request, *cancel, stage, progress);
        QMetaObject::invokeMethod(self, [self, outcome] {
            if (!self)
                return;
            self->thread_->wait();
            delete self->thread_;
            self->thread_ = nullptr;
            emit self->finished(outcome);
        }, Qt::QueuedConnection);
    });
    thread_->start();
}

void SubmissionJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}

}  // namespace cassava::ui
