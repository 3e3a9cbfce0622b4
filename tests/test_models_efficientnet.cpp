// EfficientNet B0-B7: the tables, torchvision parity (names, parameter counts, logits of imported
// weights), weight import errors, Grad-CAM features, and a training step that learns.
#include "Architecture.h"
#include "EfficientNet.h"
#include "StateDict.h"
#include "TorchThreads.h"
#include "WeightImport.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <set>

using namespace cassava;

namespace {

// Builds reference files with Debian's torchvision: random weights (BatchNorm statistics and affine
// parameters randomised too, so that eps and the statistics matter), a random input and torchvision's
// eval-mode logits; the state_dict keys and parameter counts of all eight variants.
const char* const kReferenceScript = R"PY(
import json, sys, torch, torchvision
out = sys.argv[1]
torch.set_num_threads(1)
info = {}
for i in range(8):
    v = "b%d" % i
    torch.manual_seed(i)
    m = getattr(torchvision.models, "efficientnet_" + v)()
    info[v] = {"params": sum(p.numel() for p in m.parameters()), "keys": list(m.state_dict().keys())}
    if v not in ("b0", "b3", "b5"):
        continue
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.7, 1.3)
                mod.bias.uniform_(-0.2, 0.2)
                mod.num_batches_tracked.fill_(7)
    m.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        y = m(x)
    if v == "b3":
        torch.jit.save(torch.jit.script(m), "%s/%s.pt" % (out, v))
    else:
        torch.save(m.state_dict(), "%s/%s.pth" % (out, v))
    torch.save({"input": x, "logits": y}, "%s/%s_io.pth" % (out, v))
    if v == "b0":
        torch.save(m, "%s/b0_whole_module.pth" % out)
json.dump(info, open(out + "/info.json", "w"))
)PY";

torch::Tensor tensorEntry(const torch::IValue& dict, const std::string& key)
{
    for (const auto& entry : dict.toGenericDict())
        if (entry.key().toStringRef() == key)
            return entry.value().toTensor();
    return {};
}

void writeBytes(const QString& path, const std::vector<char>& bytes)
{
    testsupport::writeText(path, QByteArray(bytes.data(), static_cast<int>(bytes.size())));
}

// A torch.save-format file of `net`'s tensors, optionally renamed or wrapped as training scripts do.
std::vector<char> stateDictBytes(EfficientNetImpl& net, const std::string& prefix = {},
                                 const std::string& wrapKey = {})
{
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto& entry : namedTensorsOf(net))
        dict.insert(prefix + entry.first, entry.second.detach().contiguous());
    if (wrapKey.empty())
        return torch::pickle_save(dict);
    c10::impl::GenericDict wrapper(c10::StringType::get(), c10::AnyType::get());
    wrapper.insert("epoch", static_cast<int64_t>(3));
    wrapper.insert(wrapKey, dict);
    return torch::pickle_save(wrapper);
}

EfficientNetOptions optionsFor(const std::string& variant, int numClasses)
{
    EfficientNetOptions o;
    o.variant = variant;
    o.numClasses = numClasses;
    return o;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

}  // namespace

class EfficientNetTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void theTablesAreThePapers();
    void anUnknownVariantIsAClearError();
    void namesAndParameterCountsMatchTorchvision();
    void importedTorchvisionWeightsGiveTorchvisionLogits_data();
    void importedTorchvisionWeightsGiveTorchvisionLogits();
    void anImageNetClassifierIsReplacedForFiveClasses();
    void wrappedAndDataParallelStateDictsAreAccepted();
    void weightsOfAnotherVariantAreAClearError();
    void missingAndUnexpectedNamesAreListed();
    void filesThatAreNoStateDictAreClearErrors();
    void theLastFeatureMapIsAvailableForGradCam();
    void channelsLastComputesTheSameLogits();
    void residualBlocksCanStartAsTheIdentity();
    void dropoutAndStochasticDepthActOnlyInTraining();
    void oneTrainingStepLowersTheLossOnItsBatch();

private:
    QTemporaryDir dir_;
    QString pythonProblem_;  // empty when the reference files were made
    QJsonObject torchvisionInfo_;

    QString file(const QString& name) const { return dir_.filePath(name); }
};

