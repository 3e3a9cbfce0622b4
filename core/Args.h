#pragma once
// Command-line options for one subcommand: declared with their help text, parsed, and turned into
// a usage page. Errors are messages for the user, never exceptions. In core (no Qt, no torch) so
// that the CLI and the GUI read a command line the same way (engine/TrainArgs).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cassava {

class Args {
public:
    Args(std::string command, std::string summary);

    // --name VALUE
    Args& option(const std::string& name, const std::string& valueName, const std::string& help,
                 const std::string& defaultValue = {});
    // --name
    Args& flag(const std::string& name, const std::string& help);
    // A positional argument; `repeated` takes all that remain.
    Args& positional(const std::string& name, const std::string& help, bool required = true,
                     bool repeated = false);

    // False with error() set on a bad command line; true with helpRequested() for --help.
    bool parse(int argc, char** argv);
    bool parse(const std::vector<std::string>& arguments);

    bool helpRequested() const { return help_; }
    const std::string& error() const { return error_; }
    std::string usage() const;

    bool has(const std::string& name) const;
    std::string get(const std::string& name) const;  // the value, or the default
    const std::vector<std::string>& positionals() const { return positionalValues_; }
    std::string positional(size_t i) const;

    // Typed reads: on a malformed value they record an error and return the fallback.
    // (const: reading a value does not change the command line; only the error is recorded.)
    int getInt(const std::string& name, int fallback) const;
    int64_t getInt64(const std::string& name, int64_t fallback) const;
    uint64_t getUint64(const std::string& name, uint64_t fallback) const;
    double getDouble(const std::string& name, double fallback) const;
    // "0,2": integers separated by commas; empty when the option is absent.
    std::vector<int> getIntList(const std::string& name) const;
    // "800x600"
    bool getSize(const std::string& name, int& width, int& height) const;

private:
    struct Spec {
        std::string name, valueName, help, defaultValue;
        bool isFlag = false;
    };
    struct PositionalSpec {
        std::string name, help;
        bool required = true, repeated = false;
    };
    const Spec* find(const std::string& name) const;

    std::string command_, summary_;
    std::vector<Spec> specs_;
    std::vector<PositionalSpec> positionalSpecs_;
    std::map<std::string, std::string> values_;
    std::vector<std::string> positionalValues_;
    bool help_ = false;
    mutable std::string error_;
};

}  // namespace cassava
