// discover_targets against a real Prometheus (the Debian package) on loopback, whose file_sd
// reads the same file as read_targets_file: both must give the same URLs and labels.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "e2e3d/fleet.hpp"
#include "fleet_test_support.hpp"

using namespace e2e3d;
using e2e3d::test::error_of;
using e2e3d::test::FleetServer;
using e2e3d::test::start_fleet_server;
using e2e3d::test::TempFile;

namespace {

FetchOptions quick() {
  FetchOptions options;
  options.timeout_seconds = 2;
  options.connect_timeout_seconds = 2;
  return options;
}

bool by_url(const FleetTarget& a, const FleetTarget& b) {
  return a.url < b.url;
}

// Asks until Prometheus has read the file_sd file and lists `count` targets of `job`.
std::vector<FleetTarget> wait_for_targets(const std::string& base, std::string_view job,
                                          std::size_t count) {
  std::vector<FleetTarget> found;
  for (int i = 0; i < 150 && found.size() != count; ++i) {
    try {
      found = discover_targets(base, job, quick());
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return found;
}

}  // namespace

TEST_CASE("discover_targets: a real Prometheus's targets, labelled as our file_sd reading does",
          "[fleet][prometheus]") {
  FleetServer server = start_fleet_server({"3"});
  std::string sd = fmt::format(R"([
  {{"targets": ["127.0.0.1:{0}", "127.0.0.1:{1}"], "labels": {{"env": "prod"}}}},
  {{"targets": ["127.0.0.1:{2}"],
   "labels": {{"__metrics_path__": "/broken", "__param_module": "http 2xx",
              "instance": "replica-2", "__meta_note": "dropped"}}}},
  {{"targets": ["localhost"], "labels": {{"zone": "b", "job": "edge"}}}}
])",
                               server.ports[0], server.ports[1], server.ports[2]);
  TempFile file_sd("targets.json", sd);
  std::string dir = file_sd.path().substr(0, file_sd.path().rfind('/'));
  int prometheus_port = e2e3d::test::free_port();
  std::string config = dir + "/prometheus.yml";
  // Scrapes are not needed: targets are active as soon as they are discovered.
  std::ofstream(config) << fmt::format(
      "global:\n  scrape_interval: 1h\n"
      "scrape_configs:\n"
      "  - job_name: e2e3d\n    file_sd_configs:\n      - files: ['{}']\n"
      "  - job_name: other\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
      file_sd.path(), server.ports[0]);
  e2e3d::test::ChildProcess prometheus(
      {"/usr/bin/prometheus", "--config.file=" + config,
       fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port),
       "--storage.tsdb.path=" + dir + "/data", "--log.level=warn"});
  std::string base = fmt::format("http://127.0.0.1:{}", prometheus_port);

  // The group that sets job: edge is found under its scrape pool's name as well.
  std::vector<FleetTarget> discovered = wait_for_targets(base, "e2e3d", 4);
  REQUIRE(discovered.size() == 4);
  std::vector<FleetTarget> ours = read_targets_file(file_sd.path(), "e2e3d");
  std::sort(discovered.begin(), discovered.end(), by_url);
  std::sort(ours.begin(), ours.end(), by_url);
  REQUIRE(ours.size() == discovered.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    INFO("Prometheus: " << discovered[i].url);
    CHECK(ours[i].url == discovered[i].url);
    CHECK(ours[i].labels == discovered[i].labels);
  }

  // One Prometheus for all the checks (no SECTIONs: each would start it again, and it takes
  // about 5 s, its discovery manager's update period, to list file_sd targets).
  {  // the discovered targets are scraped directly
    std::vector<TargetScrape> results = scrape_fleet(discovered, FleetOptions{quick(), 8});
    std::size_t scraped = 0;
    for (const auto& r : results)
      scraped += r.scrape ? 1 : 0;
    CHECK(scraped == 2);  // the /broken one does not parse, nothing listens on localhost:80
  }
  {  // a job the server does not have is refused, naming those it has
    CHECK(error_of([&] { discover_targets(base + "/", "nope", quick()); }) ==
          fmt::format("Prometheus at {} has no active target of job 'nope'; its jobs are: "
                      "e2e3d, other; pass the right one with --job",
                      base));
    std::vector<FleetTarget> other = discover_targets(base, "other", quick());
    REQUIRE(other.size() == 1);
    CHECK(other[0].url == server.url(0));
    CHECK(other[0].labels ==
          std::map<std::string, std::string>{
              {"instance", fmt::format("127.0.0.1:{}", server.ports[0])}, {"job", "other"}});
  }
}

TEST_CASE("discover_targets: what is not a Prometheus server gets a clear one-line error",
          "[fleet][prometheus]") {
  FleetServer server = start_fleet_server({"2", "--refused", "1"});
  CHECK(error_of([&] { discover_targets(server.url(0, ""), "e2e3d", quick()); }) ==
        fmt::format("cannot fetch {}/api/v1/targets?state=active: connection refused: nothing is "
                    "listening on 127.0.0.1:{}. Check the address given with --from-prometheus",
                    server.url(0, ""), server.ports[0]));
  // An exporter: no API there.
  CHECK(error_of([&] { discover_targets(server.url(1, ""), "e2e3d", quick()); }) ==
        fmt::format("cannot fetch {}/api/v1/targets?state=active: HTTP 404 Not Found: nothing is "
                    "served at /api/v1/targets on 127.0.0.1:{}: is --from-prometheus the "
                    "server's base URL (with its path prefix, if it runs under one)?",
                    server.url(1, ""), server.ports[1]));
  std::string not_json =
      error_of([&] { discover_targets(server.url(1, "/html"), "e2e3d", quick()); });
  CHECK(not_json.starts_with(
      fmt::format("cannot use the answer of {}/api/v1/targets?state=active: it is not JSON: at "
                  "line 1, column 1: ",
                  server.url(1, "/html"))));
  CHECK(not_json.find("(near '<!DOCTYPE html>\\n<html><b')") != std::string::npos);
  CHECK(not_json.ends_with("; point --from-prometheus at a Prometheus server (http://HOST:9090)"));
  CHECK(error_of([&] { discover_targets(server.url(1, "/error"), "e2e3d", quick()); }) ==
        fmt::format("cannot use the answer of {}/api/v1/targets?state=active: it answered with "
                    "an error: storage is read-only; point --from-prometheus at a Prometheus "
                    "server (http://HOST:9090)",
                    server.url(1, "/error")));
  CHECK(error_of([&] { discover_targets(server.url(1, "/no-data/"), "e2e3d", quick()); }) ==
        fmt::format("cannot use the answer of {}/api/v1/targets?state=active: it is JSON without "
                    "data.activeTargets; point --from-prometheus at a Prometheus server "
                    "(http://HOST:9090)",
                    server.url(1, "/no-data")));
}
