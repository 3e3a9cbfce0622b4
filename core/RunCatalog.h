#pragma once
// What the runs list shows of a run folder without loading a network: its state, model, progress,
// best metrics, date and size, read from config.json, status.json, metrics.jsonl and summary.json
// (RunDir.h). No torch, no Qt.
//
// The state comes from status.json, which the Trainer writes when a run starts and ends. It names
// the training process by host, boot and process start time, so "running" survives neither a
// reboot nor a dead process: a run whose trainer died is "unfinished" and can be resumed. Runs
// written before status.json existed are judged by summary.json.
#include "RunDir.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cassava {

enum class RunState { Running, Finished, Cancelled, Failed, Unfinished };

std::string runStateName(RunState state);  // "running", "finished", ...

struct RunInfo {
    std::string path;
    std::string name;              // the folder's name
    RunState state = RunState::Unfinished;
    std::string error;             // a failed run's message
    std::string model;             // "b0"
    int size = 0;
    int folds = 1;                 // folds the run trains (1: hold-out)
    int epochs = 0;                // per fold
    int epochsDone = 0;            // complete epochs, all folds together
    double bestValAccuracy = -1;   // over every epoch of every fold; < 0: none yet
    double bestValLoss = -1;
    double oofAccuracy = -1;       // summary.json, k-fold runs
    int64_t startedAt = 0;         // seconds since the epoch (status.json, else config.json's time)
    int64_t bytes = 0;             // on disk
    bool resumable() const { return state == RunState::Unfinished || state == RunState::Cancelled; }
    int epochsPlanned() const { return folds * epochs; }
};

// Throws std::runtime_error naming the folder when it holds no run (no config.json).
RunInfo inspectRun(const std::string& path);
// The runs directly inside `folder` (subfolders with a config.json), newest first. A folder that
// does not exist gives an empty list.
std::vector<RunInfo> listRuns(const std::string& folder);
// Newest first (by start), then by name: the order of listRuns.
void sortRunsNewestFirst(std::vector<RunInfo>& runs);

// status.json: the Trainer calls these. markRunning records this process as the trainer.
void markRunRunning(const RunDir& run);
void markRunEnded(const RunDir& run, RunState state, const std::string& error = {});

// Whether the process recorded in status.json is alive: same host, same boot, same process (pid
// and its start time, so a reused pid does not count).
bool runHolderAlive(const nlohmann::json& status);

}  // namespace cassava
