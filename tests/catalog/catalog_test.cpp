#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "e2e3d/catalog.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

TEST_CASE("every metric, query and alert of the metrics document is in the catalog") {
  // The document itself is the reference: a name it mentions that the catalog lacks (or the
  // reverse) means the two drifted apart.
  std::string spec = test::read_file(E2E3D_SOURCE_DIR "/../shared/spec/E2E3D-METRICS.md");
  // CI and developers have ../shared beside the checkout; a bare clone may not.
  if (spec.empty()) {
    WARN("../shared/spec/E2E3D-METRICS.md is not beside the checkout");
    return;
  }
  std::regex table_row(R"(\| `([a-z0-9_]+)` \| (Counter|Gauge) \|)");
  std::vector<std::string> documented;
  for (std::sregex_iterator it(spec.begin(), spec.end(), table_row), end; it != end; ++it) {
    documented.push_back((*it)[1]);
  }
  REQUIRE(documented.size() == catalog::metrics().size());
  for (const auto& name : documented) {
    INFO(name);
    CHECK(catalog::find_metric(name) != nullptr);
  }
  for (const auto& q : catalog::queries()) {
    if (q.id == "failure_rate_percent") continue;  // the alert's ratio, not a sample query
    INFO(q.id);
    CHECK(spec.find(std::string(q.expr)) != std::string::npos);
  }
  for (const auto& a : catalog::alerts()) {
    CHECK(spec.find("alert: " + std::string(a.name)) != std::string::npos);
    CHECK(spec.find("expr: " + std::string(a.expr)) != std::string::npos);
    CHECK(spec.find("for: " + std::string(a.for_duration)) != std::string::npos);
  }
  CHECK(spec.find(std::string(catalog::kDefaultUrl)) != std::string::npos);
}

TEST_CASE("documented names resolve to what the Python client exposes") {
  for (const char* fixture : {"e2e3d_python.txt", "e2e3d_python.om.txt"}) {
    INFO(fixture);
    Scrape scrape = parse_exposition(test::read_file(test::fixture_path(fixture)));
    auto names = catalog::resolve_names(scrape);
    std::map<std::string, std::optional<std::string>> by;
    for (const auto& n : names)
      by[std::string(n.documented)] = n.exposed;
    CHECK(by["reconstruction_total"] == "reconstruction_total");
    CHECK(by["reconstruction_success"] == "reconstruction_success_total");
    CHECK(by["reconstruction_failure"] == "reconstruction_failure_total");
    CHECK(by["e2e3d_active_jobs"] == "e2e3d_active_jobs");
    CHECK(by["e2e3d_job_duration_seconds"] == "e2e3d_job_duration_seconds_total");
    CHECK(by["process_cpu_seconds_total"] == "process_cpu_seconds_total");
  }
}

TEST_CASE("a target without the service's metrics resolves nothing, never _created") {
  Scrape scrape = parse_exposition(
      "# TYPE reconstruction_success_created gauge\nreconstruction_success_created 1.7e9\n");
  for (const auto& n : catalog::resolve_names(scrape)) {
    INFO(n.documented);
    CHECK_FALSE(n.exposed.has_value());
  }
}
