#pragma once
// Small helpers shared by the Qt Test executables: temporary datasets built inside the test,
// the reference data in ../shared/data (skipped with a message when absent), running the CLI.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

#include <string>

namespace testsupport {

inline void writeText(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
}

inline QString sharedDataDir() { return QStringLiteral(CASSAVA_SHARED_DATA); }

// QSKIP must be called from the test function itself, so this is a macro.
#define REQUIRE_SHARED_DATA(relative)                                                           \
    do {                                                                                        \
        if (!QFileInfo::exists(testsupport::sharedDataDir() + "/" + (relative)))                \
            QSKIP(qPrintable("reference data absent: " + testsupport::sharedDataDir() + "/" +   \
                             (relative) + " (see ../shared/data/README.md); test skipped"));   \
    } while (0)

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

// The built `cassava` with `args`, in `env` (the test's own environment when empty).
inline CliResult runCli(const QStringList& args, const QProcessEnvironment& env, int timeoutMs = 300000)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(QStringLiteral(CASSAVA_CLI), args);
    CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline CliResult runCli(const QStringList& args, int timeoutMs = 300000)
{
    return runCli(args, QProcessEnvironment(), timeoutMs);
}

// A small CSV's rows split at commas (the files the tests compare have no quoted fields); an
// absent file gives no rows.
inline QList<QStringList> readCsv(const QString& path)
{
    QFile f(path);
    QList<QStringList> rows;
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.isEmpty())
            rows << QString::fromUtf8(line).split(',');
    return rows;
}

inline std::string str(const QString& s) { return s.toStdString(); }

// The epoch lines of a run's metrics.jsonl, without the wall-clock and memory fields: two runs
// that trained alike give the same list.
inline QStringList epochLines(const QString& run)
{
    QFile f(run + "/metrics.jsonl");
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o["type"].toString() != "epoch")
            continue;
        for (const char* key : {"seconds", "images_per_s", "rss_mb", "heap_mb"})
            o.remove(key);
        out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    return out;
}

// The inputs a fuzz target once failed on (fuzz/regressions/TARGET), file path -> bytes.
inline QList<QPair<QString, QByteArray>> fuzzRegressionInputs(const QString& target)
{
    QList<QPair<QString, QByteArray>> inputs;
    QDirIterator it(QStringLiteral(CASSAVA_SOURCE_DIR "/fuzz/regressions/") + target, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(path));
        inputs.append({path, f.readAll()});
    }
    return inputs;
}

}  // namespace testsupport
