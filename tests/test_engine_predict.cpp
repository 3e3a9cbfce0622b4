// Prediction as the agronomist and the submission see it: probabilities that sum to one, TTA views
// that average what the plain model says about flipped photos, fold ensembles that average their
// models (each with its own normalization), per-photo errors, and Grad-CAM that points at what
// decided the class.
#include "TestSupport.h"

#include "Checkpoint.h"
#include "EfficientNet.h"
#include "GradCam.h"
#include "Predictor.h"
#include "RunDir.h"

#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cassava;

namespace {

constexpr int kSize = 64;

void writeModel(const std::string& path, uint64_t seed, double meanShift = 0)
{
    torch::manual_seed(seed);
    EfficientNetOptions options;
    options.numClasses = 5;
    EfficientNet net(options);
    {
        torch::NoGradGuard noGrad;
        // Freshly initialised activations fade to nothing by the last block in evaluation mode:
        // BatchNorm statistics taken from one batch (momentum 1) make the network see its input.
        for (const auto& module : net->modules(false))
            if (auto* bn = module->as<torch::nn::BatchNorm2d>())
                bn->options.momentum(1.0);
        net->train();
        net->forward(torch::rand({8, 3, kSize, kSize}) * 2 - 1);
        // A head with large weights gives confident, input-dependent predictions.
        for (auto& p : net->named_parameters())
            if (p.key().rfind("classifier", 0) == 0)
                p.value().normal_(0, 2.0);
    }
    net->eval();
    CheckpointMetadata m = CheckpointMetadata::forVariant("b0", 5);
    m.inputSize = kSize;
    for (size_t c = 0; c < 3; ++c) {
        m.mean[c] = 0.4 + meanShift * static_cast<double>(c + 1);
        m.stdDev[c] = 0.25 + meanShift;
    }
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
    writeCheckpoint(path, net, m);
}

cv::Mat picture(int w, int h, int seed)
{
    cv::Mat m(h, w, CV_8UC3);
    cv::theRNG().state = static_cast<uint64_t>(seed);
    cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(256));
    cv::GaussianBlur(m, m, cv::Size(5, 5), 0);
    cv::circle(m, cv::Point(w / 3, h / 3), h / 5, cv::Scalar(30, 200, 40), cv::FILLED);
    return m;
}

float maxDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    float d = 0;
    for (size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

}  // namespace

class PredictTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string path(const QString& name) const { return dir_.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        writeModel(path("run/fold_0/best.ckpt"), 1);
        writeModel(path("run/fold_1/best.ckpt"), 2, 0.05);  // another normalization
        // PNG is lossless, so a photo and its mirror image are exact mirrors.
        const cv::Mat a = picture(kSize, kSize, 7);
        cv::Mat mirrored;
        cv::flip(a, mirrored, 1);
        QVERIFY(cv::imwrite(path("a.png"), a));
        QVERIFY(cv::imwrite(path("a-mirrored.png"), mirrored));
        QVERIFY(cv::imwrite(path("b.jpg"), picture(320, 240, 8)));
        QVERIFY(cv::imwrite(path("c.bmp"), picture(200, 300, 9)));
        QVERIFY(cv::imwrite(path("d.webp"), picture(180, 120, 10)));
        testsupport::writeText(dir_.filePath("notes.jpg"), "these are notes, not a photo");
    }

    void probabilitiesSumToOneAndBadPhotosAreErrors()
    {
        const Predictor p = Predictor::fromCheckpoint(path("run/fold_0/best.ckpt"));
        QCOMPARE(p.modelCount(), 1);
        const auto r = p.predict({path("a.png"), path("notes.jpg"), path("b.jpg"), path("c.bmp"), path("absent.png"),
                                  path("d.webp")});
        QCOMPARE(r.size(), size_t(6));
        for (size_t i : {size_t(0), size_t(2), size_t(3), size_t(5)}) {
            QVERIFY2(r[i].ok(), r[i].error.c_str());
            QCOMPARE(r[i].probabilities.size(), size_t(5));
            double sum = 0;
            for (float v : r[i].probabilities) {
                QVERIFY(v >= 0 && v <= 1);
                sum += v;
            }
            QVERIFY(std::abs(sum - 1) < 1e-5);
            QCOMPARE(r[i].predicted, static_cast<int>(std::max_element(r[i].probabilities.begin(), r[i].probabilities.end()) -
                                                      r[i].probabilities.begin()));
        }
        QVERIFY(!r[1].ok() && r[1].error.find("notes.jpg") != std::string::npos);
        QVERIFY(!r[4].ok() && r[4].error.find("absent.png") != std::string::npos);
    }

    void aFlipRunAveragesThePlainAndTheMirroredPhoto()
    {
        const Predictor plain = Predictor::fromCheckpoint(path("run/fold_0/best.ckpt"));
        PredictorOptions o;
        o.views.runs = 2;  // the plain view and the horizontal flip
        const Predictor tta = Predictor::fromCheckpoint(path("run/fold_0/best.ckpt"), o);
        const auto single = plain.predict({path("a.png"), path("a-mirrored.png")});
        const auto both = tta.predict({path("a.png")});
        std::vector<float> expected(5);
        for (size_t c = 0; c < 5; ++c)
            expected[c] = (single[0].probabilities[c] + single[1].probabilities[c]) / 2;
        QVERIFY2(maxDiff(both[0].probabilities, expected) < 1e-4,
                 qPrintable(QString::number(maxDiff(both[0].probabilities, expected))));
        QVERIFY2(maxDiff(single[0].probabilities, single[1].probabilities) > 1e-4,  // the flip mattered
                 qPrintable(QString::number(maxDiff(single[0].probabilities, single[1].probabilities))));
    }

    void aRunAveragesItsFoldModels()
    {
        const std::vector<std::string> photos = {path("a.png"), path("b.jpg"), path("c.bmp")};
        PredictorOptions o;
        o.views.runs = 3;
        o.views.crops = 2;
        o.batch = 5;  // fewer views than a photo has: one photo (6 views) per pass
        const auto f0 = Predictor::fromRun(path("run"), o, {0}).predict(photos);
        const auto f1 = Predictor::fromRun(path("run"), o, {1}).predict(photos);
        const Predictor ensemble = Predictor::fromRun(path("run"), o);
        QCOMPARE(ensemble.modelCount(), 2);
        const auto both = ensemble.predict(photos);
        for (size_t i = 0; i < photos.size(); ++i) {
            std::vector<float> expected(5);
            for (size_t c = 0; c < 5; ++c)
                expected[c] = (f0[i].probabilities[c] + f1[i].probabilities[c]) / 2;
            QVERIFY2(maxDiff(both[i].probabilities, expected) < 1e-4,
                     qPrintable(QString::number(maxDiff(both[i].probabilities, expected))));
        }
        QVERIFY(maxDiff(f0[0].probabilities, f1[0].probabilities) > 1e-3);
    }

    void unusableRunsAreClearErrors()
    {
        try {
            Predictor::fromRun(path("no-such-run"));
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("no-such-run") != std::string::npos);
        }
        try {
            Predictor::fromRun(path("run"), {}, {3});
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY(std::string(e.what()).find("fold 3") != std::string::npos);
        }
    }

    void gradCamPointsAtThePlantedFeature()
    {
        // A toy classifier: channel 0 fires on red, channel 1 on blue; class 0 is "red" and counts
        // blue against it. Grad-CAM of class 0 must light up the red patch and not the blue one.
        torch::manual_seed(0);
        auto image = torch::zeros({1, 3, 32, 32});
        image.index_put_({0, 1}, 0.5);                                        // green field
        image.index_put_({0, 0, torch::indexing::Slice(4, 10), torch::indexing::Slice(20, 28)}, 1.0);  // red patch
        image.index_put_({0, 2, torch::indexing::Slice(20, 28), torch::indexing::Slice(4, 12)}, 1.0);  // blue patch
        torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 2, 1));
        torch::nn::Linear linear(2, 2);
        {
            torch::NoGradGuard noGrad;
            conv->weight.copy_(torch::tensor({1.f, -0.5f, 0.f, 0.f, -0.5f, 1.f}).view({2, 3, 1, 1}));
            conv->bias.zero_();
            linear->weight.copy_(torch::tensor({3.f, -3.f, -1.f, 1.f}).view({2, 2}));
            linear->bias.zero_();
        }
        auto map = torch::relu(conv->forward(image));
        auto score = linear->forward(map.mean({2, 3}))[0][0];
        const auto cam = gradCam(map, score);
        QCOMPARE(cam.size(0), 32);
        QCOMPARE(cam.size(1), 32);
        QCOMPARE(cam.max().item<float>(), 1.0f);
        QVERIFY(cam.index({torch::indexing::Slice(4, 10), torch::indexing::Slice(20, 28)}).min().item<float>() > 0.9f);
        QCOMPARE(cam.index({torch::indexing::Slice(20, 28), torch::indexing::Slice(4, 12)}).max().item<float>(), 0.0f);
        QCOMPARE(cam.index({torch::indexing::Slice(14, 18), torch::indexing::Slice(14, 18)}).max().item<float>(), 0.0f);
    }

    void heatmapsCoverTheWholePhoto()
    {
        const Predictor p = Predictor::fromRun(path("run"));
        const cv::Mat photo = picture(300, 200, 11);
        const cv::Mat heat = p.heatmap(photo, 2);
        QCOMPARE(heat.rows, 200);
        QCOMPARE(heat.cols, 300);
        QCOMPARE(heat.type(), CV_32F);
        double lo = 0, hi = 0;
        cv::minMaxLoc(heat, &lo, &hi);
        QVERIFY(lo >= 0 && hi <= 1);
        const cv::Mat overlay = overlayHeatmap(photo, heat);
        QCOMPARE(overlay.size(), photo.size());
        QCOMPARE(overlay.type(), CV_8UC3);
        QVERIFY(p.heatmap(photo, 7).empty());  // no such class
        // Two classes from one forward pass: the same maps as one at a time.
        const std::vector<cv::Mat> both = p.heatmaps(photo, {2, 4});
        QCOMPARE(both.size(), size_t(2));
        QCOMPARE(cv::norm(both[0], heat, cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(both[1], p.heatmap(photo, 4), cv::NORM_INF) < 1e-6);
        QVERIFY(cv::norm(both[0], both[1], cv::NORM_INF) > 0);
        QVERIFY(p.heatmaps(photo, {2, 7}).empty());
    }
};

QTEST_GUILESS_MAIN(PredictTest)
#include "test_engine_predict.moc"
