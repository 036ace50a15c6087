// Alerts that compare counters' lifetime totals where a rate was meant, and their rewrite.
#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/rules/windowed.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

Rule alert(std::string name, std::string expr, int64_t for_ms = 0) {
  Rule r;
  r.kind = RuleKind::alerting;
  r.name = std::move(name);
  r.expr = std::move(expr);
  r.for_ms = for_ms;
  return r;
}

std::optional<LifetimeComparison> find(const Rule& rule, const Scrape* scrape = nullptr) {
  return find_lifetime_comparison(rule, rule.expr, scrape);
}

}  // namespace

TEST_CASE(
    "the document's HighFailureRate compares lifetime totals, and its rewrite is the "
    "windowed rule generate writes") {
  Scrape scrape = parse_exposition(test::read_file(test::fixture_path("e2e3d_python.txt")));
  Rule documented = alert("HighFailureRate",
                          "(reconstruction_failure / reconstruction_total) > 0.1", 15 * 60'000);
  auto found = find(documented);
  REQUIRE(found);
  CHECK(found->counters ==
        std::vector<std::string>{"reconstruction_failure", "reconstruction_total"});
  CHECK(found->window_ms == 15 * 60'000);
  CHECK(found->windowed_expr ==
        "sum(rate(reconstruction_failure[15m])) / "
        "(sum(rate(reconstruction_total[15m])) > 0) > 0.1");

  // With the exposed names (what alerts and doctor judge on the Python client).
  Rule exposed = documented;
  exposed.expr = "(reconstruction_failure_total / reconstruction_total) > 0.1";
  found = find(exposed, &scrape);
  REQUIRE(found);
  CHECK(found->windowed_expr ==
        "sum(rate(reconstruction_failure_total[15m])) / "
        "(sum(rate(reconstruction_total[15m])) > 0) > 0.1");
}

TEST_CASE("a user's rule on totals is rewritten with increase() over its for:") {
  auto found = find(alert("Failures", "reconstruction_failure_total > 100", 10 * 60'000));
  REQUIRE(found);
  CHECK(found->windowed_expr == "increase(reconstruction_failure_total[10m]) > 100");

  found = find(alert("Ratio",
                     "sum by (instance) (app_errors_total{code=~\"5..\"} offset 5m) / "
                     "sum by (instance) (app_requests_total) > 0.05"));
  REQUIRE(found);
  CHECK(found->counters == std::vector<std::string>{"app_errors_total", "app_requests_total"});
  CHECK(found->window_ms == 15 * 60'000);  // no for: the default window
  CHECK(found->windowed_expr ==
        "sum by (instance) (increase(app_errors_total{code=~\"5..\"}[15m] offset 5m)) / "
        "sum by (instance) (increase(app_requests_total[15m])) > 0.05");

  found = find(alert("Clamped", "clamp_max(x_total @ 100, 5) >= 3"));
  REQUIRE(found);
  CHECK(found->windowed_expr == "clamp_max(increase(x_total[15m] @ 100), 5) >= 3");
}

TEST_CASE("rates, gauges, absent() and recording rules are not lifetime comparisons") {
  CHECK_FALSE(find(alert("Windowed",
                         "sum(rate(reconstruction_failure_total[15m])) / "
                         "(sum(rate(reconstruction_total[15m])) > 0) > 0.1")));
  CHECK_FALSE(find(alert("Gauge", "e2e3d_active_jobs > 10")));
  CHECK_FALSE(find(alert("Gone", "absent(reconstruction_total)")));
  CHECK_FALSE(find(alert("Stuck", "time() - timestamp(reconstruction_total) > 300")));
  CHECK_FALSE(find(alert("Bare", "reconstruction_total")));  // compares nothing
  CHECK_FALSE(find(alert("Created", "process_start_time_seconds > reconstruction_total_created")));
  Rule recording = alert("job:ratio", "reconstruction_failure_total / reconstruction_total > 0");
  recording.kind = RuleKind::recording;
  CHECK_FALSE(find(recording));

  // The scrape's types win over the name: a gauge named _total is a gauge.
  Scrape scrape = parse_exposition("# TYPE queue_total gauge\nqueue_total 3\n");
  CHECK_FALSE(find(alert("Queue", "queue_total > 10"), &scrape));
  CHECK(find(alert("Queue", "queue_total > 10")));
}
