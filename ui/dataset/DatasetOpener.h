#pragma once
// Opens a dataset folder off the GUI thread: cassava::Dataset::open runs on the thread pool and
// the result comes back through signals on the thread that owns the opener. Opening another
// folder before the first is done makes the earlier result stale; it is dropped.
#include <QObject>
#include <QString>

#include <memory>

namespace cassava {
class Dataset;
}

namespace cassava::ui {

class DatasetOpener : public QObject {
    Q_OBJECT
public:
    explicit DatasetOpener(QObject* parent = nullptr);
    ~DatasetOpener() override;

    void open(const QString& root);
    bool isBusy() const { return !pendingRoot_.isEmpty(); }
    QString pendingRoot() const { return pendingRoot_; }

signals:
    void busyChanged(bool busy);
    // The dataset was read; it may still carry fatal problems (no train.csv, say).
    void opened(std::shared_ptr<const cassava::Dataset> dataset);
    // Core threw: the folder could not be read at all. `reason` is meant for the user.
    void failed(const QString& root, const QString& reason);

private:
    quint64 latestRequest_ = 0;
    QString pendingRoot_;
};

}  // namespace cassava::ui
