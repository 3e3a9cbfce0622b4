// CSV and label-map parsing as users' files arrive: Excel's BOM and CRLF, quoted fields, bad JSON.
#include "TestSupport.h"

#include "Csv.h"
#include "LabelMap.h"

using namespace cassava;

class CsvTest : public QObject {
    Q_OBJECT

    static std::vector<CsvRecord> readAll(const std::string& text, ProblemList* problems = nullptr)
    {
        CsvReader reader(text, "train.csv");
        std::vector<CsvRecord> records;
        CsvRecord r;
        while (reader.next(r))
            records.push_back(r);
        if (problems)
            *problems = reader.problems();
        return records;
    }

private slots:
    void plainRowsWithLineNumbers()
    {
        const auto rows = readAll("image_id,label\n1.jpg,0\n2.jpg,4\n");
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[2].fields, (std::vector<std::string>{"2.jpg", "4"}));
        QCOMPARE(rows[2].line, 3);
    }

    void bomAndCrlfFromASpreadsheet()
    {
        const auto rows = readAll("\xEF\xBB\xBFimage_id,label\r\n1.jpg,0\r\n\r\n2.jpg,3\r\n");
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(rows[0].fields[0], std::string("image_id"));
        QCOMPARE(rows[2].fields, (std::vector<std::string>{"2.jpg", "3"}));
        QCOMPARE(rows[2].line, 4);  // the blank line still counts
    }

    void quotedFieldsWithCommasQuotesAndNewlines()
    {
        const auto rows = readAll("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1");
        QCOMPARE(rows.size(), size_t(4));
        QCOMPARE(rows[1].fields, (std::vector<std::string>{"x, y", "say \"hi\""}));
        QCOMPARE(rows[2].fields, (std::vector<std::string>{"two\nlines", "z"}));
        QCOMPARE(rows[2].line, 3);
        QCOMPARE(rows[3].line, 5);  // after a record spanning two lines
        QCOMPARE(rows[3].fields[1], std::string("1"));  // no trailing newline
    }

    void emptyFieldsAreKept()
    {
        const auto rows = readAll("a,,c\n,\n");
        QCOMPARE(rows[0].fields, (std::vector<std::string>{"a", "", "c"}));
        QCOMPARE(rows[1].fields, (std::vector<std::string>{"", ""}));
    }

    void unterminatedQuoteIsReportedWithItsLine()
    {
        ProblemList problems;
        readAll("image_id,label\n1.jpg,0\n\"2.jpg,1\n3.jpg,2\n", &problems);
        QCOMPARE(problems.size(), size_t(1));
        QCOMPARE(problems[0].file, std::string("train.csv"));
        QCOMPARE(problems[0].line, 3);
        QVERIFY(problems[0].message.find("never closed") != std::string::npos);
    }

    void csvFieldRoundTrips()
    {
        for (std::string value : {"plain", "a,b", "say \"hi\"", "two\nlines", " padded "}) {
            const std::string line = csvField(value) + ",x\n";
            const auto rows = readAll(line);
            QCOMPARE(rows.at(0).fields.at(0), value);
        }
    }

    void tablesFindColumnsByHeaderName()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/decisions.csv").toStdString();
        testsupport::writeText(QString::fromStdString(path), "note,image_id,label\nok,1.jpg,3\n\nshort\n\"bad,2.jpg,1\n");
        ProblemList problems;
        const CsvTable t = readCsvTable(path, {"image_id"}, problems, "decisions.csv");
        QCOMPARE(t.rows.size(), size_t(3));
        QCOMPARE(t.field(t.rows[0], "image_id"), std::string("1.jpg"));
        QCOMPARE(t.field(t.rows[0], "label"), std::string("3"));
        QCOMPARE(t.rows[1].line, 4);
        QCOMPARE(t.field(t.rows[1], "image_id"), std::string());  // a short row
        QCOMPARE(t.field(t.rows[0], "nowhere"), std::string());
        QCOMPARE(problems.size(), size_t(1));  // the quote never closed, named by line
        QCOMPARE(problems[0].file, std::string("decisions.csv"));
        QCOMPARE(problems[0].line, 5);

        testsupport::writeText(QString::fromStdString(path), "id,label\n1.jpg,3\n");
        try {
            readCsvTable(path, {"image_id"}, problems);
            QFAIL("a header without image_id was accepted");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), path + ":1: the header has no image_id column");
        }
        testsupport::writeText(QString::fromStdString(path), "image_id,lbl\n1.jpg,3\n");
        try {
            readCsvTable(path, {"image_id", "label"}, problems);
            QFAIL("a header without label was accepted");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), path + ":1: the header has no label column");
        }
        testsupport::writeText(QString::fromStdString(path), "");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, readCsvTable(path, {"image_id"}, problems));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, readCsvTable(path + ".missing", {"image_id"}, problems));
    }

    void integersAreStrict()
    {
        int v = 0;
        QVERIFY(parseInt("3", v) && v == 3);
        QVERIFY(parseInt(" 4 ", v) && v == 4);
        QVERIFY(parseInt("-1", v) && v == -1);
        QVERIFY(!parseInt("", v));
        QVERIFY(!parseInt("2.0", v));
        QVERIFY(!parseInt("x", v));
        QVERIFY(!parseInt("1e3", v));
        QVERIFY(!parseInt("99999999999", v));
    }

    void labelMapOfTheCompetition()
    {
        ProblemList problems;
        const auto map = LabelMap::parse(
            R"json({"0": "Cassava Bacterial Blight (CBB)", "1": "Cassava Brown Streak Disease (CBSD)", "2": "Cassava Green Mottle (CGM)", "3": "Cassava Mosaic Disease (CMD)", "4": "Healthy"})json",
            "label_num_to_disease_map.json", problems);
        QVERIFY(problems.empty());
        QCOMPARE(map.size(), 5);
        QCOMPARE(map.shortName(3), std::string("CMD"));
        QCOMPARE(map.shortName(4), std::string("Healthy"));
        QCOMPARE(map.names(), LabelMap::standard().names());
        // And it writes back what it read.
        ProblemList again;
        QCOMPARE(LabelMap::parse(map.toJson(), "x.json", again).names(), map.names());
    }

    void labelMapKeysInAnyOrderAndMoreClasses()
    {
        ProblemList problems;
        const auto map = LabelMap::parse(R"({"1": "b", "0": "a", "10": "k", "2": "c", "3": "d", "4": "e",
                                            "5": "f", "6": "g", "7": "h", "8": "i", "9": "j"})",
                                         "m.json", problems);
        QVERIFY(problems.empty());
        QCOMPARE(map.size(), 11);
        QCOMPARE(map.name(10), std::string("k"));
        QCOMPARE(map.name(2), std::string("c"));
    }

    void badLabelMapsAreFatalAndNameTheFile_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("line");
        QTest::newRow("not json") << "{\"0\": \"a\",\n \"1\": }" << "not valid JSON" << 2;
        QTest::newRow("array") << "[\"a\", \"b\"]" << "expected an object" << 0;
        QTest::newRow("key not a number") << "{\"zero\": \"a\"}" << "'zero' is not a label number" << 0;
        QTest::newRow("gap") << "{\"0\": \"a\", \"2\": \"c\"}" << "label 1 is missing" << 0;
        QTest::newRow("name not a string") << "{\"0\": 5}" << "not a non-empty string" << 0;
    }

    void badLabelMapsAreFatalAndNameTheFile()
    {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        QFETCH(int, line);
        ProblemList problems;
        const auto map = LabelMap::parse(json.toStdString(), "label_num_to_disease_map.json", problems);
        QCOMPARE(problems.size(), size_t(1));
        QCOMPARE(problems[0].severity, Problem::Severity::Fatal);
        QCOMPARE(problems[0].file, std::string("label_num_to_disease_map.json"));
        QCOMPARE(problems[0].line, line);
        QVERIFY2(problems[0].message.find(expected.toStdString()) != std::string::npos,
                 problems[0].message.c_str());
        QCOMPARE(map.size(), 5);  // falls back to the standard names so the rest can be checked
    }
};

QTEST_GUILESS_MAIN(CsvTest)
#include "test_core_csv.moc"
