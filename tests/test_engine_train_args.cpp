// The command line of `cassava train` both ways: any configuration, written as arguments by
// trainCommandLine() and read back by the CLI's own parser, is the same configuration. The
// wizard's summary relies on it; so does a researcher who copies the line into a terminal.
#include "TestSupport.h"

#include "StepTiming.h"
#include "TrainArgs.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>

using namespace cassava;

namespace {

TrainConfig readBack(const std::vector<std::string>& line) { return trainConfigFromCommandLine(line); }

std::string joined(const std::vector<std::string>& line) { return shellCommand("cassava", line); }

// Every field away from its default and from every preset.
TrainConfig everythingChanged()
{
    TrainConfig c;
    c.data = "/data/my cassava";
    c.out = "/runs/it's mine";
    c.exclude = "/review/suspects.csv";
    c.relabel = "/review/decisions.csv";
    c.limit = 123;
    c.model = "b2";
    c.size = 260;
    c.weights = "imagenet";
    c.dropConnect = 0.15;
    c.dropout = 0.33;
    c.channelsLast = true;
    c.zeroInitResidual = true;
    c.folds = 3;
    c.valSplit = 0.1 + 0.2;  // 0.30000000000000004: needs all 17 digits
    c.runFolds = {0, 2};
    c.epochs = 13;
    c.batch = 7;
    c.optimizer = "adamw";
    c.lr = 3.3e-4;
    c.alpha = 1.0 / 3.0;
    c.warmupEpochs = 0.5;
    c.weightDecay = 1e-5;
    c.labelSmoothing = 0.1;
    c.balanceClasses = true;
    c.gradClip = 2.5;
    c.selectBy = "val_accuracy";
    c.earlyStopping = 4;
    c.bnCalibrationImages = 77;
    c.device = "cpu";
    c.amp = "bf16";
    c.threads = 3;
    c.workers = 5;
    c.cacheMb = 999;
    c.augment.crop = AugmentOptions::Crop::Full;
    c.augment.cropFraction = 0.7;
    c.augment.minArea = 0.45;
    c.augment.maxArea = 0.95;
    c.augment.flipHorizontal = false;
    c.augment.flipVertical = true;
    c.augment.rotationTurns = 0.125;
    c.augment.zoomMin = -0.3;
    c.augment.zoomMax = 0.1;
    c.augment.contrast = 0.05;
    c.augment.size = c.size;
    c.adaptNormalization = false;
    c.seed = 18446744073709551615ull;  // the largest seed
    c.logEverySteps = 3;
    return c;
}

}  // namespace

class EngineTrainArgsTest : public QObject {
    Q_OBJECT

private slots:
    void everyPresetReadsBackAsItself()
    {
        for (const auto& name : TrainConfig::presetNames()) {
            TrainConfig c = TrainConfig::preset(name);
            c.data = "/d";
            c.out = "/r";
            for (const std::string& start : {std::string(), name, std::string("quick")}) {
                const auto line = trainCommandLine(c, start);
                QCOMPARE(QString::fromStdString(readBack(line).toJson().dump()),
                         QString::fromStdString(c.toJson().dump()));
            }
            // Chosen freely, a preset's configuration is written as that preset and nothing else.
            const auto line = trainCommandLine(c);
            const std::vector<std::string> expected{"train", "--data", "/d", "--out", "/r", "--preset", name};
            QCOMPARE(QString::fromStdString(joined(line)), QString::fromStdString(joined(expected)));
        }
    }

    void aConfigWithEveryFieldChangedReadsBackAsItself()
    {
        const TrainConfig c = everythingChanged();
        // Every field differs from the defaults: nothing is left to chance.
        const nlohmann::json a = c.toJson(), d = TrainConfig{}.toJson();
        for (const auto& [key, value] : d.items()) {
            if (key == "augment") {
                for (const auto& [k, v] : value.items())
                    if (k != "flip_horizontal")  // flips are one flag; flip_vertical is the default
                        QVERIFY2(a["augment"][k] != v || k == "flip_vertical", k.c_str());
                continue;
            }
            QVERIFY2(a[key] != value, key.c_str());
        }
        for (const std::string& start : {std::string(), std::string("quick"), std::string("recipe-a"),
                                         std::string("recipe-b")}) {
            const auto line = trainCommandLine(c, start);
            QCOMPARE(QString::fromStdString(readBack(line).toJson().dump()), QString::fromStdString(a.dump()));
        }
        const std::string shown = joined(trainCommandLine(c));
        QVERIFY2(shown.find("'/data/my cassava'") != std::string::npos, shown.c_str());
        QVERIFY2(shown.find("'/runs/it'\\''s mine'") != std::string::npos, shown.c_str());
        QVERIFY2(shown.find("--val-split 0.30000000000000004") != std::string::npos, shown.c_str());
    }

