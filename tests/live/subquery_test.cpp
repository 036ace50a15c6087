// Subqueries and the @ modifier over recorded scrapes: the steps' alignment, what each step
// sees, the order of the series, and the bounds. The differential test compares them with a
// real Prometheus; these pin the rules down where a failure is easy to read.
#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/live/history.hpp"

namespace {

using namespace e2e3d;
using namespace e2e3d::promql;
using namespace e2e3d::live;

constexpr int64_t kT0 = 1'699'999'980'000;  // a multiple of every step below

Scrape text(const std::string& body) {
  return parse_exposition(body, ExpositionFormat::prometheus_text);
}

// g = i at kT0 + 15 s * i, for i in 0..8; h{k} appears late.
History recorded() {
  History h;
  for (int i = 0; i <= 8; ++i) {
    std::string body = "g " + std::to_string(i) + "\n";
    if (i >= 4) body += "h{k=\"a\"} 1\n";
    body += "h{k=\"b\"} 2\n";
    h.add_scrape(text(body), kT0 + 15000 * i);
  }
  return h;
}

std::string points(const SeriesPoints& s) {
  std::string out;
  for (const auto& p : s.points)
    out += std::to_string((p.t_ms - kT0) / 1000) + "s=" + format_value(p.value) + " ";
  return out;
}

}  // namespace

TEST_CASE("a subquery steps at multiples of its step, back from the evaluation time",
          "[subquery]") {
  History h = recorded();
  // At kT0 + 65 s, [1m:20s] covers (5 s, 65 s]: steps 20 s, 40 s, 60 s, each the newest sample.
  auto m = std::get<Matrix>(evaluate(h, "g[1m:20s]", EvalOptions{kT0 + 65000}));
  REQUIRE(m.size() == 1);
  CHECK(points(m[0]) == "20s=1 40s=2 60s=4 ");
  // A step exactly at the window's start is in it.
  m = std::get<Matrix>(evaluate(h, "g[1m:20s]", EvalOptions{kT0 + 80000}));
  CHECK(points(m[0]) == "20s=1 40s=2 60s=4 80s=5 ");
  auto v = std::get<Vector>(evaluate(h, "max_over_time(g[1m:20s])", EvalOptions{kT0 + 65000}));
  REQUIRE(v.size() == 1);
  CHECK(v[0].value == 4);
  CHECK(v[0].metric.empty());
  // offset moves the whole subquery back.
  m = std::get<Matrix>(evaluate(h, "g[1m:20s] offset 30s", EvalOptions{kT0 + 95000}));
  CHECK(points(m[0]) == "20s=1 40s=2 60s=4 ");
}

TEST_CASE("subqueries nest, and a subquery without a step steps by a minute", "[subquery]") {
  History h = recorded();
  auto v = std::get<Vector>(
      evaluate(h, "max_over_time(rate(g[30s])[1m:15s])", EvalOptions{kT0 + 120000}));
  REQUIRE(v.size() == 1);
  auto inner = std::get<Matrix>(evaluate(h, "rate(g[30s])[1m:15s]", EvalOptions{kT0 + 120000}));
  REQUIRE(inner.size() == 1);
  CHECK(inner[0].points.size() == 5);
  auto m = std::get<Matrix>(evaluate(h, "g[2m:]", EvalOptions{kT0 + 120000}));
  CHECK(points(m[0]) == "0s=0 60s=4 120s=8 ");
  auto nested = std::get<Vector>(
      evaluate(h, "max_over_time(max_over_time(g[30s:15s])[1m:30s])", EvalOptions{kT0 + 120000}));
  REQUIRE(nested.size() == 1);
  CHECK(nested[0].value == 8);
}

TEST_CASE("subquery series: a selector's in label-set order, others where they first appear",
          "[subquery]") {
  History h = recorded();
  // h{k="a"} appears only at 60 s, after h{k="b"}: a selector still lists it first.
  auto m = std::get<Matrix>(evaluate(h, "h[2m:30s]", EvalOptions{kT0 + 120000}));
  REQUIRE(m.size() == 2);
  CHECK(format_series(m[0].metric) == "h{k=\"a\"}");
  // An aggregation's series are listed as they first appear (Prometheus: a Go map's order).
  m = std::get<Matrix>(evaluate(h, "sum by (k) (h)[2m:30s]", EvalOptions{kT0 + 120000}));
  REQUIRE(m.size() == 2);
  CHECK(format_series(m[0].metric) == "{k=\"b\"}");
}

TEST_CASE("@ pins a selector, a range and a subquery to a time", "[subquery][at]") {
  History h = recorded();
  auto v = std::get<Vector>(evaluate(h, "g @ 1700000010", EvalOptions{kT0 + 120000}));
  REQUIRE(v.size() == 1);
  CHECK(v[0].value == 2);
  v = std::get<Vector>(evaluate(h, "g @ 1700000040 offset 30s", EvalOptions{kT0 + 120000}));
  CHECK(v[0].value == 2);
  // start() and end() are the evaluation time of an instant query.
  v = std::get<Vector>(evaluate(h, "g @ start() - g @ end()", EvalOptions{kT0 + 45000}));
  CHECK(v[0].value == 0);
  v = std::get<Vector>(evaluate(h, "g @ end()", EvalOptions{kT0 + 45000}));
  CHECK(v[0].value == 3);
  v = std::get<Vector>(evaluate(h, "count_over_time(g[1m] @ 1700000040)", EvalOptions{kT0}));
  CHECK(v[0].value == 5);
  v = std::get<Vector>(evaluate(h, "max_over_time(g[1m:15s] @ 1700000040)", EvalOptions{kT0}));
  CHECK(v[0].value == 4);
  // timestamp() of a sample read at @ - offset: the sample's own time.
  v = std::get<Vector>(
      evaluate(h, "timestamp(g @ 1700000040 offset 30s)", EvalOptions{kT0 + 120000}));
  CHECK(v[0].value == 1700000010);
}

TEST_CASE("a single scrape still refuses subqueries and @, saying why", "[subquery]") {
  Scrape one = text("g 1\n");
  REQUIRE_THROWS_WITH(evaluate(one, "g @ end()"),
                      Catch::Contains("1:1: the @ modifier") && Catch::Contains("single scrape"));
  REQUIRE_THROWS_WITH(evaluate(one, "max_over_time(g[5m:1m])"), Catch::Contains("single scrape"));
}

TEST_CASE("subqueries are bounded in steps", "[subquery]") {
  History h = recorded();
  REQUIRE_THROWS_WITH(evaluate(h, "max_over_time(g[1d:1ms])", EvalOptions{kT0 + 120000}),
                      Catch::Contains("1:15: the subqueries of this query would be evaluated at "
                                      "more than 1000000 steps"));
}
