// Our checkpoint file: a round trip keeps weights and metadata; damaged, foreign and wrong-variant
// files are one-line errors that name the file; a failed write leaves the previous file.
#include "Checkpoint.h"
#include "EfficientNet.h"
#include "Random.h"
#include "StateDict.h"
#include "TorchSaveReader.h"
#include "TorchThreads.h"
#include "ZipChecksums.h"

#include "TestSupport.h"

#include <QTemporaryDir>

#include <csignal>
#include <sys/resource.h>

using namespace cassava;

namespace {

std::string bytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

EfficientNet smallNetwork(uint64_t seed)
{
    torch::manual_seed(seed);
    EfficientNetOptions options;
    options.variant = "b0";
    options.numClasses = 5;
    EfficientNet net(options);
    // Make BatchNorm's statistics matter, as after training.
    torch::NoGradGuard noGrad;
    for (auto& entry : namedTensorsOf(*net))
        if (entry.first.find("running_var") != std::string::npos)
            entry.second.uniform_(0.5, 1.5);
    net->eval();
    return net;
}

CheckpointMetadata trainedMetadata()
{
    CheckpointMetadata m = CheckpointMetadata::forVariant("b0", 5);
    m.inputSize = 256;
    m.source = "trained in runs/test";
    m.training = {{"epochs", 3}, {"optimizer", "adam"}, {"lr", 0.001}};
    m.metrics = {{"val_accuracy", 0.875}, {"val_loss", 0.41}};
    return m;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

void writeBytes(const QString& path, const QByteArray& bytes) { testsupport::writeText(path, bytes); }

QByteArray toBytes(const std::vector<char>& bytes)
{
    return QByteArray(bytes.data(), static_cast<int>(bytes.size()));
}

// A file in our format assembled by hand, to make checkpoints that writeCheckpoint refuses to write.
std::vector<char> handMadeCheckpoint(const EfficientNet& net, const std::string& metadataText, int64_t version = 1)
{
    c10::Dict<std::string, torch::Tensor> stateDict;
    for (const auto& entry : namedTensorsOf(*net))
        stateDict.insert(entry.first, entry.second.detach());
    c10::impl::GenericDict file(c10::StringType::get(), c10::AnyType::get());
    file.insert("format", std::string(kCheckpointFormat));
    file.insert("format_version", version);
    file.insert("metadata", metadataText);
    file.insert("state_dict", stateDict);
    return torch::pickle_save(file);
}

QStringList leftoverTemporaries(const QString& folder)
{
    return QDir(folder).entryList({"*.tmp-*"}, QDir::Files);
}

}  // namespace

class CheckpointTest : public QObject {
    Q_OBJECT

private slots:
    // Found by fuzz/fuzz_zip under UBSan: an entry name longer than 8 bytes was bounds-checked by
    // reading it as a little-endian number (a shift past 64 bits). The reproducer is a valid zip.
    void fuzzRegressionsOfTheZipWalk()
    {
        const auto inputs = testsupport::fuzzRegressionInputs("zip");
        for (const auto& input : inputs) {
            try {
                cassava::verifyZipChecksums(input.second.toStdString());
            } catch (const std::runtime_error& e) {
                QVERIFY2(std::string(e.what()).find("damaged") != std::string::npos, e.what());
            }
        }
        QVERIFY(inputs.size() >= 1);
        // A name that runs past the end of the file is refused, not read.
        std::string cut(bytes(QStringLiteral(CASSAVA_SOURCE_DIR "/fuzz/regressions/zip/name-length-shift.zip")));
        cut.resize(cut.size() - 30);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, cassava::verifyZipChecksums(cut));
    }

    void initTestCase()
    {
        // One thread: these networks are tiny, and OpenMP's spinning threads stall badly when the
        // cores are shared (ctest -j, other builds); see BENCHMARKS.md.
        configureTorchThreads(1);
        QVERIFY(dir_.isValid());
    }
    void aRoundTripKeepsWeightsAndMetadata();
    void aCheckpointLoadsInChannelsLastToo();
    void aTruncatedFileIsAClearError();
    void aDamagedFileIsAClearError();
    void foreignFilesAreClearErrors();
    void aCheckpointOfAnotherVariantIsAClearError();
    void badMetadataIsAClearError();
    void metadataThatDoesNotDescribeTheNetworkIsRefused();
    void randomDamageIsAnErrorNeverACrash();
    void aFailedWriteLeavesThePreviousFile();
    void aWriteIntoAMissingFolderOrOntoAFolderFails();

private:
    QTemporaryDir dir_;
    QString file(const QString& name) const { return dir_.filePath(name); }

