#pragma once
// Shared by doctor's tests: options for a fixture or a live URL, running one check, temp files.

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "e2e3d/doctor/doctor.hpp"
#include "support/child_process.hpp"

namespace e2e3d::doctor::test {

using e2e3d::test::fixture_path;

// Options that read `file` (a path) and see an empty environment of doctor's own.
inline Options options_for_file(const std::string& file) {
  Options options;
  options.source.file = file;
  options.own_environment = std::vector<std::pair<std::string, std::string>>{};
  options.docker_sockets = std::vector<std::string>{};  // no container runtime
  return options;
}

inline Options options_for_url(const std::string& url, double timeout = 2.0) {
  Options options;
  options.source.fetch.url = url;
  options.source.fetch.timeout_seconds = timeout;
  options.timeout_seconds = timeout;
  options.own_environment = std::vector<std::pair<std::string, std::string>>{};
  options.docker_sockets = std::vector<std::string>{};  // no container runtime
  return options;
}

// One check, called directly (no runner, no prerequisites).
inline Result run_check(std::string_view id, Options options) {
  Context context(std::move(options));
  Result r = find_check(id)->run(context);
  r.id = std::string(id);
  return r;
}

// The result of check `id` in a report (fails the test when there is none).
inline const Result& by_id(const Report& report, std::string_view id) {
  for (const auto& r : report.results) {
    if (r.id == id) return r;
  }
  FAIL("no result for " << id);
  throw std::logic_error("unreachable");
}

inline bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A file with `content`, deleted at the end of the test.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content, const std::string& suffix = ".txt") {
    std::string pattern = "/tmp/e2e3d-doctor-XXXXXX" + suffix;
    int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    close(fd);
    path = pattern;
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { unlink(path.c_str()); }
};

}  // namespace e2e3d::doctor::test
