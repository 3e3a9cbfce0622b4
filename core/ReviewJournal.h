#pragma once
// A curator's review of a run's labels, kept in RUN/review/journal.jsonl so that no decision is
// ever lost: every decision, undo and redo is one line appended with one write() and fsync'd
// before the call returns. Reopening replays the lines into the current decision per image and
// the undo/redo stacks (as QUndoStack keeps them: a bulk decision is one step, one line).
//
//   {"type":"header","version":1,"run":{"path","data","run_sha256"},
//    "dataset":{"root","train_csv_sha256"},"time"}
//   {"type":"decision","time","items":[{"image_id","given","decision","label"},...]}
//   {"type":"undo","time"}   {"type":"redo","time"}
//
// decision is accept|keep|relabel|exclude|skip; label is the new label (keep/skip: the given one,
// exclude: -1). A journal whose header names another run (its settings, bar the folder, or its
// labels.csv differ: run_sha256) or another dataset
// (train.csv changed) is refused. A torn or unparsable last line (a killed process) is ignored
// with a warning and cut off before the next append; a bad line in the middle is an error.
// One writer at a time: the state is read at open and kept in memory.
#include "Dataset.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cassava {

enum class ReviewDecision { Accept, Keep, Relabel, Exclude, Skip };

const char* reviewDecisionName(ReviewDecision decision);
// False on anything but the five names.
bool parseReviewDecision(const std::string& name, ReviewDecision& decision);

struct ReviewItem {
    std::string imageId;
    int given = -1;  // the label the run trained on (RUN/labels.csv)
    ReviewDecision decision = ReviewDecision::Skip;
    int label = -1;  // the new label: keep/skip the given one, exclude -1
    bool operator==(const ReviewItem& o) const
    {
        return imageId == o.imageId && given == o.given && decision == o.decision && label == o.label;
    }
};

struct ReviewStep {
    std::vector<ReviewItem> items;  // one for a single decision, several for a bulk one
    std::string time;               // ISO 8601 UTC
    bool operator==(const ReviewStep& o) const { return items == o.items && time == o.time; }
};

// What a journal belongs to: written as its header, compared on open.
struct JournalIdentity {
    std::string runPath, data, runSha256;
    std::string datasetRoot, trainCsvSha256;
};

class ReviewJournal {
public:
    // Reads RUN/config.json (its dataset), the dataset's train.csv and RUN/labels.csv (the given
    // labels; the dataset's when absent), then replays RUN/review/journal.jsonl if it exists.
    // Creates nothing until the first decision. Throws std::runtime_error with a message naming
    // the file (and line): an unreadable run, a bad line in the middle, a foreign journal.
    static ReviewJournal open(const std::string& runPath);

    const std::string& path() const { return path_; }
    const JournalIdentity& identity() const { return identity_; }
    const Dataset& dataset() const { return dataset_; }
    // Warnings of the replay: "FILE:LINE: ..." (a torn last line, an undo with nothing to undo).
    const std::vector<std::string>& warnings() const { return warnings_; }

    // The current decision of each image (after undos and redos); absent: undecided.
    const std::map<std::string, ReviewItem>& decisions() const { return current_; }
    const ReviewItem* decisionOf(const std::string& imageId) const;
    // The given label of an image of the run, -1 when the run does not have it.
    int givenLabel(const std::string& imageId) const;

    // Oldest first; the last is what undo() reverts / redo() reapplies.
    std::vector<ReviewStep> undoSteps() const;
    const std::vector<ReviewStep>& redoSteps() const { return redo_; }
    bool canUndo() const { return !undo_.empty(); }
    bool canRedo() const { return !redo_.empty(); }

    // A decision item for an image with its given label filled in and the label normalised
    // (keep/skip: given, exclude: -1; accept/relabel: `label`, which must be a class).
    // Throws std::runtime_error naming the image or label when it is not valid.
    ReviewItem item(const std::string& imageId, ReviewDecision decision, int label = -1) const;

    // Appends one step (durable on return), then applies it; clears the redo stack.
    void decide(const std::vector<ReviewItem>& items);
    void decide(const ReviewItem& item) { decide(std::vector<ReviewItem>{item}); }
    // Append "undo"/"redo" and apply; false (nothing written) when there is nothing to undo/redo.
    bool undo();
    bool redo();

    // decisions.csv: image_id,given,decision,label, one row per image with a final decision other
    // than skip, by image_id.
    std::string decisionsCsv() const;
    // train.csv (image_id,label) of the dataset's valid rows, relabels applied, exclusions dropped.
    std::string cleanedTrainCsv() const;

private:
    struct Applied {
        ReviewStep step;
        std::vector<std::optional<ReviewItem>> previous;  // per item, before the step
    };

    ReviewJournal() = default;
    void replay(const std::string& text);
    void apply(const ReviewStep& step);
    bool applyUndo();
    bool applyRedo();
    void append(const std::string& jsonLine);

    std::string path_, reviewDir_;
    JournalIdentity identity_;
    Dataset dataset_;
    std::map<std::string, int> given_;
    std::map<std::string, ReviewItem> current_;
    std::vector<Applied> undo_;
    std::vector<ReviewStep> redo_;
    std::vector<std::string> warnings_;
    bool hasHeader_ = false;
    long long cleanSize_ = 0;  // bytes of the file up to the end of its last good line
    long long tornBytes_ = 0;  // bytes after it (a torn last line), cut off by the next append
};

struct ReviewExport {
    std::string decisionsCsv;  // required
    std::string trainCsv;      // optional: the cleaned train.csv
    bool force = false;        // replace existing outputs
};

// Writes the exports atomically. Refuses (std::runtime_error naming both paths) to write over the
// dataset's own train.csv (canonical paths compared), and an existing output unless force.
void exportReview(const ReviewJournal& journal, const ReviewExport& options);

}  // namespace cassava
