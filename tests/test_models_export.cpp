// `cassava export`: the TorchScript file runs in LibTorch and in Debian's Python torch with the
// network's logits, loads into torchvision's own efficientnet_b0, and carries the metadata; our
// checkpoint itself is readable with plain torch.load.
#include "Checkpoint.h"
#include "EfficientNet.h"
#include "StateDict.h"
#include "TorchSaveReader.h"
#include "TorchScriptExport.h"
#include "TorchThreads.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace cassava;

namespace {

// What a user of the exported file does, as documented in TorchScriptExport.h.
const char* const kPythonUser = R"PY(
import json, sys, torch, torchvision
d = sys.argv[1]
torch.set_num_threads(1)
images = torch.load(d + "/input.pth")["images"]

extra = {"metadata.json": ""}
model = torch.jit.load(d + "/model.pt", _extra_files=extra).eval()
with torch.no_grad():
    scripted = model(images)

net = torchvision.models.efficientnet_b0(num_classes=len(model.class_names))
net.load_state_dict(torch.jit.load(d + "/model.pt").state_dict()); net.eval()
with torch.no_grad():
    via_torchvision = net(images)

checkpoint = torch.load(d + "/model.ckpt")
net2 = torchvision.models.efficientnet_b0(num_classes=5)
net2.load_state_dict(checkpoint["state_dict"]); net2.eval()
with torch.no_grad():
    from_checkpoint = net2(images)

torch.save({"scripted": scripted, "torchvision": via_torchvision, "checkpoint": from_checkpoint},
           d + "/python_logits.pth")
print(json.dumps({"class_names": list(model.class_names), "variant": model.variant,
                  "input_size": model.input_size, "mean": list(model.mean),
                  "metadata_source": json.loads(extra["metadata.json"])["source"],
                  "checkpoint_format": checkpoint["format"],
                  "checkpoint_classes": json.loads(checkpoint["metadata"])["num_classes"]}))
)PY";

EfficientNet randomNetwork(const std::string& variant, uint64_t seed)
{
    torch::manual_seed(seed);
    EfficientNetOptions options;
    options.variant = variant;
    options.numClasses = 5;
    EfficientNet net(options);
    torch::NoGradGuard noGrad;
    for (auto& p : net->named_buffers())
        if (p.key().find("running_var") != std::string::npos)
            p.value().uniform_(0.5, 1.5);
    net->eval();
    return net;
}

torch::Tensor entry(const torch::IValue& dict, const std::string& key)
{
    for (const auto& e : dict.toGenericDict())
        if (e.key().toStringRef() == key)
            return e.value().toTensor();
    return {};
}

std::string readBinary(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = f.readAll();
    return std::string(data.constData(), static_cast<size_t>(data.size()));
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

}  // namespace

class ExportTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // One thread: these networks are tiny, and OpenMP's spinning threads stall badly when the
        // cores are shared (ctest -j, other builds); see BENCHMARKS.md.
        configureTorchThreads(1);
        QVERIFY(dir_.isValid());
    }
    void theExportRunsInLibTorchWithTheNetworksLogits();
    void aVariantWithOtherBatchNormSettingsExportsToo();
    void pythonRunsTheExportAndReadsTheCheckpoint();
    void exportingAMissingCheckpointIsAClearError();
    void aTorchScriptFileIsReadOnlyWhenTrusted();

private:
    QTemporaryDir dir_;
    QString file(const QString& name) const { return dir_.filePath(name); }
};

void ExportTest::theExportRunsInLibTorchWithTheNetworksLogits()
{
    EfficientNet net = randomNetwork("b0", 1);
    const auto metadata = CheckpointMetadata::forVariant("b0", 5);
    const ExportReport report = exportTorchScript(net, metadata, file("b0.pt").toStdString());
    QVERIFY(report.maxAbsDifference < 1e-5);

    torch::jit::Module module = torch::jit::load(file("b0.pt").toStdString());
    module.eval();
    const auto images = torch::randn({3, 3, 96, 96});
    torch::NoGradGuard noGrad;
    const auto scripted = module.forward({images}).toTensor();
    QVERIFY(maxAbsDiff(scripted, net->forward(images)) < 1e-4);
    QCOMPARE(module.attr("class_names").toListRef().size(), size_t(5));
    QCOMPARE(module.attr("input_size").toInt(), int64_t(224));
    QCOMPARE(module.attr("variant").toStringRef(), std::string("b0"));
}

void ExportTest::aVariantWithOtherBatchNormSettingsExportsToo()
{
    // B5-B7 use BatchNorm eps 1e-3: the scripted forward must carry it.
    EfficientNet net = randomNetwork("b5", 2);
    const ExportReport report =
        exportTorchScript(net, CheckpointMetadata::forVariant("b5", 5), file("b5.pt").toStdString());
    QVERIFY2(report.maxAbsDifference < 1e-5, qPrintable(QString::number(report.maxAbsDifference)));
    QVERIFY(QFileInfo(file("b5.pt")).size() > 100 * 1000 * 1000);
}