#define REQUIRE_TORCHVISION()                                                                  \
    do {                                                                                       \
        if (!pythonProblem_.isEmpty())                                                         \
            QSKIP(qPrintable("torchvision reference unavailable: " + pythonProblem_));         \
    } while (0)

void EfficientNetTest::initTestCase()
{
    // One thread: these networks are tiny, and OpenMP's spinning threads stall badly when the
    // cores are shared (ctest -j, other builds); see BENCHMARKS.md.
    configureTorchThreads(1);
    QVERIFY(dir_.isValid());
    QProcess python;
    python.start(QStringLiteral(CASSAVA_SYSTEM_PYTHON), {"-c", kReferenceScript, dir_.path()});
    if (!python.waitForFinished(300000) || python.exitStatus() != QProcess::NormalExit ||
        python.exitCode() != 0) {
        pythonProblem_ = QStringLiteral(CASSAVA_SYSTEM_PYTHON) + " with torch and torchvision failed: " +
                         QString::fromUtf8(python.readAllStandardError()).trimmed().right(400);
        return;
    }
    QFile info(file("info.json"));
    QVERIFY(info.open(QIODevice::ReadOnly));
    torchvisionInfo_ = QJsonDocument::fromJson(info.readAll()).object();
}

void EfficientNetTest::theTablesAreThePapers()
{
    QCOMPARE(variants().size(), size_t(8));
    QCOMPARE(baselineStages().size(), size_t(7));
    const Variant& b3 = variantNamed("b3");
    QCOMPARE(b3.widthMultiplier, 1.2);
    QCOMPARE(b3.depthMultiplier, 1.4);
    QCOMPARE(b3.resolution, 300);
    QCOMPARE(variantNamed("b7").batchNormEps, 1e-3);
    QCOMPARE(variantNamed("b4").batchNormEps, 1e-5);

    // torchvision's _make_divisible: nearest multiple of 8, never 10% below.
    QCOMPARE(makeDivisible(32 * 1.2), 40);
    QCOMPARE(makeDivisible(24 * 1.1), 24);
    QCOMPARE(makeDivisible(16 * 1.8), 32);
    QCOMPARE(makeDivisible(3.0), 8);

    const NetworkPlan b0 = planNetwork(variantNamed("b0"), 0.2);
    QCOMPARE(b0.blocks.size(), size_t(16));
    QCOMPARE(b0.stemChannels, 32);
    QCOMPARE(b0.headChannels, 1280);
    QCOMPARE(b0.blocks.front().stochasticDepthProb, 0.0);
    QCOMPARE(b0.blocks.back().stochasticDepthProb, 0.2 * 15 / 16);
    QVERIFY(!b0.blocks.front().hasExpansion());
    QVERIFY(b0.blocks[2].hasResidual());  // second block of stage 2
    QCOMPARE(planNetwork(variantNamed("b7"), 0.2).blocks.size(), size_t(55));
}

