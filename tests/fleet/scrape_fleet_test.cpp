// scrape_fleet against real HTTP servers: tests/support/fleet_server.py runs many exporters
// (some broken on purpose) in one Python process.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <algorithm>

#include <chrono>

#include "e2e3d/fleet.hpp"
#include "fleet_test_support.hpp"

using namespace e2e3d;
using e2e3d::test::FleetServer;
using e2e3d::test::start_fleet_server;
using e2e3d::test::value_of;
using Clock = std::chrono::steady_clock;

namespace {

FleetOptions quick(std::size_t parallelism, double timeout_seconds = 5) {
  FleetOptions options;
  options.parallelism = parallelism;
  options.fetch.timeout_seconds = timeout_seconds;
  options.fetch.connect_timeout_seconds = timeout_seconds;
  return options;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("scrape_fleet: every target scraped, results in the order given", "[fleet][scrape]") {
  FleetServer server = start_fleet_server({"30"});
  REQUIRE(server.ports.size() == 30);
  std::vector<FleetTarget> targets = server.targets();
  // Not the order the ports were opened in, so the result order is the input's, not luck's.
  std::reverse(targets.begin(), targets.end());
  std::rotate(targets.begin(), targets.begin() + 7, targets.end());

  std::vector<TargetScrape> results = scrape_fleet(targets, quick(8));
  REQUIRE(results.size() == targets.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("target " << i << ": " << targets[i].url);
    const TargetScrape& r = results[i];
    CHECK(r.target.url == targets[i].url);
    CHECK(r.target.labels == targets[i].labels);
    REQUIRE(r.scrape);
    CHECK_FALSE(r.error);
    int port = std::stoi(r.target.labels.at("instance").substr(10));  // "127.0.0.1:PORT"
    CHECK(r.scrape->single_value("e2e3d_exporter_port") == port);
    CHECK(r.info.http_status == 200);
    CHECK(r.info.source == targets[i].url);
    CHECK(r.info.format == ExpositionFormat::prometheus_text);
    CHECK(r.seconds > 0);
  }

  Scrape merged = merge_fleet(results);
  CHECK(merged.series_named("up").size() == 30);
  CHECK(merged.series_named("e2e3d_exporter_port").size() == 30);
  CHECK(value_of(merged, "reconstruction_total",
                 {{"instance", fmt::format("127.0.0.1:{}", server.ports[3])},
                  {"job", "e2e3d"},
                  {"status", "success"}}) == server.ports[3]);
}

TEST_CASE("scrape_fleet: a failing target is a row with its error, the others are scraped",
          "[fleet][scrape]") {
  // Ports 0-1 answer HTTP 500, port 2 is closed, the rest serve metrics.
  FleetServer server = start_fleet_server({"8", "--fail", "2", "--refused", "1"});
  std::vector<FleetTarget> targets = server.targets();
  targets.push_back(target_from_url(server.url(5, "/no-such-path"), "e2e3d"));
  targets.push_back(FleetTarget{"http://127.0.0.1:99999/metrics", {{"instance", "bad"}}});
  targets.push_back(target_from_url(server.url(6, "/stats"), "e2e3d"));

  std::vector<TargetScrape> results = scrape_fleet(targets, quick(4));
  REQUIRE(results.size() == 11);
  auto error = [&](std::size_t i) { return results[i].error.value_or("(no error)"); };
  for (std::size_t i : {0, 1}) {
    CHECK_FALSE(results[i].scrape);
    CHECK(results[i].error_kind == ErrorKind::fetch);
    CHECK(error(i) == fmt::format("cannot fetch {}: HTTP 500 Internal Server Error: the exporter "
                                  "failed while producing the metrics: check the service's logs",
                                  server.url(i)));
    CHECK(results[i].info.http_status == 500);
  }
  CHECK_THAT(error(2), Catch::StartsWith(fmt::format(
                           "cannot fetch {}: connection refused: nothing is listening on "
                           "127.0.0.1:{}",
                           server.url(2), server.ports[2])));
  for (std::size_t i = 3; i < 8; ++i) {
    CHECK(results[i].scrape);
    CHECK_FALSE(results[i].error);
  }
  CHECK_THAT(error(8), Catch::StartsWith(fmt::format("cannot fetch {}: HTTP 404 Not Found",
                                                     server.url(5, "/no-such-path"))));
  CHECK_THAT(error(9), Catch::Contains("the URL is not valid"));
  CHECK(results[9].info.source == "http://127.0.0.1:99999/metrics");
  // /stats is a valid exposition of the server's counters: scraped like any target.
  CHECK(results[10].scrape);

  Scrape merged = merge_fleet(results);
  double up = 0;
  for (uint32_t i : merged.series_named("up"))
    up += merged.series(i).value;
  CHECK(merged.series_named("up").size() == 11);
  CHECK(up == 6);
}

TEST_CASE("scrape_fleet: credentials in a target URL never reach its row", "[fleet][scrape]") {
  FleetServer server = start_fleet_server({"2", "--fail", "1"});
  std::vector<FleetTarget> targets;
  for (std::size_t i = 0; i < 2; ++i) {
    targets.push_back(target_from_url(
        fmt::format("http://reader:s3cr3t-pw@127.0.0.1:{}/metrics", server.ports[i]), "e2e3d"));
  }
  std::vector<TargetScrape> results = scrape_fleet(targets, quick(2));
  REQUIRE(results[0].error);
  CHECK_THAT(*results[0].error, Catch::StartsWith("cannot fetch " + server.url(0) + ": HTTP 500"));
  CHECK(results[1].scrape);
  for (const auto& r : results) {
    CHECK(r.info.source.find("s3cr3t") == std::string::npos);
    CHECK(r.info.effective_url.find("s3cr3t") == std::string::npos);
    CHECK(r.target.url == targets[&r - results.data()].url);  // kept for the next scrape
  }
}

TEST_CASE("scrape_fleet: a body that does not parse fails that target with its line",
          "[fleet][scrape]") {
  FleetServer server = start_fleet_server({"2"});
  std::vector<FleetTarget> targets = server.targets();
  targets.insert(targets.begin() + 1, target_from_url(server.url(0, "/broken"), "e2e3d"));
  std::vector<TargetScrape> results = scrape_fleet(targets, quick(2));
  REQUIRE(results.size() == 3);
  CHECK(results[0].scrape);
  CHECK(results[2].scrape);
  CHECK_FALSE(results[1].scrape);
  CHECK(results[1].error_kind == ErrorKind::parse);
  CHECK_THAT(results[1].error.value_or(""), Catch::StartsWith(server.url(0, "/broken") + ":2:"));
  CHECK(results[1].info.http_status == 200);
}

TEST_CASE("scrape_fleet: a slow target times out alone, without delaying the others",
          "[fleet][scrape]") {
  // Ports 0-1 answer after 30 s; the timeout is 1 s.
  FleetServer server = start_fleet_server({"12", "--slow", "2"});
  auto start = Clock::now();
  std::vector<TargetScrape> results = scrape_fleet(server.targets(), quick(4, 1.0));
  double total = seconds_since(start);
  CHECK(total < 1.9);
  for (std::size_t i : {0, 1}) {
    REQUIRE(results[i].error);
    CHECK(*results[i].error ==
          fmt::format("cannot fetch {}: timed out: connected to 127.0.0.1:{}, but no response "
                      "came within 1 s (--timeout). The server accepted the connection and never "
                      "answered: is the service stuck? Raise --timeout if it is just slow",
                      server.url(i), server.ports[i]));
    CHECK(results[i].seconds >= 0.95);
  }
  // Two of four slots are held by the slow targets for the whole second; the other ten
  // targets go through the two left, each in a fraction of the timeout.
  for (std::size_t i = 2; i < results.size(); ++i) {
    INFO("target " << i);
    CHECK(results[i].scrape);
    CHECK(results[i].seconds < 0.9);
  }
}

TEST_CASE("scrape_fleet: at most `parallelism` transfers at once", "[fleet][scrape]") {
  // Every answer is held 0.1 s, so transfers overlap as much as they are allowed to.
  SECTION("bounded at 3") {
    FleetServer server = start_fleet_server({"15", "--delay", "0.1"});
    auto start = Clock::now();
    std::vector<TargetScrape> results = scrape_fleet(server.targets(), quick(3));
    double total = seconds_since(start);
    for (const auto& r : results)
      CHECK(r.scrape);
    CHECK(server.max_in_flight() == 3);
    CHECK(total >= 0.5);  // 15 answers of 0.1 s, 3 at a time: 5 rounds at least
  }
  SECTION("all at once when the bound allows it") {
    FleetServer server = start_fleet_server({"15", "--delay", "0.3"});
    auto start = Clock::now();
    std::vector<TargetScrape> results = scrape_fleet(server.targets(), quick(64));
    double total = seconds_since(start);
    for (const auto& r : results)
      CHECK(r.scrape);
    CHECK(server.max_in_flight() == 15);
    CHECK(total < 1.5);  // one round of 0.3 s, not fifteen
  }
}

TEST_CASE("scrape_fleet: options that cannot work are refused once, not per target",
          "[fleet][scrape]") {
  std::vector<FleetTarget> targets{target_from_url("127.0.0.1:1", "e2e3d")};
  FleetOptions zero = quick(0);
  CHECK_THROWS_WITH(scrape_fleet(targets, zero),
                    "the number of targets scraped at once must be at least 1");
  FleetOptions bad_timeout = quick(4, 0);
  try {
    scrape_fleet(targets, bad_timeout);
    FAIL("no exception");
  } catch (const FetchError& e) {
    CHECK(e.failure() == FetchFailure::bad_option);
    CHECK(std::string(e.what()) == "--timeout must be more than 0 seconds, not 0");
  }
  CHECK(scrape_fleet({}, quick(4)).empty());
}