    // Asserts that loading `path` fails with a one-line message starting with the path and
    // containing `fragment`.
    void expectLoadError(const QString& path, const std::string& fragment, const CheckpointLoadOptions& options = {})
    {
        try {
            loadCheckpoint(path.toStdString(), nullptr, options);
            QFAIL(qPrintable(path + " loaded"));
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            QVERIFY2(message.rfind(path.toStdString() + ": ", 0) == 0, e.what());
            QVERIFY2(message.find(fragment) != std::string::npos, e.what());
            QVERIFY2(message.find('\n') == std::string::npos, e.what());
        }
    }
};

void CheckpointTest::aRoundTripKeepsWeightsAndMetadata()
{
    EfficientNet net = smallNetwork(1);
    writeCheckpoint(file("model.ckpt").toStdString(), net, trainedMetadata());

    const CheckpointMetadata m = readCheckpointMetadata(file("model.ckpt").toStdString());
    QCOMPARE(m.variant, std::string("b0"));
    QCOMPARE(m.numClasses, 5);
    QCOMPARE(m.inputSize, 256);
    QCOMPARE(m.mean[1], 0.456);
    QCOMPARE(m.stdDev[2], 0.225);
    QCOMPARE(m.classNames.size(), size_t(5));
    QCOMPARE(m.classNames[3], std::string("Cassava Mosaic Disease (CMD)"));
    QCOMPARE(m.training["optimizer"].get<std::string>(), std::string("adam"));
    QCOMPARE(m.metrics["val_accuracy"].get<double>(), 0.875);
    QCOMPARE(m.source, std::string("trained in runs/test"));
    QVERIFY(!m.createdAt.empty());

    CheckpointMetadata loadedMetadata;
    EfficientNet loaded = loadCheckpoint(file("model.ckpt").toStdString(), &loadedMetadata);
    QVERIFY(loadedMetadata.toJson() == m.toJson());
    QVERIFY(!loaded->is_training());
    const auto images = torch::randn({2, 3, 64, 64});
    torch::NoGradGuard noGrad;
    QVERIFY(torch::equal(loaded->forward(images), net->forward(images)));
    QVERIFY(leftoverTemporaries(dir_.path()).isEmpty());
}

void CheckpointTest::aCheckpointLoadsInChannelsLastToo()
{
    EfficientNet net = smallNetwork(2);
    writeCheckpoint(file("model.ckpt").toStdString(), net, CheckpointMetadata::forVariant("b0", 5));
    CheckpointLoadOptions options;
    options.channelsLast = true;
    EfficientNet loaded = loadCheckpoint(file("model.ckpt").toStdString(), nullptr, options);
    QVERIFY(loaded->options().channelsLast);
    const auto images = torch::randn({2, 3, 64, 64});
    torch::NoGradGuard noGrad;
    QVERIFY((loaded->forward(images) - net->forward(images)).abs().max().item<double>() < 1e-4);
}

void CheckpointTest::aTruncatedFileIsAClearError()
{
    writeCheckpoint(file("model.ckpt").toStdString(), smallNetwork(3), CheckpointMetadata::forVariant("b0", 5));
    const QByteArray bytes = readAll(file("model.ckpt"));
    for (const double fraction : {0.0, 0.001, 0.5, 0.999}) {
        writeBytes(file("cut.ckpt"), bytes.left(static_cast<int>(bytes.size() * fraction)));
        expectLoadError(file("cut.ckpt"), fraction == 0.0 ? "the file is empty" : "damaged or truncated");
    }
}

