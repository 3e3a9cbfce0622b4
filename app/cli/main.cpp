#include "Cli.h"

int main(int argc, char** argv) { return cassava::cli::run(argc, argv); }
