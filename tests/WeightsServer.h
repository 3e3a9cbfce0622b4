#pragma once
// The weight-download tests' local server (tests/weights_server.py on 127.0.0.1) and the
// torchvision-format file it serves, made once per test executable with random weights.
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

namespace testsupport {

inline QString weightsServerScript() { return QStringLiteral(CASSAVA_SOURCE_DIR "/tests/weights_server.py"); }

// Whether the system Python can make the file (python3-torchvision); the reason when not.
inline QString systemTorchMissing()
{
    QProcess p;
    p.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON), {"-c", "import torch, torchvision"});
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral(CASSAVA_SYSTEM_PYTHON " lacks torch/torchvision (packaging/install-deps.sh --test)");
    return {};
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// efficientnet_b0(weights=None).state_dict() saved with torch.save into dir, named
// efficientnet_b0_test-HASH8.pth like torchvision's files; returns the name (empty on failure).
inline QString makeTorchvisionWeights(const QString& dir)
{
    QProcess p;
    p.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON), {weightsServerScript(), "make-weights", dir});
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning("make-weights failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// One server process over a folder; stopped by the destructor.
class WeightsServer {
public:
    WeightsServer() = default;
    ~WeightsServer() { stop(); }
    WeightsServer(const WeightsServer&) = delete;
    WeightsServer& operator=(const WeightsServer&) = delete;

    // Starts the server over dir with extra options (--drop-after N, --corrupt, --ignore-range)
    // and waits until it listens; false when it did not start.
    bool start(const QString& dir, const QStringList& options = {})
    {
        stop();
        state_ = std::make_unique<QTemporaryDir>();
        const QString portFile = state_->filePath("port");
        logPath_ = state_->filePath("requests.log");
        process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process_.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON),
                       QStringList{weightsServerScript(), "serve", "--dir", dir, "--port-file", portFile, "--log", logPath_} +
                           options);
        // The script writes the port file once its socket listens.
        QDeadlineTimer deadline(30000);
        while (!QFile::exists(portFile) && !deadline.hasExpired() && process_.state() != QProcess::NotRunning)
            QThread::msleep(20);
        port_ = QString::fromUtf8(readAll(portFile)).toInt();
        return port_ > 0;
    }
    void stop()
    {
        if (process_.state() != QProcess::NotRunning) {
            process_.kill();
            process_.waitForFinished(10000);
        }
    }
    int port() const { return port_; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }
    // "GET /NAME range=bytes=N- 206", one per request so far.
    QStringList requests() const
    {
        return QString::fromUtf8(readAll(logPath_)).split('\n', Qt::SkipEmptyParts);
    }

private:
    QProcess process_;
    std::unique_ptr<QTemporaryDir> state_;
    QString logPath_;
    int port_ = 0;
};

// A port on 127.0.0.1 where nothing listens: a server's, after it stopped.
inline int deadPort(const QString& dir)
{
    WeightsServer s;
    if (!s.start(dir))
        return 0;
    const int port = s.port();
    s.stop();
    return port;
}

// What the child processes of a test see: its own cache, no proxies (127.0.0.1 must be direct).
inline void isolateDownloadEnvironment(QProcessEnvironment& env, const QString& cacheHome)
{
    env.insert("XDG_CACHE_HOME", cacheHome);
    for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                             "CASSAVA_WEIGHTS_MIRROR"})
        env.remove(QString::fromLatin1(name));
}

inline QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

}  // namespace testsupport
