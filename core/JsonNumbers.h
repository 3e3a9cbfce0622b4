#pragma once
// Whole numbers read from JSON that people and other programs write (config.json, metrics lines,
// summaries, checkpoint metadata, review journals). nlohmann's get<int>() of a number such as
// 22222222222222222222225 (parsed as the double 2.2e22) converts a double beyond int's range:
// undefined behaviour, found by fuzz_checkpoint (RELIABILITY.md). These accept an integer, or a
// float without a fraction, within T's range, and nothing else.
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

namespace cassava {

// True, with the value in `out`, when `j` is a whole number that T can hold.
template <typename T>
bool wholeNumber(const nlohmann::json& j, T& out)
{
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>, "wholeNumber reads integers");
    using Limits = std::numeric_limits<T>;
    if (j.is_number_unsigned()) {
        const auto v = j.get<uint64_t>();
        if (v > static_cast<uint64_t>(Limits::max()))
            return false;
        out = static_cast<T>(v);
        return true;
    }
    if (j.is_number_integer()) {
        const auto v = j.get<int64_t>();
        if ((Limits::is_signed && v < static_cast<int64_t>(Limits::min())) ||
            (!Limits::is_signed && v < 0) || (v > 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(Limits::max())))
            return false;
        out = static_cast<T>(v);
        return true;
    }
    if (j.is_number_float()) {
        const double v = j.get<double>();
        // Both bounds as doubles: [min, max + 1) holds exactly the doubles that convert.
        const double low = static_cast<double>(Limits::min());
        const double high = std::ldexp(1.0, Limits::digits);
        if (!(v >= low && v < high) || std::trunc(v) != v)
            return false;
        out = static_cast<T>(v);
        return true;
    }
    return false;
}

// object[key] as a whole number, or `fallback` when it is absent or not one T can hold.
template <typename T>
T wholeValue(const nlohmann::json& object, const char* key, T fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    T value{};
    return it != object.end() && wholeNumber(*it, value) ? value : fallback;
}

}  // namespace cassava
