#pragma once
// The run directory: the only code that knows the file layout of a training run. It is the
// contract between the engine that writes a run and everything that reads it (the CLI, the GUI's
// live curves, prediction, denoising):
//
//   RUN/config.json          every setting, enough to reproduce the run
//   RUN/labels.csv           image_id,label: the labels trained on (after --exclude / --relabel)
//   RUN/folds.csv            image_id,fold of the split used
//   RUN/metrics.jsonl        one JSON object per line: step summaries and epoch results
//   RUN/fold_K/last.ckpt     the latest complete epoch of fold K (resume starts here)
//   RUN/fold_K/best.ckpt     the best epoch of fold K by the selected metric
//   RUN/fold_K/resume.pt     where fold K stands (weights, optimizer, epochs done, best value,
//                            done): an exact resume starts here
//   RUN/fold_K/oof.csv       predictions of fold K's best model on its validation images
//   RUN/oof.csv              image_id, label, fold, p0..pN-1 over all folds
//   RUN/summary.json         per-fold best metrics, OOF accuracy, per-class accuracy, confusion
//   RUN/status.json          running / finished / cancelled / failed, and the process that
//                            trains it (a dead process leaves "running": the run is unfinished)
//   RUN/submission.csv       where the GUI proposes to write a Kaggle submission made from the run
//   RUN/review/journal.jsonl a curator's review decisions, one JSON line per decision, undo or
//                            redo, after a header naming the run and dataset (core/ReviewJournal)
//
// Files are written atomically; metrics.jsonl is append-only, and a torn last line left by a
// killed process is ignored when read.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cassava {

class RunDir {
public:
    explicit RunDir(std::string path);

    // Creates the folder (and parents). Throws std::runtime_error naming the path on failure.
    void create() const;
    bool exists() const;
    bool hasConfig() const;

    const std::string& path() const { return path_; }
    std::string configPath() const { return path_ + "/config.json"; }
    std::string metricsPath() const { return path_ + "/metrics.jsonl"; }
    std::string summaryPath() const { return path_ + "/summary.json"; }
    std::string oofPath() const { return path_ + "/oof.csv"; }
    std::string labelsPath() const { return path_ + "/labels.csv"; }
    std::string foldsPath() const { return path_ + "/folds.csv"; }
    std::string statusPath() const { return path_ + "/status.json"; }
    std::string lockPath() const { return path_ + "/run.lock"; }  // RunLock: one trainer at a time
    std::string submissionPath() const { return path_ + "/submission.csv"; }
    std::string reviewDir() const { return path_ + "/review"; }
    std::string journalPath() const { return reviewDir() + "/journal.jsonl"; }
    // The out-of-fold probabilities re-scored with `runs` TTA runs (the Review view keeps them).
    std::string rescoredOofPath(int runs) const { return reviewDir() + "/oof_tta" + std::to_string(runs) + ".csv"; }
    // decisions.csv the Review view writes for "Retrain on cleaned labels".
    std::string reviewDecisionsPath() const { return reviewDir() + "/decisions.csv"; }
    std::string foldDir(int fold) const { return path_ + "/fold_" + std::to_string(fold); }
    std::string lastCheckpoint(int fold) const { return foldDir(fold) + "/last.ckpt"; }
    std::string bestCheckpoint(int fold) const { return foldDir(fold) + "/best.ckpt"; }
    std::string resumePath(int fold) const { return foldDir(fold) + "/resume.pt"; }
    std::string foldOofPath(int fold) const { return foldDir(fold) + "/oof.csv"; }

    // True when the folder is empty or holds only what a start killed before its config.json
    // leaves (run.lock, temporaries of atomic writes): a new run may start there.
    bool holdsNothingButAnInterruptedStart() const;
    // Removes the temporary files of atomic writes that a killed trainer left of its own files in
    // the run folder and its fold folders (not review/, not submission.csv: other programs write
    // those); returns their paths. Only for the run's trainer, under its RunLock.
    std::vector<std::string> removeInterruptedWrites() const;

    // The folds that have a best.ckpt, in order.
    std::vector<int> foldsWithBest() const;

    void writeJson(const std::string& path, const nlohmann::json& value) const;  // atomic, pretty
    // Throws std::runtime_error naming the file (and line) when absent or not JSON.
    nlohmann::json readJson(const std::string& path) const;

    // Appends one line and flushes it to disk.
    void appendMetrics(const nlohmann::json& line) const;
    // All complete lines; a torn or unparsable line is skipped (reported in `skipped`).
    std::vector<nlohmann::json> readMetrics(int* skipped = nullptr) const;
    // Keeps only the lines for which keep(line) is true (atomic rewrite): a resume drops what
    // came after the last complete epoch.
    template <typename Keep>
    void filterMetrics(Keep keep) const
    {
        std::vector<nlohmann::json> kept;
        for (auto& line : readMetrics())
            if (keep(line))
                kept.push_back(std::move(line));
        rewriteMetrics(kept);
    }

private:
    void rewriteMetrics(const std::vector<nlohmann::json>& lines) const;

    std::string path_;
};

}  // namespace cassava
