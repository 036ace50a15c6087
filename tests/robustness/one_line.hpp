#pragma once
// What every rejected input must produce: exit code 3 and exactly one line on stderr, prefixed
// with the program name, without control characters (hostile bytes must not reach a terminal),
// and short enough to read (a megabyte input is quoted, if at all, by a short excerpt).

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "support/child_process.hpp"

namespace e2e3d::test {

inline constexpr std::size_t kMaxErrorLine = 4096;

inline bool printable_line(const std::string& text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

// Checks `result` is a clean rejection of bad input; `result.err` is shown when it is not.
inline void require_bad_input(const RunResult& result) {
  INFO("stderr: " << result.err.substr(0, 2000));
  INFO("stdout: " << result.out.substr(0, 500));
  REQUIRE(result.exit_code == 3);
  REQUIRE(!result.err.empty());
  REQUIRE(result.err.back() == '\n');
  std::string line = result.err.substr(0, result.err.size() - 1);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.rfind("e2e3d-metrics: ", 0) == 0);
  CHECK(line.size() <= kMaxErrorLine);
  CHECK(printable_line(line));
  CHECK(line.find("internal error") == std::string::npos);
}

}  // namespace e2e3d::test
