// merge_fleet: the fleet as one scrape, labelled as Prometheus labels what it scrapes with
// honor_labels: false.
#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/fleet.hpp"
#include "fleet_test_support.hpp"

using namespace e2e3d;
using e2e3d::test::labels_of;
using e2e3d::test::value_of;
using Labels = std::map<std::string, std::string>;

namespace {

TargetScrape scraped(const std::string& instance, const std::string& text) {
  TargetScrape t;
  t.target.url = "http://" + instance + "/metrics";
  t.target.labels = {{"instance", instance}, {"job", "e2e3d"}};
  t.scrape = parse_exposition(text);
  t.seconds = 0.25;
  return t;
}

TargetScrape failed(const std::string& instance) {
  TargetScrape t;
  t.target.url = "http://" + instance + "/metrics";
  t.target.labels = {{"instance", instance}, {"job", "e2e3d"}};
  t.error = "cannot fetch http://" + instance + "/metrics: connection refused";
  t.seconds = 0.5;
  return t;
}

// TargetScrape holds a move-only Scrape: no initializer lists.
template <typename... T>
std::vector<TargetScrape> fleet_of(T&&... targets) {
  std::vector<TargetScrape> out;
  (out.push_back(std::forward<T>(targets)), ...);
  return out;
}

// Every label set of the series named `name`.
std::vector<Labels> label_sets(const Scrape& scrape, std::string_view name) {
  std::vector<Labels> out;
  for (uint32_t i : scrape.series_named(name))
    out.push_back(labels_of(scrape, scrape.series(i)));
  return out;
}

}  // namespace

TEST_CASE("merge_fleet: every series gets its target's labels", "[fleet][merge]") {
  std::string text =
      "# HELP reconstruction_total Total number of reconstruction jobs processed\n"
      "# TYPE reconstruction_total counter\n"
      "reconstruction_total{status=\"success\"} 7\n"
      "reconstruction_total{status=\"failed\"} 1\n";
  std::vector<TargetScrape> fleet = fleet_of(scraped("a:9101", text), scraped("b:9101", text));
  Scrape merged = merge_fleet(fleet);
  CHECK(label_sets(merged, "reconstruction_total") ==
        std::vector<Labels>{{{"instance", "a:9101"}, {"job", "e2e3d"}, {"status", "success"}},
                            {{"instance", "a:9101"}, {"job", "e2e3d"}, {"status", "failed"}},
                            {{"instance", "b:9101"}, {"job", "e2e3d"}, {"status", "success"}},
                            {{"instance", "b:9101"}, {"job", "e2e3d"}, {"status", "failed"}}});
  // One family for both targets.
  REQUIRE(merged.find_family("reconstruction_total"));
  CHECK(merged.families()[*merged.find_family("reconstruction_total")].series_count == 4);
}

TEST_CASE("merge_fleet: an exposed label a target label displaces is kept as exported_",
          "[fleet][merge]") {
  std::vector<TargetScrape> fleet =
      fleet_of(scraped("a:9101",
                       "# TYPE m gauge\n"
                       "m{instance=\"pod-7\",job=\"worker\",x=\"1\"} 1\n"
                       "m{instance=\"pod-8\",exported_instance=\"old\"} 2\n"
                       "m{instance=\"\",x=\"3\"} 3\n"));
  Scrape merged = merge_fleet(fleet);
  CHECK(label_sets(merged, "m") == std::vector<Labels>{
                                       {{"instance", "a:9101"},
                                        {"job", "e2e3d"},
                                        {"exported_instance", "pod-7"},
                                        {"exported_job", "worker"},
                                        {"x", "1"}},
                                       // exported_instance is taken: one more prefix.
                                       {{"instance", "a:9101"},
                                        {"job", "e2e3d"},
                                        {"exported_instance", "old"},
                                        {"exported_exported_instance", "pod-8"}},
                                       // An empty value is no label: nothing to export.
                                       {{"instance", "a:9101"}, {"job", "e2e3d"}, {"x", "3"}},
                                   });
}

TEST_CASE("merge_fleet: up, scrape_duration_seconds and scrape_samples_scraped per target",
          "[fleet][merge]") {
  std::vector<TargetScrape> fleet =
      fleet_of(scraped("a:9101", "# TYPE m gauge\nm 1\nm{x=\"y\"} 2\n"), failed("b:9101"));
  Scrape merged = merge_fleet(fleet);
  CHECK(value_of(merged, "up", {{"instance", "a:9101"}, {"job", "e2e3d"}}) == 1);
  CHECK(value_of(merged, "up", {{"instance", "b:9101"}, {"job", "e2e3d"}}) == 0);
  CHECK(value_of(merged, "scrape_samples_scraped", {{"instance", "a:9101"}}) == 2);
  CHECK(value_of(merged, "scrape_samples_scraped", {{"instance", "b:9101"}}) == 0);
  CHECK(value_of(merged, "scrape_duration_seconds", {{"instance", "b:9101"}}) == 0.5);
  REQUIRE(merged.find_family("up"));
  CHECK(merged.families()[*merged.find_family("up")].type == MetricType::gauge);
  // up's labels are exactly the target labels.
  CHECK(label_sets(merged, "up") ==
        std::vector<Labels>{{{"instance", "a:9101"}, {"job", "e2e3d"}},
                            {{"instance", "b:9101"}, {"job", "e2e3d"}}});
  // The failed target contributes nothing else.
  CHECK(label_sets(merged, "m").size() == 2);
}

TEST_CASE("merge_fleet: the first target's type and help win; timestamps are kept",
          "[fleet][merge]") {
  std::vector<TargetScrape> fleet =
      fleet_of(scraped("a:1", "# HELP m First help\n# TYPE m gauge\nm 1 1700000000000\n"),
               scraped("b:1", "# HELP m Other help\n# TYPE m counter\nm 2\n"));
  Scrape merged = merge_fleet(fleet);
  auto family = merged.families()[*merged.find_family("m")];
  CHECK(family.type == MetricType::gauge);
  REQUIRE(family.help);
  CHECK(merged.str(*family.help) == "First help");
  auto named = merged.series_named("m");
  REQUIRE(named.size() == 2);
  CHECK(merged.timestamp_ms(named[0]) == 1700000000000);
  CHECK(merged.timestamp_ms(named[1]) == Series::kNoTimestamp);
}

TEST_CASE("merge_fleet: a fleet with no successful target still has its up series",
          "[fleet][merge]") {
  Scrape merged = merge_fleet(fleet_of(failed("a:1"), failed("b:1")));
  CHECK(merged.series_named("up").size() == 2);
  CHECK(merged.series_count() == 6);
}