void CheckpointTest::aDamagedFileIsAClearError()
{
    writeCheckpoint(file("model.ckpt").toStdString(), smallNetwork(4), CheckpointMetadata::forVariant("b0", 5));
    QByteArray bytes = readAll(file("model.ckpt"));
    // Flip bits in the middle of the weights: the zip's CRC-32 must notice.
    for (int i = 0; i < 16; ++i)
        bytes[bytes.size() / 2 + i] = static_cast<char>(bytes[bytes.size() / 2 + i] ^ 0x5a);
    writeBytes(file("damaged.ckpt"), bytes);
    expectLoadError(file("damaged.ckpt"), "damaged: the checksum of entry");
    // And in the pickled structure.
    bytes = readAll(file("model.ckpt"));
    const int pickle = bytes.indexOf("format_version");
    QVERIFY(pickle > 0);
    for (int i = 0; i < 4; ++i)
        bytes[pickle + i] = static_cast<char>(bytes[pickle + i] ^ 0x33);
    writeBytes(file("damaged2.ckpt"), bytes);
    expectLoadError(file("damaged2.ckpt"), "damaged: the checksum of entry");
}

void CheckpointTest::foreignFilesAreClearErrors()
{
    expectLoadError(file("absent.ckpt"), "cannot open");
    writeBytes(file("photo.ckpt"), QByteArray::fromHex("ffd8ffe000104a464946"));
    expectLoadError(file("photo.ckpt"), "not a PyTorch archive");

    // A torchvision-style state_dict is not a checkpoint, and the message says what to do.
    c10::Dict<std::string, torch::Tensor> stateDict;
    for (const auto& entry : namedTensorsOf(*smallNetwork(5)))
        stateDict.insert(entry.first, entry.second.detach());
    writeBytes(file("weights.pth"), toBytes(torch::pickle_save(stateDict)));
    expectLoadError(file("weights.pth"), "a plain state_dict, not a Cassava checkpoint; convert it with "
                                         "'cassava import-weights'");

    c10::impl::GenericDict other(c10::StringType::get(), c10::AnyType::get());
    other.insert("format", std::string("something-else"));
    writeBytes(file("other.ckpt"), toBytes(torch::pickle_save(other)));
    expectLoadError(file("other.ckpt"), "not a Cassava checkpoint");
}

void CheckpointTest::aCheckpointOfAnotherVariantIsAClearError()
{
    EfficientNet net = smallNetwork(6);
    writeCheckpoint(file("b0.ckpt").toStdString(), net, CheckpointMetadata::forVariant("b0", 5));
    CheckpointLoadOptions options;
    options.expectedVariant = "b3";
    expectLoadError(file("b0.ckpt"), "holds an EfficientNet-b0, not the b3 that was asked for", options);

    // Metadata that claims b3 over b0 tensors.
    auto metadata = CheckpointMetadata::forVariant("b3", 5).toJson().dump();
    writeBytes(file("lying.ckpt"), toBytes(handMadeCheckpoint(net, metadata)));
    expectLoadError(file("lying.ckpt"), "holds efficientnet_b0 (5 classes) weights, not efficientnet_b3");
}

void CheckpointTest::badMetadataIsAClearError()
{
    EfficientNet net = smallNetwork(7);
    writeBytes(file("notjson.ckpt"), toBytes(handMadeCheckpoint(net, "{\"variant\": \"b0\", ")));
    expectLoadError(file("notjson.ckpt"), "damaged Cassava checkpoint (metadata is not JSON");

    auto json = CheckpointMetadata::forVariant("b0", 5).toJson();
    json["variant"] = "b8";
    writeBytes(file("b8.ckpt"), toBytes(handMadeCheckpoint(net, json.dump())));
    expectLoadError(file("b8.ckpt"), "metadata field 'variant': 'b8' is not one of b0, b1");

    json = CheckpointMetadata::forVariant("b0", 5).toJson();
    json["class_names"] = {"a", "b"};
    writeBytes(file("names.ckpt"), toBytes(handMadeCheckpoint(net, json.dump())));
    expectLoadError(file("names.ckpt"), "metadata field 'class_names': 2 names for 5 classes");

    // Found by fuzz_checkpoint under UBSan: a count too large for any integer type is parsed as a
    // double, and converting 2.2e22 to int is undefined behaviour. Now each is a clear error.
    const std::string base = CheckpointMetadata::forVariant("b0", 5).toJson().dump();
    for (const char* number : {"22222222222222222222225", "2.5", "-3e9", "4294967301"}) {
        std::string text = base;
        const auto at = text.find("\"num_classes\":5");
        QVERIFY(at != std::string::npos);
        text.replace(at, 15, std::string("\"num_classes\":") + number);
        writeBytes(file("huge.ckpt"), toBytes(handMadeCheckpoint(net, text)));
        expectLoadError(file("huge.ckpt"), "metadata field 'num_classes': is not a whole number that fits");
    }

    writeBytes(file("future.ckpt"), toBytes(handMadeCheckpoint(net, CheckpointMetadata::forVariant("b0", 5).toJson().dump(), 7)));
    expectLoadError(file("future.ckpt"), "written by a newer Cassava Studio (checkpoint format 7");
}

