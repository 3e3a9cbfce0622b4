// Dataset::open over generated train.csv and label map bytes: the input is split at the first
// 0xFF byte into train.csv and label_num_to_disease_map.json (absent when there is none). A few
// image files exist, so rows can match.
#include "FuzzSupport.h"

#include "Dataset.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    namespace fs = std::filesystem;
    const std::string root = fuzzsupport::scratch() + "/dataset";
    static const bool made = [&] {
        fs::create_directories(root + "/train_images");
        for (const char* name : {"1.jpg", "2.jpg", "a b.jpg", "1000015157.jpg"})
            fuzzsupport::writeFile(root + "/train_images/" + name, "x");
        return true;
    }();
    (void)made;
    const std::string_view bytes = fuzzsupport::view(data, size);
    const size_t split = bytes.find('\xff');
    fuzzsupport::writeFile(root + "/train.csv", bytes.substr(0, split));
    std::error_code ec;
    if (split == std::string_view::npos)
        fs::remove(root + "/label_num_to_disease_map.json", ec);
    else
        fuzzsupport::writeFile(root + "/label_num_to_disease_map.json", bytes.substr(split + 1));
    const cassava::Dataset d = cassava::Dataset::open(root);
    for (const auto& s : d.samples()) {
        if (!d.labels().contains(s.label) || !cassava::Dataset::unsafeImageIdReason(s.imageId).empty())
            __builtin_trap();  // a sample is always a safe id with a known label
    }
    (void)d.classCounts();
    return 0;
}