    // A config.json edited by hand (or given with --config): whole-number settings take whole
    // numbers that fit; 1e30 used to convert a double beyond int's range (undefined behaviour).
    void wholeNumberSettingsRefuseWhatDoesNotFit()
    {
        nlohmann::json j = TrainConfig{}.toJson();
        j["epochs"] = 12.0;  // a float without a fraction is a whole number
        QCOMPARE(TrainConfig::fromJson(j).epochs, 12);
        for (const nlohmann::json& bad : {nlohmann::json(1e30), nlohmann::json(2.5), nlohmann::json(-3e9),
                                          nlohmann::json(int64_t{1} << 40), nlohmann::json("12")}) {
            j["epochs"] = bad;
            try {
                TrainConfig::fromJson(j);
                QFAIL(qPrintable(QString::fromStdString("accepted epochs " + bad.dump())));
            } catch (const std::invalid_argument& e) {
                QVERIFY2(std::string(e.what()).find("setting 'epochs'") != std::string::npos, e.what());
            }
        }
    }

    void aHoldOutAndEachSwitchReadBack()
    {
        TrainConfig c;
        c.data = "d";
        c.out = "o";
        c.folds = 0;
        c.valSplit = 0.25;
        c.augment = AugmentOptions::none(c.size);
        for (const auto& line : {trainCommandLine(c), trainCommandLine(c, "recipe-b")})
            QCOMPARE(QString::fromStdString(readBack(line).toJson().dump()), QString::fromStdString(c.toJson().dump()));
        // Folds 1 is a hold-out too, but a different configuration.
        c.folds = 1;
        QCOMPARE(readBack(trainCommandLine(c)).folds, 1);
        // The quick preset's NHWC switched off.
        TrainConfig q = TrainConfig::preset("quick");
        q.channelsLast = false;
        const auto line = trainCommandLine(q, "quick");
        QVERIFY(std::find(line.begin(), line.end(), "--no-channels-last") != line.end());
        QCOMPARE(readBack(line).channelsLast, false);
    }

    void badValuesNameTheFlag()
    {
        const auto message = [](const std::vector<std::string>& line) -> std::string {
            try {
                readBack(line);
            } catch (const TrainArgsError& e) {
                return e.what();
            }
            return "no error";
        };
        QVERIFY(message({"train", "--epochs", "x"}).find("--epochs") != std::string::npos);
        QVERIFY(message({"train", "--flips", "sideways"}).find("--flips") != std::string::npos);
        QVERIFY(message({"train", "--crop", "oval"}).find("--crop") != std::string::npos);
        QVERIFY(message({"train", "--seed", "-3"}).find("--seed") != std::string::npos);
        QVERIFY(message({"train", "--balance", "--no-balance"}).find("contradict") != std::string::npos);
        QVERIFY(message({"train", "--bogus"}).find("--bogus") != std::string::npos);
        // A --config that is not there names the file.
        try {
            readBack({"train", "--config", "/no/such/config.json"});
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("/no/such/config.json") != std::string::npos);
        }
    }

    void aConfigFileThenFlags()
    {
        QTemporaryDir dir;
        TrainConfig file = everythingChanged();
        testsupport::writeText(dir.filePath("config.json"), QByteArray::fromStdString(file.toJson().dump()));
        const TrainConfig c = readBack({"train", "--config", dir.filePath("config.json").toStdString(), "--epochs", "2"});
        file.epochs = 2;
        QCOMPARE(QString::fromStdString(c.toJson().dump()), QString::fromStdString(file.toJson().dump()));
    }

    void parameterCountsFromTheTablesMatchBuiltNetworks()
    {
        // B0 with ImageNet's head is torchvision's published 5,288,548.
        QCOMPARE(efficientNetParameterCount("b0", 1000), int64_t{5288548});
        for (const char* v : {"b0", "b3", "b5"})
            QCOMPARE(efficientNetParameterCount(v, 5), builtEfficientNetParameterCount(v, 5));
        QVERIFY(efficientNetParameterCount("b7", 5) > efficientNetParameterCount("b6", 5));
    }

    void aMeasuredStepTakesTime()
    {
        TrainConfig c;
        c.size = 64;
        c.batch = 4;
        c.device = "cpu";
        const StepTiming t = measureTrainingStep(c, 5, 2);
        QCOMPARE(t.steps, 2);
        QVERIFY(t.secondsPerStep > 0);
        QVERIFY(!t.device.empty());
        std::atomic<bool> cancel{true};
        QVERIFY(measureTrainingStep(c, 5, 2, &cancel).cancelled);
    }
};

QTEST_GUILESS_MAIN(EngineTrainArgsTest)
#include "test_engine_train_args.moc"