void CheckpointTest::metadataThatDoesNotDescribeTheNetworkIsRefused()
{
    EfficientNet net = smallNetwork(8);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             writeCheckpoint(file("x.ckpt").toStdString(), net, CheckpointMetadata::forVariant("b1", 5)));
    auto metadata = CheckpointMetadata::forVariant("b0", 5);
    metadata.classNames.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeCheckpoint(file("x.ckpt").toStdString(), net, metadata));
    QVERIFY(!QFile::exists(file("x.ckpt")));
}

void CheckpointTest::randomDamageIsAnErrorNeverACrash()
{
    c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
    dict.insert("weight", torch::randn({4, 3}));
    dict.insert("steps", torch::arange(5));
    dict.insert("note", std::string("x"));
    dict.insert("sizes", c10::List<int64_t>({1, 2, 3}));
    const auto saved = torch::pickle_save(dict);
    const std::string intact(saved.begin(), saved.end());
    QVERIFY(readTorchSaveArchive(intact).isGenericDict());

    Random random(42);
    int rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string bytes = intact;
        const int flips = static_cast<int>(random.uniformInt(1, 4));
        for (int k = 0; k < flips; ++k) {
            const auto at = static_cast<size_t>(random.uniformInt(0, static_cast<int64_t>(bytes.size()) - 1));
            bytes[at] = static_cast<char>(random.uniformInt(0, 255));
        }
        if (i % 4 == 0)
            bytes.resize(static_cast<size_t>(random.uniformInt(0, static_cast<int64_t>(bytes.size()))));
        // With the checksums (as files are read) and without them (the pickle interpreter alone).
        try {
            readPickleFile("fuzz.pth", bytes);
        } catch (const std::exception&) {
            ++rejected;
        }
        try {
            readTorchSaveArchive(bytes);
        } catch (const std::exception&) {
        }
    }
    QVERIFY(rejected > 2500);
}

void CheckpointTest::aFailedWriteLeavesThePreviousFile()
{
    writeCheckpoint(file("model.ckpt").toStdString(), smallNetwork(9), CheckpointMetadata::forVariant("b0", 5));
    const QByteArray before = readAll(file("model.ckpt"));

    // A disk that fills up half way: the process may not write files larger than 1 MB (tests run as
    // root, so permissions cannot make a write fail; the file size limit applies to root too).
    struct rlimit saved {};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved;
    small.rlim_cur = 1 << 20;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string error;
    try {
        writeCheckpoint(file("model.ckpt").toStdString(), smallNetwork(10), CheckpointMetadata::forVariant("b0", 5));
    } catch (const std::runtime_error& e) {
        error = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY2(error.rfind(file("model.ckpt").toStdString() + ": cannot write", 0) == 0, error.c_str());
    QCOMPARE(readAll(file("model.ckpt")), before);
    QVERIFY(leftoverTemporaries(dir_.path()).isEmpty());
    QCOMPARE(readCheckpointMetadata(file("model.ckpt").toStdString()).variant, std::string("b0"));
}

void CheckpointTest::aWriteIntoAMissingFolderOrOntoAFolderFails()
{
    EfficientNet net = smallNetwork(11);
    const auto metadata = CheckpointMetadata::forVariant("b0", 5);
    const QString missing = file("no/such/folder/model.ckpt");
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeCheckpoint(missing.toStdString(), net, metadata));
    QVERIFY(QDir().mkpath(file("a_folder")));
    try {
        writeCheckpoint(file("a_folder").toStdString(), net, metadata);
        QFAIL("wrote over a folder");
    } catch (const std::runtime_error& e) {
        QVERIFY2(std::string(e.what()).rfind(file("a_folder").toStdString() + ": cannot replace", 0) == 0, e.what());
    }
    QVERIFY(QFileInfo(file("a_folder")).isDir());
    QVERIFY(leftoverTemporaries(dir_.path()).isEmpty());
}

QTEST_GUILESS_MAIN(CheckpointTest)
#include "test_models_checkpoint.moc"
