#pragma once
// `cassava train`'s settings as a command line, both ways: the options and their reading into a
// TrainConfig (the CLI), and a TrainConfig written back as the arguments that reproduce it (the
// GUI wizard's summary shows them, so a run started by clicking can be repeated in a terminal).
// One table of flags serves both, so they cannot drift apart. No LibTorch here.
#include "Args.h"
#include "TrainConfig.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace cassava {

// A malformed flag value (`--epochs x`, `--flips sideways`): the user's command line is wrong.
struct TrainArgsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Every option that sets a TrainConfig field (not --resume, which continues a run instead).
void addTrainOptions(Args& args);

// The configuration a parsed command line asks for: --preset, then --config FILE, then each flag
// given. Throws TrainArgsError naming the flag for a malformed value, std::runtime_error naming
// the file for an unreadable or invalid --config, std::invalid_argument for an unknown preset.
// Does not validate() the result.
TrainConfig trainConfigFromArgs(const Args& args);

// The arguments of `cassava train` that reproduce `config` exactly (its toJson()): "train",
// --data, --out, then --preset when one is given (or, when `preset` is empty, the starting point
// among the defaults and the presets that needs the fewest flags) and a flag for each field that
// differs from it. Numbers are written so that they read back to the same double.
std::vector<std::string> trainCommandLine(const TrainConfig& config, const std::string& preset = {});

// Parses what trainCommandLine() wrote (with or without the leading "train"); throws as
// trainConfigFromArgs, and TrainArgsError for an unknown option.
TrainConfig trainConfigFromCommandLine(const std::vector<std::string>& arguments);

// POSIX-shell quoting for display: "cassava train --data '/my data' ...".
std::string shellQuote(const std::string& argument);
std::string shellCommand(const std::string& program, const std::vector<std::string>& arguments);

// The shortest decimal text that reads back (strtod) as exactly `value`.
std::string roundTripNumber(double value);

}  // namespace cassava
