// Hidden benchmark ([.bench], not run by ctest): scrapes the targets file named by
// E2E3D_FLEET_TARGETS and prints how long the scrape and the merge took. bench/fleet_bench.sh
// runs it against 200 loopback exporters and against one.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "e2e3d/fleet.hpp"

using namespace e2e3d;
using Clock = std::chrono::steady_clock;

TEST_CASE("fleet bench: scrape and merge the targets of E2E3D_FLEET_TARGETS", "[.bench]") {
  const char* file = std::getenv("E2E3D_FLEET_TARGETS");
  if (!file) FAIL("set E2E3D_FLEET_TARGETS to a targets file (see bench/fleet_bench.sh)");
  FleetOptions options;
  if (const char* p = std::getenv("E2E3D_FLEET_PARALLELISM")) options.parallelism = std::stoul(p);

  auto start = Clock::now();
  std::vector<FleetTarget> targets = read_targets_file(file, "e2e3d");
  auto scrape_start = Clock::now();
  std::vector<TargetScrape> results = scrape_fleet(targets, options);
  auto merge_start = Clock::now();
  Scrape merged = merge_fleet(results);
  auto end = Clock::now();

  auto seconds = [](auto from, auto to) {
    return std::chrono::duration<double>(to - from).count();
  };
  std::size_t failed = 0;
  for (const auto& r : results) {
    if (r.error) {
      ++failed;
      std::cerr << *r.error << "\n";
    }
  }
  std::cout << fmt::format(
      "fleet-bench targets {} failed {} series {} parallelism {} total {:.6f} read {:.6f} "
      "scrape {:.6f} merge {:.6f}\n",
      targets.size(), failed, merged.series_count(), options.parallelism, seconds(start, end),
      seconds(start, scrape_start), seconds(scrape_start, merge_start), seconds(merge_start, end));
  CHECK(failed == 0);
}
