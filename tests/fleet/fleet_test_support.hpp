#pragma once
// Shared pieces of the fleet tests: tests/support/fleet_server.py (many exporters in one
// process), temporary files, and looking at a scrape's series.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/fleet.hpp"
#include "support/child_process.hpp"

namespace e2e3d::test {

struct FleetServer {
  std::unique_ptr<ChildProcess> process;
  std::vector<int> ports;  // in the order the server gives behaviours (fail, slow, refused, ok)
  std::string url(std::size_t i, const std::string& path = "/metrics") const;
  std::vector<FleetTarget> targets(const std::string& job = "e2e3d") const;
  // The most /metrics requests the server ever had in progress at once.
  double max_in_flight() const;
};

// Starts fleet_server.py with `args` (the port count first) and reads its ports.
FleetServer start_fleet_server(std::vector<std::string> args);

// A file in a fresh temporary directory, removed with it.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

// The value of the one series named `name` whose labels include all of `labels`.
std::optional<double> value_of(const Scrape& scrape, std::string_view name,
                               const std::map<std::string, std::string>& labels);

// All labels of the series, as a map, for whole-set comparisons.
std::map<std::string, std::string> labels_of(const Scrape& scrape, const Series& series);

// The message of the Error `f` throws, or "" when it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace e2e3d::test
