#pragma once
// Shared by the libFuzzer targets: a scratch folder per process (inputs that readers take by path
// are written there), and files written whole.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace fuzzsupport {

// $TMPDIR/cassava-fuzz-PID, made once.
inline const std::string& scratch()
{
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string d = std::string(tmp && *tmp ? tmp : "/tmp") + "/cassava-fuzz-" + std::to_string(::getpid());
        std::string cmd = "mkdir -p '" + d + "'";
        if (std::system(cmd.c_str()) != 0)
            std::abort();
        return d;
    }();
    return dir;
}

inline void writeFile(const std::string& path, std::string_view bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A seed file OUT/TARGET/NAME, for fuzz/run.sh to copy into TARGET's corpus.
inline void writeSeed(const std::string& out, const std::string& target, const std::string& name, std::string_view bytes)
{
    std::filesystem::create_directories(out + "/" + target);
    writeFile(out + "/" + target + "/" + name, bytes);
}

inline std::string_view view(const uint8_t* data, size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace fuzzsupport
