#pragma once
// The runs list: every run under the runs folder (XDG data, "runs") and the runs opened by hand,
// with their state, model, progress, best metrics, date and size (core/RunCatalog). Scanning
// reads each run's metrics and sizes its files, so it runs on a worker thread; the list is
// replaced when the scan returns.
#include "RunCatalog.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QFutureWatcher>
#include <QStringList>

#include <vector>

namespace cassava::ui {

class RunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, State, Model, Progress, BestAccuracy, Started, Size, ColumnCount };
    static constexpr int PathRole = Qt::UserRole + 1;
    static constexpr int StateRole = Qt::UserRole + 2;  // RunState as int

    explicit RunsModel(QObject* parent = nullptr);
    ~RunsModel() override;

    // The folder the app puts new runs in: AppDataLocation/runs.
    static QString defaultRunsFolder();

    void setRunsFolder(const QString& folder);
    QString runsFolder() const { return folder_; }
    // Runs outside the folder (opened by hand, recent); missing ones are left out.
    void setExtraRuns(const QStringList& paths);
    // Rescans on a worker; scanned() follows. A rescan asked during a scan runs after it.
    void refresh();
    // Re-reads one run at once (on this thread: one run's files), e.g. when its training ends.
    void refreshRun(const QString& path);
    bool isScanning() const { return watcher_.isRunning(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    const std::vector<RunInfo>& runs() const { return runs_; }
    int rowOf(const QString& path) const;  // -1 when not listed
    const RunInfo* run(const QString& path) const;

signals:
    void scanned();

private:
    void finishScan();

    QString folder_;
    QStringList extra_;
    std::vector<RunInfo> runs_;
    QFutureWatcher<std::vector<RunInfo>> watcher_;
    bool rescanWanted_ = false;
};

QString runStateText(RunState state);  // translated, capitalised
QColor runStateColor(RunState state);  // the state's colour wherever a run's state is shown
QString formatBytes(qint64 bytes);

}  // namespace cassava::ui
