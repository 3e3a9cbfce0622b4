#pragma once
// Fault injection for the kill -9 campaign (RELIABILITY.md), in the spirit of SQLite's crash tests:
// with CASSAVA_CRASH_AT=NAME or NAME@N in the environment, the process kills itself with SIGKILL
// the Nth time (default the first) it passes the crash point NAME. Nothing is flushed, no
// destructor runs: what is left on disk is what a power cut or `kill -9` at that moment leaves.
//
// The points:
//   batch            after a training step, before the next batch (engine/FoldTraining)
//   calibration      in the middle of the BatchNorm calibration pass after an epoch
//   fold-done        after a fold's last file, before the next fold starts
//   write:FILE       inside writeFileAtomically of a file named FILE (e.g. write:best.ckpt): half of
//                    the temporary file is written and flushed, then the process dies
//
// Unset (always, outside the tests), a crash point costs one load of a flag.
#include <string_view>

namespace cassava {

// True when this pass is the one CASSAVA_CRASH_AT names (the caller then calls crashNow()).
bool crashPointReached(std::string_view name);
// SIGKILL now.
[[noreturn]] void crashNow();

inline void crashPoint(std::string_view name)
{
    if (crashPointReached(name))
        crashNow();
}

}  // namespace cassava
