// The numbers a researcher reads after training: schedule values, accuracy, confusion.
#include "TestSupport.h"

#include "CosineSchedule.h"
#include "Metrics.h"

#include <nlohmann/json.hpp>

#include <cmath>

using namespace cassava;

class MetricsTest : public QObject {
    Q_OBJECT

private slots:
    void cosineDecayOfRecipeA()
    {
        // Keras CosineDecay(1e-4, decay_steps=100, alpha=0.3).
        const CosineSchedule s(1e-4, 100, 0.3);
        QVERIFY(std::abs(s.rate(0) - 1e-4) < 1e-12);
        QVERIFY(std::abs(s.rate(50) - 1e-4 * (0.7 * 0.5 + 0.3)) < 1e-12);
        QVERIFY(std::abs(s.rate(100) - 0.3e-4) < 1e-12);
        QVERIFY(std::abs(s.rate(1000) - 0.3e-4) < 1e-12);  // stays on the floor
        QVERIFY(std::abs(s.rate(25) - 1e-4 * (0.7 * 0.5 * (1 + std::cos(M_PI / 4)) + 0.3)) < 1e-12);
        for (int t = 1; t <= 100; ++t)
            QVERIFY(s.rate(t) <= s.rate(t - 1));
    }

    void warmupRisesLinearlyThenDecays()
    {
        const CosineSchedule s(1e-3, 110, 0.0, 10);
        QVERIFY(std::abs(s.rate(0) - 1e-4) < 1e-12);
        QVERIFY(std::abs(s.rate(4) - 5e-4) < 1e-12);
        QVERIFY(std::abs(s.rate(9) - 1e-3) < 1e-12);
        QVERIFY(std::abs(s.rate(10) - 1e-3) < 1e-12);
        QVERIFY(std::abs(s.rate(60) - 0.5e-3) < 1e-12);
        QVERIFY(s.rate(110) < 1e-12);
    }

    void confusionMatrixAccuracies()
    {
        ConfusionMatrix m(3);
        m.add(0, 0, 8);
        m.add(0, 1, 2);
        m.add(1, 1, 5);
        m.add(2, 0, 1);
        m.add(2, 2, 4);
        QCOMPARE(m.total(), int64_t(20));
        QVERIFY(std::abs(m.accuracy() - 17.0 / 20) < 1e-12);
        const auto recall = m.perClassAccuracy();
        QVERIFY(std::abs(recall[0] - 0.8) < 1e-12 && recall[1] == 1.0 && std::abs(recall[2] - 0.8) < 1e-12);
        QVERIFY(std::abs(m.precision()[0] - 8.0 / 9) < 1e-12);
        QVERIFY(std::abs(m.balancedAccuracy() - (0.8 + 1.0 + 0.8) / 3) < 1e-12);
        const auto back = ConfusionMatrix::fromJson(m.toJson());
        QCOMPARE(back.at(2, 0), int64_t(1));
        QCOMPARE(back.total(), m.total());
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, m.add(3, 0));
    }

    void argmaxAndCrossEntropy()
    {
        const std::vector<float> p = {0.1f, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f};
        QCOMPARE(argmaxRows(p, 3), (std::vector<int>{1, 0}));
        const double ce = crossEntropy(p, {1, 2}, 3);
        QVERIFY(std::abs(ce - (-std::log(0.7) - std::log(0.25)) / 2) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(MetricsTest)
#include "test_core_metrics.moc"
