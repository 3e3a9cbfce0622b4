#pragma once
// RFC 4180 CSV as Kaggle and spreadsheets write it: UTF-8 BOM, CRLF or LF, quoted fields with
// doubled quotes and embedded commas or newlines. Each record remembers the line it starts on.
#include "Problem.h"

#include <string>
#include <string_view>
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

// Quotes a field when it needs it (comma, quote, newline, leading/trailing space).
std::string csvField(std::string_view value);

// Parses a whole decimal integer with optional surrounding blanks; false on anything else.
bool parseInt(std::string_view text, int& value);

}  // namespace cassava
