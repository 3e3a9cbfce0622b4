#include "Csv.h"

#include "AtomicFile.h"

#include <charconv>
#include <stdexcept>

namespace cassava {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

}  // namespace

CsvReader::CsvReader(std::string_view text, std::string fileName)
    : text_(text), fileName_(std::move(fileName))
{
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0)
        pos_ = 3;
}

bool CsvReader::next(CsvRecord& record)
{
    record.fields.clear();
    const size_t n = text_.size();

    // Skip blank lines between records.
    while (pos_ < n) {
        const char c = text_[pos_];
        if (c == '\n') {
            ++line_;
            ++pos_;
        } else if (c == '\r') {
            ++pos_;
            if (pos_ < n && text_[pos_] == '\n')
                ++pos_;
            ++line_;
        } else {
            size_t p = pos_;
            while (p < n && isBlank(text_[p]))
                ++p;
            if (p < n && text_[p] != '\n' && text_[p] != '\r')
                break;
            pos_ = p;
        }
    }
    if (pos_ >= n)
        return false;

    record.line = line_;
    for (;;) {
        // One field.
        size_t p = pos_;
        while (p < n && isBlank(text_[p]))
            ++p;
        if (p < n && text_[p] == '"') {
            std::string value;
            ++p;
            bool closed = false;
            while (p < n) {
                const size_t quote = text_.find('"', p);
                const size_t end = quote == std::string_view::npos ? n : quote;
                for (size_t i = p; i < end; ++i)
                    if (text_[i] == '\n' || (text_[i] == '\r' && (i + 1 >= n || text_[i + 1] != '\n')))
                        ++line_;
                value.append(text_.substr(p, end - p));
                if (quote == std::string_view::npos) {
                    p = n;
                    break;
                }
                if (quote + 1 < n && text_[quote + 1] == '"') {
                    value += '"';
                    p = quote + 2;
                    continue;
                }
                p = quote + 1;
                closed = true;
                break;
            }
            if (!closed) {
                problems_.push_back({Problem::Severity::Error, fileName_, record.line,
                                     "a quoted field is never closed"});
            }
            while (p < n && isBlank(text_[p]))
                ++p;
            if (p < n && text_[p] != ',' && text_[p] != '\n' && text_[p] != '\r') {
                problems_.push_back({Problem::Severity::Error, fileName_, line_,
                                     "unexpected text after a closing quote"});
                while (p < n && text_[p] != ',' && text_[p] != '\n' && text_[p] != '\r')
                    value += text_[p++];
            }
            record.fields.push_back(std::move(value));
        } else {
            size_t end = p;
            while (end < n && text_[end] != ',' && text_[end] != '\n' && text_[end] != '\r')
                ++end;
            record.fields.emplace_back(trimmed(text_.substr(pos_, end - pos_)));
            p = end;
        }

        // What ends the field.
        if (p >= n) {
            pos_ = n;
            return true;
        }
        if (text_[p] == ',') {
            pos_ = p + 1;
            continue;
        }
        // End of record: LF, CRLF or a lone CR.
        if (text_[p] == '\r' && p + 1 < n && text_[p + 1] == '\n')
            ++p;
        pos_ = p + 1;
        ++line_;
        return true;
    }
}

std::string csvField(std::string_view value)
{
    const bool needsQuotes = value.find_first_of(",\"\r\n") != std::string_view::npos ||
                             (!value.empty() && (isBlank(value.front()) || isBlank(value.back())));
    if (!needsQuotes)
        return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

bool parseInt(std::string_view text, int& value)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
}

std::string CsvTable::field(const CsvRecord& row, const std::string& name) const
{
    const auto it = column.find(name);
    return it != column.end() && it->second < row.fields.size() ? row.fields[it->second] : std::string();
}

CsvTable readCsvTable(const std::string& path, const std::vector<std::string>& requiredColumns, ProblemList& problems,
                      const std::string& displayName)
{
    const std::string text = readFile(path);  // throws with the path
    const std::string name = displayName.empty() ? path : displayName;
    CsvReader reader(text, name);
    CsvTable t;
    CsvRecord header;
    if (!reader.next(header))
        throw std::runtime_error(path + ": empty, expected a header with " +
                                 (requiredColumns.empty() ? std::string("column names") : requiredColumns.front()));
    for (size_t i = 0; i < header.fields.size(); ++i)
        t.column.emplace(header.fields[i], i);
    for (const std::string& required : requiredColumns)
        if (!t.column.count(required))
            throw std::runtime_error(path + ":" + std::to_string(header.line) + ": the header has no " + required +
                                     " column");
    CsvRecord r;
    while (reader.next(r))
        t.rows.push_back(std::move(r));
    for (const auto& p : reader.problems())
        problems.push_back(p);
    return t;
}

}  // namespace cassava
