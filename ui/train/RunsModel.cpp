#include "RunsModel.h"

#include "AppInfo.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QLocale>
#include <QPalette>
#include <QStandardPaths>
#include <QtConcurrent>

#include <algorithm>
#include <set>

namespace cassava::ui {

QString runStateText(RunState state)
{
    switch (state) {
    case RunState::Running: return RunsModel::tr("Running");
    case RunState::Finished: return RunsModel::tr("Finished");
    case RunState::Cancelled: return RunsModel::tr("Cancelled");
    case RunState::Failed: return RunsModel::tr("Failed");
    case RunState::Unfinished: return RunsModel::tr("Unfinished");
    }
    return {};
}

QColor runStateColor(RunState state)
{
    switch (state) {
    case RunState::Running: return QColor(0x2b, 0x7b, 0xd8);
    case RunState::Finished: return QColor(0x3c, 0x9a, 0x4a);
    case RunState::Failed: return QColor(0xd0, 0x3b, 0x3b);
    case RunState::Unfinished:
    case RunState::Cancelled: return QColor(0xc7, 0x7c, 0x02);
    }
    return {};
}

QString formatBytes(qint64 bytes) { return QLocale().formattedDataSize(bytes, 1); }

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent)
{
    connect(&watcher_, &QFutureWatcher<std::vector<RunInfo>>::finished, this, &RunsModel::finishScan);
}

RunsModel::~RunsModel() { watcher_.waitForFinished(); }

QString RunsModel::defaultRunsFolder()
{
    return appDataFolder(QStringLiteral("runs"));
}

void RunsModel::setRunsFolder(const QString& folder)
{
    folder_ = folder;
    refresh();
}

void RunsModel::setExtraRuns(const QStringList& paths)
{
    extra_ = paths;
    refresh();
}

void RunsModel::refresh()
{
    if (watcher_.isRunning()) {
        rescanWanted_ = true;
        return;
    }
    const std::string folder = folder_.toStdString();
    std::vector<std::string> extra;
    for (const QString& p : extra_)
        extra.push_back(QDir::cleanPath(p).toStdString());
    watcher_.setFuture(QtConcurrent::run([folder, extra] {
        std::vector<RunInfo> runs = folder.empty() ? std::vector<RunInfo>{} : listRuns(folder);
        std::set<std::string> seen;
        for (const auto& r : runs)
            seen.insert(r.path);
        for (const auto& path : extra) {
            if (seen.count(path) || !RunDir(path).hasConfig())
                continue;
            try {
                runs.push_back(inspectRun(path));
                seen.insert(path);
            } catch (const std::exception&) {
            }
        }
        sortRunsNewestFirst(runs);
        return runs;
    }));
}

void RunsModel::finishScan()
{
    // A scan asked for while this one ran (another folder, new runs) supersedes its result.
    if (rescanWanted_) {
        rescanWanted_ = false;
        refresh();
        return;
    }
    beginResetModel();
    runs_ = watcher_.result();
    endResetModel();
    emit scanned();
}

void RunsModel::refreshRun(const QString& path)
{
    const QString clean = QDir::cleanPath(path);
    RunInfo info;
    try {
        info = inspectRun(clean.toStdString());
    } catch (const std::exception&) {
        return;
    }
    const int row = rowOf(clean);
    if (row >= 0) {
        runs_[static_cast<size_t>(row)] = info;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        beginInsertRows({}, 0, 0);
        runs_.insert(runs_.begin(), info);
        endInsertRows();
    }
}

int RunsModel::rowOf(const QString& path) const
{
    const std::string clean = QDir::cleanPath(path).toStdString();
    for (size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i].path == clean)
            return static_cast<int>(i);
    return -1;
}

const RunInfo* RunsModel::run(const QString& path) const
{
    const int row = rowOf(path);
    return row < 0 ? nullptr : &runs_[static_cast<size_t>(row)];
}

int RunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RunInfo& r = runs_[static_cast<size_t>(index.row())];
    if (role == PathRole)
        return QString::fromStdString(r.path);
    if (role == StateRole)
        return static_cast<int>(r.state);
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromStdString(r.path);
        if (!r.error.empty())
            tip += QStringLiteral("\n") + QString::fromStdString(r.error);
        if (r.resumable())
            tip += tr("\nCan be resumed from its last complete epoch.");
        return tip;
    }
    // Finished runs keep the palette's text colour; the others stand out in their state's.
    if (role == Qt::ForegroundRole && index.column() == State && r.state != RunState::Finished)
        return runStateColor(r.state);
    if (role == Qt::TextAlignmentRole && (index.column() == BestAccuracy || index.column() == Size))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: return QString::fromStdString(r.name);
    case State: return runStateText(r.state);
    case Model:
        return r.model.empty() ? QString() : QStringLiteral("%1 · %2 px").arg(QString::fromStdString(r.model).toUpper()).arg(r.size);
    case Progress:
        return tr("%1 of %2 epochs").arg(r.epochsDone).arg(r.epochsPlanned());
    case BestAccuracy:
        if (r.oofAccuracy >= 0)
            return tr("%1 % OOF").arg(r.oofAccuracy * 100, 0, 'f', 1);
        if (r.bestValAccuracy >= 0)
            return QStringLiteral("%1 %").arg(r.bestValAccuracy * 100, 0, 'f', 1);
        return QStringLiteral("–");
    case Started:
        return r.startedAt > 0 ? QDateTime::fromSecsSinceEpoch(r.startedAt).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                               : QString();
    case Size: return formatBytes(r.bytes);
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Run");
    case State: return tr("State");
    case Model: return tr("Model");
    case Progress: return tr("Progress");
    case BestAccuracy: return tr("Best accuracy");
    case Started: return tr("Started");
    case Size: return tr("Size");
    }
    return {};
}

}  // namespace cassava::ui
