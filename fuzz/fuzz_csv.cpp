// The CSV reader (every CSV the app reads goes through it) and the header check of readCsvTable.
#include "FuzzSupport.h"

#include "Csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text = fuzzsupport::view(data, size);
    cassava::CsvReader reader(text, "train.csv");
    cassava::CsvRecord record;
    int line = 0;
    while (reader.next(record)) {
        if (record.line < line)  // lines only move forward
            __builtin_trap();
        line = record.line;
    }
    const std::string path = fuzzsupport::scratch() + "/table.csv";
    fuzzsupport::writeFile(path, text);
    cassava::ProblemList problems;
    try {
        const cassava::CsvTable table = cassava::readCsvTable(path, {"image_id", "label"}, problems);
        for (const auto& row : table.rows)
            (void)table.field(row, "label");
    } catch (const std::exception&) {
        // a missing column or unreadable file is an exception with a message: fine
    }
    int value = 0;
    (void)cassava::parseInt(text.substr(0, 16), value);
    return 0;
}
