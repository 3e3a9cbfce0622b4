#pragma once
// The `cassava` command line: a table of subcommands, each a thin client of core.
namespace cassava::cli {

int run(int argc, char** argv);
// Whether the subcommand in argv[1] runs a network (train, evaluate, predict, ...).
bool runsNetwork(int argc, char** argv);

// One function per subcommand; argv starts after the subcommand's name.
int synthCommand(int argc, char** argv);
int inspectCommand(int argc, char** argv);
int splitCommand(int argc, char** argv);
int trainCommand(int argc, char** argv);
int evaluateCommand(int argc, char** argv);
int predictCommand(int argc, char** argv);
int diagnoseCommand(int argc, char** argv);
int denoiseCommand(int argc, char** argv);
int flipLabelsCommand(int argc, char** argv);
int reviewCommand(int argc, char** argv);
int importWeightsCommand(int argc, char** argv);
int exportCommand(int argc, char** argv);
int weightsCommand(int argc, char** argv);
int verifyCommand(int argc, char** argv);

// Exit codes shared by all commands.
enum ExitCode { Ok = 0, Failed = 1, Usage = 2, Cancelled = 130 };

}  // namespace cassava::cli
