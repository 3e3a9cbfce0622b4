#pragma once
// RFC 4180 CSV as Kaggle and spreadsheets write it: UTF-8 BOM, CRLF or LF, quoted fields with
// doubled quotes and embedded commas or newlines. Each record remembers the line it starts on.
#include "Problem.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cassava {

struct CsvRecord {
    std::vector<std::string> fields;
    int line = 0;  // 1-based line where the record starts
};

class CsvReader {
public:
    // `text` must outlive the reader. `fileName` names the file in problems.
    CsvReader(std::string_view text, std::string fileName);

    // Reads the next non-blank record; false at the end. A malformed record (an unterminated
    // quote, text after a closing quote) is reported in problems() and still returned as parsed.
    bool next(CsvRecord& record);

    const ProblemList& problems() const { return problems_; }

private:
    std::string_view text_;
    std::string fileName_;
    size_t pos_ = 0;
    int line_ = 1;
    ProblemList problems_;
};

// A whole CSV file with a header naming its columns, e.g. suspects.csv, decisions.csv or
// sample_submission.csv. Rows keep the line they start on.
struct CsvTable {
    std::vector<CsvRecord> rows;
    std::unordered_map<std::string, size_t> column;  // header name -> field index

    // The field of `row` in column `name`; empty when the row is short or the column absent.
    std::string field(const CsvRecord& row, const std::string& name) const;
};

// Reads `path`. Throws std::runtime_error naming the path (and line) when it cannot be read, is
// empty or its header lacks one of `requiredColumns` (the first missing is named); malformed
// records are appended to `problems` (naming the file as `displayName`, or the path when empty)
// and kept as parsed.
CsvTable readCsvTable(const std::string& path, const std::vector<std::string>& requiredColumns, ProblemList& problems,
                      const std::string& displayName = {});

// Quotes a field when it needs it (comma, quote, newline, leading/trailing space).
std::string csvField(std::string_view value);

// Parses a whole decimal integer with optional surrounding blanks; false on anything else.
bool parseInt(std::string_view text, int& value);

}  // namespace cassava
