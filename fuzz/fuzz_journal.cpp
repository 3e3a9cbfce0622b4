// The review journal's replay (RUN/review/journal.jsonl) of a fixed run: the input follows a valid
// header line (so replay goes past the identity check), or replaces the whole file when its first
// byte is odd. When the journal opens, a decision appended to it must replay on the next open:
// a torn or odd last line never costs a later decision.
#include "FuzzSupport.h"

#include "ReviewJournal.h"
#include "RunDir.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

struct Fixture {
    std::string run, journal, header;
};

const Fixture& fixture()
{
    static const Fixture f = [] {
        namespace fs = std::filesystem;
        Fixture x;
        const std::string root = fuzzsupport::scratch() + "/journal-data";
        fs::create_directories(root + "/train_images");
        fuzzsupport::writeFile(root + "/train.csv", "image_id,label\n1.jpg,0\n2.jpg,3\n3.jpg,4\n");
        x.run = fuzzsupport::scratch() + "/journal-run";
        fs::create_directories(x.run);
        fuzzsupport::writeFile(x.run + "/config.json", "{\"data\": \"" + root + "\", \"model\": \"b0\"}\n");
        x.journal = cassava::RunDir(x.run).journalPath();
        fs::remove(x.journal);
        cassava::ReviewJournal j = cassava::ReviewJournal::open(x.run);
        j.decide(j.item("1.jpg", cassava::ReviewDecision::Keep));
        std::ifstream in(x.journal);
        std::getline(in, x.header);
        x.header += '\n';
        return x;
    }();
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const Fixture& f = fixture();
    const std::string_view bytes = fuzzsupport::view(data, size);
    const bool whole = size > 0 && (data[0] & 1);
    fuzzsupport::writeFile(f.journal, whole ? std::string(bytes.substr(1)) : f.header + std::string(bytes));
    bool opened = false;
    try {
        cassava::ReviewJournal j = cassava::ReviewJournal::open(f.run);
        opened = true;
        (void)j.decisionsCsv();
        (void)j.cleanedTrainCsv();
        j.decide(j.item("2.jpg", cassava::ReviewDecision::Relabel, 1));
    } catch (const std::exception&) {
        if (opened)
            __builtin_trap();  // it opened, so appending to it must work
        return 0;
    }
    const cassava::ReviewJournal again = cassava::ReviewJournal::open(f.run);  // must not throw
    const cassava::ReviewItem* item = again.decisionOf("2.jpg");
    if (!item || item->decision != cassava::ReviewDecision::Relabel || item->label != 1)
        __builtin_trap();
    return 0;
}
