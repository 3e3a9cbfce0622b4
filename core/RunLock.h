#pragma once
// One trainer per run folder at a time: RUN/run.lock held with flock() for as long as a Trainer
// writes the run. The kernel drops the lock when its holder dies (kill -9 included) and a reboot
// leaves none, so a stale lock never needs cleaning up; status.json names the holder for the
// message. Two `cassava train --resume` (or the CLI and the GUI) on one run: the second refuses.
// flock() is advisory and local: a run folder on a network filesystem shared by two machines is
// told apart by status.json's host only.
#include "RunDir.h"

namespace cassava {

class RunLock {
public:
    // Takes RUN/run.lock (creating it). Throws std::runtime_error naming the run and the process
    // holding it (pid and host from status.json, when it says so) when another process has it.
    static RunLock acquire(const RunDir& run);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    bool held() const { return fd_ >= 0; }
    void release();

private:
    explicit RunLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace cassava
