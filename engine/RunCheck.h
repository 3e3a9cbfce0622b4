#pragma once
// Is every file of a run folder whole? `cassava verify RUN` prints this, and the kill -9 campaign
// (RELIABILITY.md) runs it after every kill. Each file is read the way its reader reads it:
//   *.json            parses as a JSON object
//   *.jsonl           every line parses; a torn last line is tolerated (readers skip it and the
//                     next resume drops it), a bad line before it is damage
//   *.csv             ends with a newline, every record has the header's number of fields
//   *.ckpt            zip checksums and the checkpoint's metadata (models/Checkpoint)
//   resume.pt         zip checksums
//   NAME.tmp-XXXXXX   a temporary of an interrupted atomic write: never read, removed by the next
//                     resume; reported apart, not as damage
// No LibTorch in this header.
#include <string>
#include <vector>

namespace cassava {

struct RunFileCheck {
    enum class Verdict { Whole, Tolerated, Leftover, Damaged, Unchecked };
    std::string path;  // relative to the run folder
    Verdict verdict = Verdict::Unchecked;
    std::string detail;  // "7 records", "3 lines; a torn last line (ignored when read)", the error
};

// Every regular file under the run folder, sorted by path. Throws std::runtime_error when the
// folder cannot be listed.
std::vector<RunFileCheck> checkRunFiles(const std::string& runDir);

const char* verdictName(RunFileCheck::Verdict verdict);  // "whole", "tolerated", ...

}  // namespace cassava