void EfficientNetTest::anUnknownVariantIsAClearError()
{
    try {
        variantNamed("b9");
        QFAIL("b9 was accepted");
    } catch (const std::invalid_argument& e) {
        QCOMPARE(std::string(e.what()),
                 std::string("unknown EfficientNet variant 'b9' (expected one of b0, b1, b2, b3, b4, b5, b6, b7)"));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EfficientNet(optionsFor("B0", 5)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, EfficientNet(optionsFor("b0", 0)));
}

void EfficientNetTest::namesAndParameterCountsMatchTorchvision()
{
    // The issue's numbers, independent of Python.
    QCOMPARE(EfficientNet(optionsFor("b0", 1000))->parameterCount(), int64_t(5288548));
    QCOMPARE(EfficientNet(optionsFor("b3", 1000))->parameterCount(), int64_t(12233232));
    REQUIRE_TORCHVISION();
    for (const auto& v : variants()) {
        EfficientNet net(optionsFor(v.name, 1000));
        const QJsonObject reference = torchvisionInfo_[QString::fromStdString(v.name)].toObject();
        QCOMPARE(net->parameterCount(), static_cast<int64_t>(reference["params"].toDouble()));
        std::set<std::string> theirs, ours;
        for (const auto& key : reference["keys"].toArray())
            theirs.insert(key.toString().toStdString());
        for (const auto& entry : namedTensorsOf(*net))
            ours.insert(entry.first);
        QVERIFY2(ours == theirs, qPrintable(QString::fromStdString("state_dict names differ for " + v.name)));
    }
}

void EfficientNetTest::importedTorchvisionWeightsGiveTorchvisionLogits_data()
{
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("weights");
    QTest::addColumn<QString>("format");
    QTest::newRow("b0 torch.save state_dict") << "b0" << "b0.pth" << "torch.save state_dict";
    QTest::newRow("b3 TorchScript archive") << "b3" << "b3.pt" << "TorchScript archive";
    // B5-B7 use BatchNorm eps 1e-3 and momentum 0.01.
    QTest::newRow("b5 torch.save state_dict") << "b5" << "b5.pth" << "torch.save state_dict";
}

void EfficientNetTest::importedTorchvisionWeightsGiveTorchvisionLogits()
{
    QFETCH(QString, variant);
    QFETCH(QString, weights);
    QFETCH(QString, format);
    REQUIRE_TORCHVISION();

    EfficientNet net(optionsFor(variant.toStdString(), 1000));
    // These files were made by the test itself: their TorchScript may be trusted.
    const ImportReport report = importTorchvisionWeights(net, file(weights).toStdString(), TorchScriptPolicy::Trust);
    QCOMPARE(QString::fromStdString(report.sourceFormat), format);
    QVERIFY(!report.classifierReplaced);
    QCOMPARE(report.tensorsLoaded, static_cast<int>(namedTensorsOf(*net).size()));

    const auto io = torch::pickle_load([&] {
        const QByteArray bytes = [&] {
            QFile f(file(variant + "_io.pth"));
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        return std::vector<char>(bytes.begin(), bytes.end());
    }());
    net->eval();
    torch::NoGradGuard noGrad;
    const auto logits = net->forward(tensorEntry(io, "input"));
    const double diff = maxAbsDiff(logits, tensorEntry(io, "logits"));
    qInfo("%s: max |logit difference| with torchvision = %.3g", qPrintable(variant), diff);
    QVERIFY2(diff < 1e-4, qPrintable(QString("max abs diff %1").arg(diff)));
    // The BatchNorm counters came along too.
    QCOMPARE(namedTensorsOf(*net).at("features.0.1.num_batches_tracked").item<int64_t>(), int64_t(7));
}

void EfficientNetTest::anImageNetClassifierIsReplacedForFiveClasses()
{
    REQUIRE_TORCHVISION();
    EfficientNet net(optionsFor("b0", 5));
    const auto freshHead = net->classifierParameters().front().clone();
    const ImportReport report = importTorchvisionWeights(net, file("b0.pth").toStdString());
    QVERIFY(report.classifierReplaced);
    QCOMPARE(report.sourceClasses, int64_t(1000));
    QVERIFY(torch::equal(net->classifierParameters().front(), freshHead));
    QVERIFY2(report.summary().find("1000 -> 5 classes") != std::string::npos, report.summary().c_str());

    EfficientNet reference(optionsFor("b0", 1000));
    importTorchvisionWeights(reference, file("b0.pth").toStdString());
    const auto ours = namedTensorsOf(*net);
    QVERIFY(torch::equal(ours.at("features.6.2.block.3.0.weight"),
                         namedTensorsOf(*reference).at("features.6.2.block.3.0.weight")));
}

void EfficientNetTest::wrappedAndDataParallelStateDictsAreAccepted()
{
    torch::manual_seed(1);
    EfficientNet source(optionsFor("b0", 5));
    writeBytes(file("wrapped.pth"), stateDictBytes(*source, "module.", "state_dict"));
    EfficientNet target(optionsFor("b0", 5));
    const ImportReport report = importTorchvisionWeights(target, file("wrapped.pth").toStdString());
    QVERIFY(!report.classifierReplaced);
    QCOMPARE(report.notes.size(), size_t(2));
    QVERIFY(torch::equal(target->classifierParameters().front(), source->classifierParameters().front()));
}

void EfficientNetTest::weightsOfAnotherVariantAreAClearError()
{
    EfficientNet b0(optionsFor("b0", 1000));
    writeBytes(file("b0_as_b3.pth"), stateDictBytes(*b0));
    EfficientNet b3(optionsFor("b3", 5));
    try {
        importTorchvisionWeights(b3, file("b0_as_b3.pth").toStdString());
        QFAIL("b0 weights went into b3");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        QVERIFY2(message.rfind(file("b0_as_b3.pth").toStdString() +
                                   ": holds efficientnet_b0 (1000 classes) weights, not efficientnet_b3; ",
                               0) == 0,
                 e.what());
        QVERIFY2(message.find("missing (") != std::string::npos, e.what());
        QVERIFY2(message.find("features.0.0.weight [32, 3, 3, 3] (expected [40, 3, 3, 3])") != std::string::npos,
                 e.what());
    }
}

void EfficientNetTest::missingAndUnexpectedNamesAreListed()
{
    EfficientNet net(optionsFor("b0", 5));
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto& entry : namedTensorsOf(*net))
        if (entry.first != "features.3.1.block.1.0.weight")
            dict.insert(entry.first, entry.second.detach());
    dict.insert("features.3.1.extra.weight", torch::zeros({3}));
    writeBytes(file("renamed.pth"), torch::pickle_save(dict));
    try {
        importTorchvisionWeights(net, file("renamed.pth").toStdString());
        QFAIL("a state_dict with a missing tensor was accepted");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        QVERIFY2(message.find("1 missing (features.3.1.block.1.0.weight)") != std::string::npos, e.what());
        QVERIFY2(message.find("1 unexpected (features.3.1.extra.weight)") != std::string::npos, e.what());
    }
}

void EfficientNetTest::filesThatAreNoStateDictAreClearErrors()
{
    EfficientNet net(optionsFor("b0", 5));
    const auto expectError = [&](const QString& path, const std::string& fragment) {
        try {
            importTorchvisionWeights(net, path.toStdString());
            QFAIL(qPrintable(path + " was accepted"));
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            QVERIFY2(message.rfind(path.toStdString() + ": ", 0) == 0, e.what());
            QVERIFY2(message.find(fragment) != std::string::npos, e.what());
            QVERIFY2(message.find('\n') == std::string::npos, e.what());
        }
    };
    expectError(file("absent.pth"), "cannot open");
    testsupport::writeText(file("notes.txt"), "hello, these are notes\n");
    expectError(file("notes.txt"), "not a PyTorch archive (a zip file); it starts with 'hello, t'");
    testsupport::writeText(file("legacy.pth"), QByteArray::fromHex("80028a0a6c7afc9c46f9206aa85019"));
    expectError(file("legacy.pth"), "legacy (pre-1.6) format");

    const auto bytes = stateDictBytes(*net);
    writeBytes(file("truncated.pth"), std::vector<char>(bytes.begin(), bytes.begin() + bytes.size() / 2));
    expectError(file("truncated.pth"), "damaged or truncated");

    REQUIRE_TORCHVISION();
    expectError(file("b0_whole_module.pth"), "save model.state_dict() instead");
    // Unless trusted, a TorchScript archive is refused before LibTorch reads it.
    expectError(file("b3.pt"), "a TorchScript archive, which carries code that loading it would run");
}

void EfficientNetTest::theLastFeatureMapIsAvailableForGradCam()
{
    EfficientNet net(optionsFor("b0", 5));
    net->eval();
    const auto images = torch::randn({2, 3, 64, 64});
    auto out = net->forwardWithFeatures(images);
    QCOMPARE(out.featureMap.sizes().vec(), (std::vector<int64_t>{2, 1280, 2, 2}));
    QCOMPARE(out.logits.sizes().vec(), (std::vector<int64_t>{2, 5}));
    QVERIFY(torch::allclose(out.logits, net->forward(images), 1e-5, 1e-6));
    // Grad-CAM: d logit / d feature map.
    out.featureMap.retain_grad();
    out.logits.select(1, 3).sum().backward();
    QVERIFY(out.featureMap.grad().defined());
    QVERIFY(out.featureMap.grad().abs().sum().item<double>() > 0.0);
}

void EfficientNetTest::channelsLastComputesTheSameLogits()
{
    torch::manual_seed(2);
    EfficientNet net(optionsFor("b0", 5));
    net->eval();
    const auto images = torch::randn({2, 3, 64, 64});
    torch::NoGradGuard noGrad;
    const auto contiguous = net->forward(images);
    net->setChannelsLast(true);
    const torch::Tensor stem = namedTensorsOf(*net).at("features.0.0.weight");  // a copy: the map is a temporary
    QVERIFY(stem.is_contiguous(torch::MemoryFormat::ChannelsLast));
    QVERIFY(maxAbsDiff(net->forward(images), contiguous) < 1e-4);
}

void EfficientNetTest::dropoutAndStochasticDepthActOnlyInTraining()
{
    EfficientNetOptions options = optionsFor("b0", 5);
    options.dropout = 0.5;
    options.dropConnect = 0.5;
    EfficientNet net(options);
    const auto images = torch::randn({4, 3, 64, 64});
    torch::NoGradGuard noGrad;
    net->eval();
    QVERIFY(torch::equal(net->forward(images), net->forward(images)));
    net->train();
    QVERIFY(!torch::allclose(net->forward(images), net->forward(images)));
}

void EfficientNetTest::oneTrainingStepLowersTheLossOnItsBatch()
{
    torch::manual_seed(3);
    EfficientNetOptions options = optionsFor("b0", 5);
    options.dropout = 0.0;  // the same function before and after the step
    options.dropConnect = 0.0;
    EfficientNet net(options);
    net->train();
    const auto images = torch::randn({8, 3, 64, 64});
    const auto labels = torch::tensor({0, 1, 2, 3, 4, 0, 1, 2}, torch::kLong);
    const auto stemBefore = namedTensorsOf(*net).at("features.0.0.weight").clone();
    const auto meanBefore = namedTensorsOf(*net).at("features.0.1.running_mean").clone();

    torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
    auto loss = torch::nn::functional::cross_entropy(net->forward(images), labels);
    const double before = loss.item<double>();
    adam.zero_grad();
    loss.backward();
    adam.step();
    const double after = torch::nn::functional::cross_entropy(net->forward(images), labels).item<double>();

    qInfo("loss on the batch: %.4f before the step, %.4f after", before, after);
    QVERIFY(after < before);
    QVERIFY(!torch::equal(namedTensorsOf(*net).at("features.0.0.weight"), stemBefore));
    QVERIFY(!torch::equal(namedTensorsOf(*net).at("features.0.1.running_mean"), meanBefore));
}

void EfficientNetTest::residualBlocksCanStartAsTheIdentity()
{
    EfficientNetOptions options;
    options.variant = "b0";
    options.numClasses = 5;
    EfficientNet net(options);
    std::vector<MBConvImpl*> blocks;
    for (const auto& m : net->modules(false))
        if (auto* b = m->as<MBConvImpl>())
            blocks.push_back(b);
    const auto& plan = net->plan().blocks;
    QCOMPARE(blocks.size(), plan.size());
    int residual = 0;
    for (const auto& b : plan)
        residual += b.hasResidual() ? 1 : 0;
    QCOMPARE(residual, 9);  // B0: the second and later blocks of stages 2-6
    torch::NoGradGuard noGrad;
    net->eval();
    // Before: a residual block changes its input.
    const size_t first = static_cast<size_t>(std::find_if(plan.begin(), plan.end(), [](const BlockPlan& b) {
                                                 return b.hasResidual();
                                             }) - plan.begin());
    const auto before = torch::randn({2, plan[first].inChannels, 8, 8});
    QVERIFY(!torch::equal(blocks[first]->forward(before), before));

    QCOMPARE(net->zeroInitResidualBranches(), residual);
    for (size_t i = 0; i < plan.size(); ++i) {
        const auto x = torch::randn({2, plan[i].inChannels, 8, 8});
        const auto y = blocks[i]->forward(x);
        QVERIFY2(torch::equal(y, x) == plan[i].hasResidual(), qPrintable(QString("block %1").arg(i)));
    }
}

QTEST_GUILESS_MAIN(EfficientNetTest)
#include "test_models_efficientnet.moc"
