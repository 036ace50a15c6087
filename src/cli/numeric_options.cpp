#include "cli/numeric_options.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace e2e3d::cli {
namespace {

// Prometheus's web API: minTime and maxTime, in Unix seconds.
constexpr double kMinUnixSeconds = -9223309901257974.0;
constexpr double kMaxUnixSeconds = 9223309901257974.0;

// The whole text as a decimal number; nullopt for text that is not one.
std::optional<double> read_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (errno == ERANGE && std::isinf(v)) return std::numeric_limits<double>::infinity();
  return v;
}

// What a user typed, quoted and cut short for one line.
std::string shown(const std::string& text) {
  std::string out = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return "'" + out + "'";
}

}  // namespace

CLI::Validator number_between(double min, double max, const std::string& what) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        std::optional<double> v = read_number(text);
        if (!v || !std::isfinite(*v) || *v < min || *v > max) {
          return fmt::format("{} is not {} from {} to {}", shown(text), what, min, max);
        }
        return {};
      },
      fmt::format("NUMBER in [{}, {}]", min, max));
}

CLI::Validator whole_number_between(uint64_t min, uint64_t max, const std::string& what) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        uint64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min ||
            v > max) {
          return fmt::format("{} is not {} from {} to {}", shown(text), what, min, max);
        }
        return {};
      },
      fmt::format("INTEGER in [{}, {}]", min, max));
}

CLI::Validator unix_time() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::optional<double> v = read_number(text);
        if (!v || !std::isfinite(*v)) {
          return fmt::format("{} is not a time: give Unix seconds, such as 1700000000.250",
                             shown(text));
        }
        if (*v < kMinUnixSeconds || *v > kMaxUnixSeconds) {
          return fmt::format(
              "{} is outside the times Prometheus can represent ({:.0f} to {:.0f} Unix seconds)",
              shown(text), kMinUnixSeconds, kMaxUnixSeconds);
        }
        return {};
      },
      "UNIX_SECONDS");
}

int64_t unix_time_ms(double seconds) {
  // parseTime: s, ns := math.Modf(t); ns = math.Round(ns*1000) / 1000; time.Unix(s, ns*1e9),
  // then timestamp.FromTime: whole milliseconds, rounded down.
  double whole = 0;
  double fraction = std::modf(seconds, &whole);
  fraction = std::round(fraction * 1000) / 1000;
  auto nanos = static_cast<int64_t>(fraction * 1e9);  // within a second either way
  int64_t ms = static_cast<int64_t>(whole) * 1000 + nanos / 1'000'000;
  if (nanos % 1'000'000 < 0) --ms;  // time.Unix normalises: milliseconds round down
  return ms;
}

}  // namespace e2e3d::cli
