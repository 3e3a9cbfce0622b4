#include "Args.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace cassava {

Args::Args(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary))
{
}

Args& Args::option(const std::string& name, const std::string& valueName, const std::string& help,
                   const std::string& defaultValue)
{
    specs_.push_back({name, valueName, help, defaultValue, false});
    return *this;
}

Args& Args::flag(const std::string& name, const std::string& help)
{
    specs_.push_back({name, {}, help, {}, true});
    return *this;
}

Args& Args::positional(const std::string& name, const std::string& help, bool required, bool repeated)
{
    positionalSpecs_.push_back({name, help, required, repeated});
    return *this;
}

const Args::Spec* Args::find(const std::string& name) const
{
    for (const auto& s : specs_)
        if (s.name == name)
            return &s;
    return nullptr;
}

bool Args::parse(int argc, char** argv)
{
    for (int i = 0; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            help_ = true;
            return true;
        }
        if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
            std::string name = arg.substr(2);
            std::optional<std::string> inlineValue;
            if (const auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            const Spec* spec = find(name);
            if (!spec) {
                error_ = "unknown option --" + name + " (see 'cassava " + command_ + " --help')";
                return false;
            }
            if (spec->isFlag) {
                if (inlineValue) {
                    error_ = "--" + name + " takes no value";
                    return false;
                }
                values_[name] = "1";
            } else if (inlineValue) {
                values_[name] = *inlineValue;
            } else if (i + 1 < argc) {
                values_[name] = argv[++i];
            } else {
                error_ = "--" + name + " needs a value (" + spec->valueName + ")";
                return false;
            }
            continue;
        }
        positionalValues_.push_back(arg);
    }
    size_t required = 0;
    bool repeated = false;
    for (const auto& p : positionalSpecs_) {
        required += p.required ? 1 : 0;
        repeated = repeated || p.repeated;
    }
    if (positionalValues_.size() < required) {
        error_ = "missing " + positionalSpecs_[positionalValues_.size()].name + " (see 'cassava " +
                 command_ + " --help')";
        return false;
    }
    if (!repeated && positionalValues_.size() > positionalSpecs_.size()) {
        error_ = "unexpected argument '" + positionalValues_[positionalSpecs_.size()] + "'";
        return false;
    }
    return true;
}

bool Args::parse(const std::vector<std::string>& arguments)
{
    std::vector<char*> argv;
    for (const auto& a : arguments)
        argv.push_back(const_cast<char*>(a.c_str()));  // parse() only reads them
    return parse(static_cast<int>(argv.size()), argv.data());
}

std::string Args::usage() const
{
    std::ostringstream out;
    out << "Usage: cassava " << command_;
    for (const auto& p : positionalSpecs_)
        out << ' ' << (p.required ? "" : "[") << p.name << (p.repeated ? "..." : "")
            << (p.required ? "" : "]");
    if (!specs_.empty())
        out << " [options]";
    out << "\n\n" << summary_ << "\n";
    if (!positionalSpecs_.empty()) {
        out << "\nArguments:\n";
        for (const auto& p : positionalSpecs_)
            out << "  " << p.name << std::string(p.name.size() < 22 ? 24 - p.name.size() : 2, ' ')
                << p.help << "\n";
    }
    out << "\nOptions:\n";
    for (const auto& s : specs_) {
        std::string left = "--" + s.name + (s.isFlag ? "" : " " + s.valueName);
        out << "  " << left << std::string(left.size() < 22 ? 24 - left.size() : 2, ' ') << s.help;
        if (!s.defaultValue.empty())
            out << " (default " << s.defaultValue << ")";
        out << "\n";
    }
    out << "  --help                  show this help\n";
    return out.str();
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

std::string Args::get(const std::string& name) const
{
    if (auto it = values_.find(name); it != values_.end())
        return it->second;
    const Spec* spec = find(name);
    return spec ? spec->defaultValue : std::string();
}

std::string Args::positional(size_t i) const
{
    return i < positionalValues_.size() ? positionalValues_[i] : std::string();
}

int Args::getInt(const std::string& name, int fallback) const
{
    const int64_t v = getInt64(name, fallback);
    if (v < INT32_MIN || v > INT32_MAX) {
        error_ = "--" + name + ": " + std::to_string(v) + " is out of range";
        return fallback;
    }
    return static_cast<int>(v);
}

int64_t Args::getInt64(const std::string& name, int64_t fallback) const
{
    const std::string text = get(name);
    if (text.empty())
        return fallback;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || *end != '\0') {
        error_ = "--" + name + ": '" + text + "' is not a whole number";
        return fallback;
    }
    return v;
}

uint64_t Args::getUint64(const std::string& name, uint64_t fallback) const
{
    const std::string text = get(name);
    if (text.empty())
        return fallback;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0 || end == text.c_str() || *end != '\0' || text[0] == '-') {
        error_ = "--" + name + ": '" + text + "' is not a whole number of at least 0";
        return fallback;
    }
    return v;
}

std::vector<int> Args::getIntList(const std::string& name) const
{
    std::vector<int> values;
    const std::string text = get(name);
    if (has(name) && text.empty()) {
        error_ = "--" + name + ": expected a list of whole numbers like 0,2, got nothing";
        return {};
    }
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        char* end = nullptr;
        errno = 0;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || errno != 0 || *end != '\0' || v < INT32_MIN || v > INT32_MAX) {
            error_ = "--" + name + ": expected a list of whole numbers like 0,2, got '" + text + "'";
            return {};
        }
        values.push_back(static_cast<int>(v));
    }
    return values;
}

double Args::getDouble(const std::string& name, double fallback) const
{
    const std::string text = get(name);
    if (text.empty())
        return fallback;
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (errno != 0 || end == text.c_str() || *end != '\0') {
        error_ = "--" + name + ": '" + text + "' is not a number";
        return fallback;
    }
    return v;
}

bool Args::getSize(const std::string& name, int& width, int& height) const
{
    const std::string text = get(name);
    if (text.empty())
        return true;
    int w = 0, h = 0;
    char x = 0, extra = 0;
    std::istringstream in(text);
    if (!(in >> w >> x >> h) || (x != 'x' && x != 'X') || (in >> extra) || w <= 0 || h <= 0) {
        error_ = "--" + name + ": '" + text + "' is not a size like 800x600";
        return false;
    }
    width = w;
    height = h;
    return true;
}

}  // namespace cassava
