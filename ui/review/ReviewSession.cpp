#include "ReviewSession.h"

#include "RunDir.h"

#include <QAction>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLocale>
#include <QUndoCommand>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>

namespace cassava::ui {

// A journal step as an undo command. The first redo() (QUndoStack::push calls it) does nothing:
// the step is already in the journal when the command is made, so a failed write never leaves a
// command behind. Later redos and undos append "redo"/"undo" lines.
class ReviewSession::Step : public QUndoCommand {
public:
    Step(ReviewSession* session, const std::vector<ReviewItem>& items)
        : QUndoCommand(session->describe(items)), session_(session), ids_(idsOf(items))
    {
    }
    void undo() override
    {
        if (session_->replay(true))
            emit session_->decisionsChanged(ids_);
    }
    void redo() override
    {
        if (pushed_ && session_->replay(false))
            emit session_->decisionsChanged(ids_);
        pushed_ = true;
    }

private:
    ReviewSession* session_;
    QStringList ids_;
    bool pushed_ = false;
};

struct ReviewSession::Opened {
    std::unique_ptr<ReviewJournal> journal;
    ProbabilityTable table;
    QString tableSource;
    QStringList problems;
    QString error;
};

ReviewSession::ReviewSession(QObject* parent) : QObject(parent), undoStack_(new QUndoStack(this))
{
    undoAction_ = undoStack_->createUndoAction(this, tr("&Undo Decision"));
    undoAction_->setShortcut(QKeySequence::Undo);
    redoAction_ = undoStack_->createRedoAction(this, tr("&Redo Decision"));
    redoAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction* a : {undoAction_, redoAction_})
        a->setShortcutContext(Qt::WindowShortcut);
}

ReviewSession::~ReviewSession() = default;

QStringList ReviewSession::idsOf(const std::vector<ReviewItem>& items)
{
    QStringList ids;
    for (const ReviewItem& item : items)
        ids << QString::fromStdString(item.imageId);
    return ids;
}

void ReviewSession::open(const QString& runDir)
{
    if (runDir.isEmpty()) {
        close();
        return;
    }
    const quint64 request = ++request_;
    runDir_ = runDir;
    loading_ = true;
    auto* watcher = new QFutureWatcher<std::shared_ptr<Opened>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<Opened>>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        finishOpen(request, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path = runDir.toStdString()] {
        auto opened = std::make_shared<Opened>();
        try {
            opened->journal = std::make_unique<ReviewJournal>(ReviewJournal::open(path));
        } catch (const std::exception& e) {
            opened->error = QString::fromStdString(e.what());
            return opened;
        }
        const RunDir run(path);
        // The newest TTA re-scoring, when it is newer than oof.csv (a retrained run replaces both).
        std::string source = run.oofPath();
        int sourceRuns = 1;
        std::error_code ec;
        const auto oofTime = std::filesystem::last_write_time(source, ec);
        for (int runs = 64; runs >= 2; --runs) {
            const std::string rescored = run.rescoredOofPath(runs);
            std::error_code e2;
            const auto t = std::filesystem::last_write_time(rescored, e2);
            if (!e2 && (ec || t >= oofTime)) {
                source = rescored;
                sourceRuns = runs;
                break;
            }
        }
        try {
            ProblemList problems;
            opened->table = readProbabilityCsv(source, problems);
            opened->table.runs = sourceRuns;  // the file does not record it; its name does
            for (const Problem& p : problems)
                opened->problems << QString::fromStdString(p.toString());
            opened->tableSource = QString::fromStdString(source);
        } catch (const std::exception& e) {
            opened->problems << QString::fromStdString(e.what());
        }
        return opened;
    }));
}

void ReviewSession::finishOpen(quint64 request, const std::shared_ptr<Opened>& result)
{
    if (request != request_)
        return;  // another run was asked for since
    loading_ = false;
    if (!result->error.isEmpty()) {
        journal_.reset();
        table_ = {};
        paths_.clear();
        undoStack_->clear();
        emit failed(runDir_, result->error);
        return;
    }
    journal_ = std::move(result->journal);
    table_ = std::move(result->table);
    tableSource_ = result->tableSource;
    problems_ = result->problems;
    for (const std::string& w : journal_->warnings())
        problems_ << QString::fromStdString(w);
    paths_.clear();
    const Dataset& dataset = journal_->dataset();
    for (const Sample& s : dataset.samples())
        paths_[s.imageId] = dataset.imagePath(s);
    rebuildUndoStack();
    emit opened(runDir_);
}

void ReviewSession::close()
{
    ++request_;
    loading_ = false;
    const bool wasOpen = isOpen();
    journal_.reset();
    table_ = {};
    tableSource_.clear();
    problems_.clear();
    paths_.clear();
    runDir_.clear();
    undoStack_->clear();
    if (wasOpen)
        emit closed();
}

