// The OpenMP wait policy chosen before LibTorch loads: spin longer only when nothing else runs.
#include "TestSupport.h"

#include "OpenMpWaitPolicy.h"

using namespace cassava;

class ThreadsTest : public QObject {
    Q_OBJECT

private slots:
    void runnableCountFromLoadavg()
    {
        QCOMPARE(runnableTasks("0.12 0.30 0.41 1/123 4567\n"), 1);
        QCOMPARE(runnableTasks("2.00 1.50 1.00 3/456 789"), 3);
        QCOMPARE(runnableTasks(""), -1);
        QCOMPARE(runnableTasks("0.1 0.2 0.3"), -1);
        QCOMPARE(runnableTasks("0.1 0.2 0.3 x/12 5"), -1);
        QCOMPARE(runnableTasks("0.1 0.2 0.3 /12 5"), -1);
    }

    void spinsLongerOnlyWhenTheMachineIsIdle()
    {
        const OpenMpWaitPolicy idle = chooseOpenMpWaitPolicy({1, 1, 2, 1, 1});  // a passing blip
        QVERIFY(idle.idle);
        QCOMPARE(idle.waitPolicy, std::string("ACTIVE"));
        QCOMPARE(idle.spinCount, std::string("10000"));

        const OpenMpWaitPolicy busy = chooseOpenMpWaitPolicy({2, 3, 2, 1, 2});  // another job runs
        QVERIFY(!busy.idle);
        QCOMPARE(busy.spinCount, std::string("1000"));

        // Nothing known (no /proc): the safe choice.
        QCOMPARE(chooseOpenMpWaitPolicy({-1, -1}).spinCount, std::string("1000"));
        QCOMPARE(chooseOpenMpWaitPolicy({}).spinCount, std::string("1000"));
    }

    void theUsersChoiceWins()
    {
        qputenv("GOMP_SPINCOUNT", "777");
        QVERIFY(openMpEnvironmentToSet().empty());
        qunsetenv("GOMP_SPINCOUNT");
        qputenv("OMP_WAIT_POLICY", "PASSIVE");
        QVERIFY(openMpEnvironmentToSet().empty());
        qunsetenv("OMP_WAIT_POLICY");
        const auto env = openMpEnvironmentToSet();
        QCOMPARE(env.size(), size_t(2));
        QCOMPARE(env[0].first, std::string("OMP_WAIT_POLICY"));
        QCOMPARE(env[1].first, std::string("GOMP_SPINCOUNT"));
        QVERIFY(env[1].second == "1000" || env[1].second == "10000");
    }
};

QTEST_GUILESS_MAIN(ThreadsTest)
#include "test_core_threads.moc"
