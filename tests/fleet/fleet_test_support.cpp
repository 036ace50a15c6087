#include "fleet_test_support.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "e2e3d/fetch.hpp"

namespace e2e3d::test {

std::string FleetServer::url(std::size_t i, const std::string& path) const {
  return fmt::format("http://127.0.0.1:{}{}", ports.at(i), path);
}

std::vector<FleetTarget> FleetServer::targets(const std::string& job) const {
  std::vector<FleetTarget> out;
  for (std::size_t i = 0; i < ports.size(); ++i)
    out.push_back(target_from_url(url(i), job));
  return out;
}

double FleetServer::max_in_flight() const {
  ScrapeSource source;
  source.fetch.url = url(0, "/stats");  // the answer happens to be valid text exposition
  Scrape stats = load_scrape(source);
  return stats.single_value("max_in_flight").value_or(-1);
}

FleetServer start_fleet_server(std::vector<std::string> args) {
  std::vector<std::string> argv{"/usr/bin/python3", "-u",
                                fmt::format("{}/fleet_server.py", E2E3D_SUPPORT_DIR)};
  argv.insert(argv.end(), args.begin(), args.end());
  FleetServer server;
  server.process = std::make_unique<ChildProcess>(argv);
  auto line = server.process->read_line(std::chrono::seconds(20));
  if (!line) {
    throw std::runtime_error(fmt::format("fleet_server.py did not report its ports; stderr: {}",
                                         server.process->stderr_text()));
  }
  std::istringstream words(*line);
  int port = 0;
  while (words >> port)
    server.ports.push_back(port);
  return server;
}

TempFile::TempFile(const std::string& name, const std::string& content) {
  std::string pattern = "/tmp/e2e3d-fleet-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  path_ = dir_ + "/" + name;
  std::ofstream(path_, std::ios::binary) << content;
}

TempFile::~TempFile() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::map<std::string, std::string> labels_of(const Scrape& scrape, const Series& series) {
  std::map<std::string, std::string> out;
  for (const LabelRef& l : scrape.labels(series))
    out[std::string(scrape.str(l.name))] = scrape.str(l.value);
  return out;
}

std::optional<double> value_of(const Scrape& scrape, std::string_view name,
                               const std::map<std::string, std::string>& labels) {
  std::optional<double> found;
  for (uint32_t index : scrape.series_named(name)) {
    const Series& series = scrape.series(index);
    auto all = labels_of(scrape, series);
    bool match = true;
    for (const auto& [k, v] : labels)
      match = match && all.count(k) && all[k] == v;
    if (!match) continue;
    if (found) throw std::runtime_error(fmt::format("more than one {} series matches", name));
    found = series.value;
  }
  return found;
}

}  // namespace e2e3d::test