void ExportTest::pythonRunsTheExportAndReadsTheCheckpoint()
{
    EfficientNet net = randomNetwork("b0", 3);
    auto metadata = CheckpointMetadata::forVariant("b0", 5);
    metadata.source = "unit test";
    writeCheckpoint(file("model.ckpt").toStdString(), net, metadata);
    exportTorchScript(file("model.ckpt").toStdString(), file("model.pt").toStdString());

    const auto images = torch::randn({2, 3, 64, 64});
    c10::impl::GenericDict input(c10::StringType::get(), c10::AnyType::get());
    input.insert("images", images);
    const auto bytes = torch::pickle_save(input);
    testsupport::writeText(file("input.pth"), QByteArray(bytes.data(), static_cast<int>(bytes.size())));

    QProcess python;
    python.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON), {"-c", kPythonUser, dir_.path()});
    QVERIFY(python.waitForStarted());
    QVERIFY(python.waitForFinished(300000));
    const QString errors = QString::fromUtf8(python.readAllStandardError());
    if (python.exitCode() != 0 && errors.contains("No module named"))
        QSKIP(qPrintable("Debian's python3-torch / python3-torchvision are not installed: " + errors.trimmed()));
    QVERIFY2(python.exitCode() == 0, qPrintable(errors));

    const QJsonObject printed = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
    QCOMPARE(printed["class_names"].toArray().size(), 5);
    QCOMPARE(printed["class_names"].toArray()[4].toString(), QString("Healthy"));
    QCOMPARE(printed["variant"].toString(), QString("b0"));
    QCOMPARE(printed["input_size"].toInt(), 224);
    QCOMPARE(printed["mean"].toArray()[0].toDouble(), 0.485);
    QCOMPARE(printed["metadata_source"].toString(), QString("unit test"));
    QCOMPARE(printed["checkpoint_format"].toString(), QString(kCheckpointFormat));
    QCOMPARE(printed["checkpoint_classes"].toInt(), 5);

    torch::NoGradGuard noGrad;
    const auto ours = net->forward(images);
    const auto logits = readTorchSaveArchive(readBinary(file("python_logits.pth")));
    for (const char* key : {"scripted", "torchvision", "checkpoint"}) {
        const double diff = maxAbsDiff(entry(logits, key), ours);
        qInfo("%s: max |logit difference| with LibTorch = %.3g", key, diff);
        QVERIFY2(diff < 1e-4, key);
    }
}

void ExportTest::exportingAMissingCheckpointIsAClearError()
{
    try {
        exportTorchScript(file("absent.ckpt").toStdString(), file("out.pt").toStdString());
        QFAIL("exported a missing checkpoint");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).rfind(file("absent.ckpt").toStdString() + ": cannot open", 0) == 0, e.what());
    }
    QVERIFY(!QFile::exists(file("out.pt")));
}

// A TorchScript archive carries code: weight import refuses one unless told it is trusted, in the
// library and on the command line.
void ExportTest::aTorchScriptFileIsReadOnlyWhenTrusted()
{
    EfficientNet net = randomNetwork("b0", 2);
    const auto metadata = CheckpointMetadata::forVariant("b0", 5);
    exportTorchScript(net, metadata, file("trusted.pt").toStdString());
    const std::string path = file("trusted.pt").toStdString();
    try {
        readStateDictFile(path);
        QFAIL("a TorchScript archive was read without being trusted");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        QVERIFY2(message.rfind(path + ": a TorchScript archive, which carries code", 0) == 0, e.what());
        QVERIFY2(message.find("--trust-torchscript") != std::string::npos, e.what());
    }
    const StateDictFile read = readStateDictFile(path, TorchScriptPolicy::Trust);
    QCOMPARE(read.tensors.size(), namedTensorsOf(*net).size());

    const QString ckpt = file("imported.ckpt");
    auto r = testsupport::runCli({"import-weights", "--from", file("trusted.pt"), "--out", ckpt});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("carries code"), qPrintable(r.err));
    QVERIFY(!QFile::exists(ckpt));
    r = testsupport::runCli({"import-weights", "--from", file("trusted.pt"), "--out", ckpt, "--trust-torchscript"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    CheckpointMetadata imported;
    EfficientNet back = loadCheckpoint(ckpt.toStdString(), &imported);
    const auto ours = namedTensorsOf(*net), theirs = namedTensorsOf(*back);
    for (const auto& [name, tensor] : ours)
        QVERIFY2(torch::equal(tensor, theirs.at(name)), name.c_str());
}

QTEST_GUILESS_MAIN(ExportTest)
#include "test_models_export.moc"