void ReviewSession::rebuildUndoStack()
{
    rebuilding_ = true;
    undoStack_->clear();
    const std::vector<ReviewStep> done = journal_->undoSteps();
    for (const ReviewStep& step : done)
        undoStack_->push(new Step(this, step.items));
    // The redo stack's last step is the next to redo: it goes right above the undo steps.
    const std::vector<ReviewStep>& undone = journal_->redoSteps();
    for (auto it = undone.rbegin(); it != undone.rend(); ++it)
        undoStack_->push(new Step(this, it->items));
    undoStack_->setIndex(static_cast<int>(done.size()));  // undo() of the pushed ones: nothing written
    undoStack_->setClean();
    rebuilding_ = false;
}

// An undo or redo from the stack, appended to the journal; not while the stack is being rebuilt.
bool ReviewSession::replay(bool undo)
{
    if (rebuilding_ || !journal_)
        return false;
    try {
        return undo ? journal_->undo() : journal_->redo();
    } catch (const std::exception& e) {
        emit error((undo ? tr("The undo was not recorded: %1") : tr("The redo was not recorded: %1"))
                       .arg(QString::fromStdString(e.what())));
        return false;
    }
}

void ReviewSession::setRescoredTable(ProbabilityTable table)
{
    if (!journal_)
        return;
    try {
        const RunDir run(runDir_.toStdString());
        std::filesystem::create_directories(run.reviewDir());
        writeProbabilityCsv(run.rescoredOofPath(table.runs), table);
        tableSource_ = QString::fromStdString(run.rescoredOofPath(table.runs));
    } catch (const std::exception& e) {
        emit error(tr("The TTA scores are used but could not be kept: %1").arg(QString::fromStdString(e.what())));
    }
    table_ = std::move(table);
    emit tableChanged();
}

QString ReviewSession::imagePath(const QString& imageId) const
{
    const auto it = paths_.find(imageId.toStdString());
    return it == paths_.end() ? QString() : QString::fromStdString(it->second);
}

int ReviewSession::givenLabel(const QString& imageId) const
{
    return journal_ ? journal_->givenLabel(imageId.toStdString()) : -1;
}

const ReviewItem* ReviewSession::decisionOf(const QString& imageId) const
{
    return journal_ ? journal_->decisionOf(imageId.toStdString()) : nullptr;
}

std::vector<ReviewItem> ReviewSession::items(const QStringList& imageIds, ReviewDecision decision,
                                             const std::vector<int>& labels) const
{
    std::vector<ReviewItem> out;
    if (!journal_)
        return out;
    for (int i = 0; i < imageIds.size(); ++i) {
        const int label = labels.empty() ? -1 : labels.size() == 1 ? labels[0] : labels.at(static_cast<size_t>(i));
        out.push_back(journal_->item(imageIds[i].toStdString(), decision, label));
    }
    return out;
}

bool ReviewSession::decide(const std::vector<ReviewItem>& items)
{
    if (!journal_ || items.empty())
        return false;
    try {
        journal_->decide(items);
    } catch (const std::exception& e) {
        emit error(tr("The decision was not recorded: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
    undoStack_->push(new Step(this, items));
    emit decisionsChanged(idsOf(items));
    return true;
}

QString ReviewSession::describe(const std::vector<ReviewItem>& items) const
{
    if (items.empty())
        return {};
    const ReviewDecision d = items.front().decision;
    bool same = true;
    for (const ReviewItem& item : items)
        same = same && item.decision == d && item.label == items.front().label;
    const LabelMap labels = journal_ ? journal_->dataset().labels() : LabelMap::standard();
    const QString what = items.size() == 1 ? QString::fromStdString(items.front().imageId)
                                           : tr("%1 photos").arg(QLocale().toString(static_cast<qulonglong>(items.size())));
    const auto name = [&](int label) {
        return labels.contains(label) ? QString::fromStdString(labels.shortName(label)) : QString::number(label);
    };
    switch (d) {
    case ReviewDecision::Accept:
        return same ? tr("Accept %1 as %2").arg(what, name(items.front().label)) : tr("Accept %1's suggestions").arg(what);
    case ReviewDecision::Keep: return tr("Keep the label of %1").arg(what);
    case ReviewDecision::Relabel: return tr("Relabel %1 as %2").arg(what, name(items.front().label));
    case ReviewDecision::Exclude: return tr("Exclude %1").arg(what);
    case ReviewDecision::Skip: return tr("Skip %1").arg(what);
    }
    return {};
}

}  // namespace cassava::ui
