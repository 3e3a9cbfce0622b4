#include "LabelMap.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <map>

namespace cassava {

LabelMap LabelMap::standard()
{
    return LabelMap({"Cassava Bacterial Blight (CBB)", "Cassava Brown Streak Disease (CBSD)",
                     "Cassava Green Mottle (CGM)", "Cassava Mosaic Disease (CMD)", "Healthy"});
}

LabelMap LabelMap::parse(const std::string& json, const std::string& fileName, ProblemList& problems)
{
    auto fatal = [&](const std::string& message, int line = 0) {
        problems.push_back({Problem::Severity::Fatal, fileName, line, message});
        return standard();
    };

    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json);
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann reports a byte offset; turn it into a line for the message.
        int line = 1;
        for (size_t i = 0; i < e.byte && i < json.size(); ++i)
            line += json[i] == '\n';
        return fatal(std::string("not valid JSON: ") + e.what(), line);
    } catch (const nlohmann::json::exception& e) {
        // Valid syntax the parser still refuses, such as a number too large for a double (found
        // by fuzz/fuzz_dataset: it escaped as out_of_range and ended the program).
        return fatal(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object() || doc.empty())
        return fatal("expected an object like {\"0\": \"Cassava Bacterial Blight (CBB)\", ...}");

    std::map<long, std::string> byLabel;
    for (const auto& [key, value] : doc.items()) {
        errno = 0;
        char* end = nullptr;
        const long label = std::strtol(key.c_str(), &end, 10);
        if (key.empty() || *end != '\0' || errno != 0 || label < 0)
            return fatal("key '" + key + "' is not a label number (0, 1, 2, ...)");
        if (!value.is_string() || value.get<std::string>().empty())
            return fatal("the name of label " + key + " is not a non-empty string");
        byLabel[label] = value.get<std::string>();
    }
    std::vector<std::string> names;
    for (const auto& [label, name] : byLabel) {
        if (label != static_cast<long>(names.size()))
            return fatal("labels must be numbered 0.." + std::to_string(byLabel.size() - 1) +
                         " without gaps; label " + std::to_string(names.size()) + " is missing");
        names.push_back(name);
    }
    return LabelMap(std::move(names));
}

std::string LabelMap::shortName(int label) const
{
    const std::string& full = name(label);
    const auto open = full.rfind('(');
    const auto close = full.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open + 1)
        return full.substr(open + 1, close - open - 1);
    return full;
}

std::string LabelMap::toJson() const
{
    // Written the way Kaggle ships it: one line, keys in label order.
    std::string out = "{";
    for (int i = 0; i < size(); ++i) {
        if (i)
            out += ", ";
        out += nlohmann::json(std::to_string(i)).dump() + ": " + nlohmann::json(name(i)).dump();
    }
    return out + "}";
}

}  // namespace cassava
