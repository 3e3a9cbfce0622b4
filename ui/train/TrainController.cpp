#include "TrainController.h"

#include "Trainer.h"

#include <QMetaObject>

#include <stdexcept>

namespace cassava::ui {

TrainController::TrainController(QObject* parent) : QObject(parent) {}

TrainController::~TrainController()
{
    if (trainer_) {
        trainer_->cancel();
        trainer_->wait();
    }
}

bool TrainController::start(const TrainConfig& config, QString* error)
{
    if (trainer_) {
        if (error)
            *error = tr("A training is already running.");
        return false;
    }
    if (const std::string problem = config.validate(); !problem.empty()) {
        if (error)
            *error = QString::fromStdString(problem);
        return false;
    }
    return launch(std::make_unique<Trainer>(config, listener()), QString::fromStdString(config.out));
}

bool TrainController::resume(const QString& runDir, QString* error)
{
    if (trainer_) {
        if (error)
            *error = tr("A training is already running.");
        return false;
    }
    try {
        return launch(Trainer::resume(runDir.toStdString(), listener()), runDir);
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

std::function<void(const TrainEvent&)> TrainController::listener()
{
    // On the training thread: each event is queued to this object's (the GUI) thread.
    return [this](const TrainEvent& e) { QMetaObject::invokeMethod(this, [this, e] { handle(e); }, Qt::QueuedConnection); };
}

bool TrainController::launch(std::unique_ptr<Trainer> trainer, const QString& runDir)
{
    trainer_ = std::move(trainer);
    runDir_ = runDir;
    history_.clear();
    started_ = {};
    step_ = {};
    foldsFinished_ = 0;
    messages_.clear();
    cancelRequested_ = false;
    trainer_->start();
    emit runningChanged(true);
    emit historyChanged();
    return true;
}

void TrainController::cancel()
{
    if (!trainer_)
        return;
    cancelRequested_ = true;
    trainer_->cancel();
}

double TrainController::progress() const
{
    const int total = started_.folds * started_.epochs * started_.batchesPerEpoch;
    if (total <= 0)
        return 0;
    // A fold's finished event arrives before the next one's steps; the epoch and batch are the
    // current fold's.
    const int done = foldsFinished_ * started_.epochs * started_.batchesPerEpoch +
                     step_.epoch * started_.batchesPerEpoch + step_.batch;
    return std::clamp(static_cast<double>(done) / total, 0.0, 1.0);
}

void TrainController::handle(const TrainEvent& event)
{
    if (const auto* e = std::get_if<RunStarted>(&event)) {
        started_ = *e;
        // A resume rewrote metrics.jsonl to its complete epochs before this event: those are the
        // curves so far.
        if (e->resumedFromEpoch >= 0)
            history_ = RunHistory::load(runDir_.toStdString());
        emit runStarted(*e);
        emit historyChanged();
    } else if (const auto* e = std::get_if<StepProgress>(&event)) {
        step_ = *e;
        history_.addStep(e->fold, e->epoch, e->batch, e->batchesPerEpoch, e->loss, e->lr);
        emit stepProgress(*e);
        emit historyChanged();
    } else if (const auto* e = std::get_if<EpochFinished>(&event)) {
        history_.addEpoch({e->fold, e->epoch, e->trainLoss, e->valLoss, e->valAccuracy, e->lr, e->imagesPerSecond,
                           e->seconds, e->best});
        emit epochFinished(*e);
        emit historyChanged();
    } else if (const auto* e = std::get_if<FoldFinished>(&event)) {
        ++foldsFinished_;
        step_ = {};
        emit foldFinished(*e);
    } else if (const auto* e = std::get_if<RunMessage>(&event)) {
        messages_.push_back(*e);
        emit message(*e);
    } else if (const auto* e = std::get_if<RunFinished>(&event)) {
        // The training thread returns right after this event.
        if (trainer_)
            trainer_->wait();
        trainer_.reset();
        emit runFinished(*e);
        emit runningChanged(false);
    }
}

}  // namespace cassava::ui
