// History: what recording scrapes keeps, what instant and range selectors see, and the
// recording format's round trip and errors.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/live/recording.hpp"

namespace {

using namespace e2e3d;
using namespace e2e3d::promql;
using namespace e2e3d::live;

constexpr int64_t kT0 = 1'700'000'000'000;

Scrape text(const std::string& body) {
  return parse_exposition(body, ExpositionFormat::prometheus_text);
}

Vector vector_at(const History& h, const std::string& expr, int64_t t) {
  return std::get<Vector>(evaluate(h, expr, EvalOptions{t}));
}

std::string temp_file(const std::string& content) {
  char tmpl[] = "/tmp/e2e3d-history-test-XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(tmpl) << content;
  return tmpl;
}

}  // namespace

TEST_CASE("a series that vanishes from a scrape gets a staleness marker", "[history]") {
  History h;
  h.add_scrape(text("a 1\nb 2\n"), kT0);
  h.add_scrape(text("a 2\n"), kT0 + 15000);
  const auto& b = h.series().at(Labels{{"__name__", "b"}});
  REQUIRE(b.points.size() == 2);
  CHECK(is_stale_marker(b.points[1].value));
  CHECK(b.points[1].t_ms == kT0 + 15000);
  // The instant view no longer has it, though its last real sample is within the lookback.
  CHECK(vector_at(h, "b", kT0 + 15000).empty());
  CHECK(vector_at(h, "b", kT0 + 10000).size() == 1);
  // Range functions skip the marker.
  CHECK(vector_at(h, "count_over_time(b[1m])", kT0 + 15000)[0].value == 1);
  // It comes back when the series does.
  h.add_scrape(text("a 3\nb 5\n"), kT0 + 30000);
  CHECK(vector_at(h, "b", kT0 + 30000)[0].value == 5);
}

TEST_CASE("instant selectors look back at most five minutes", "[history]") {
  History h;
  h.add_point({{"__name__", "x"}}, "x", MetricType::gauge, Point{kT0, 1});
  CHECK(vector_at(h, "x", kT0 + kLookbackMs).size() == 1);
  CHECK(vector_at(h, "x", kT0 + kLookbackMs + 1).empty());
  CHECK(vector_at(h, "x", kT0 - 1).empty());
  CHECK(vector_at(h, "timestamp(x)", kT0 + 60000)[0].value == 1'700'000'000);
}

TEST_CASE("points older than the retention are dropped as scrapes arrive", "[history]") {
  History h(History::Limits{60'000, 1000});
  for (int i = 0; i < 10; ++i)
    h.add_scrape(text(fmt::format("c_total {}\n", i)), kT0 + i * 15000);
  CHECK(h.point_count() == 5);  // 60 s back from the newest, at 15 s apart
  CHECK(*h.oldest_ms() == kT0 + 75000);
  CHECK(*h.newest_ms() == kT0 + 135000);
  CHECK(h.scrape_count() == 10);
}

TEST_CASE("a scrape past the sample limit is refused with the way out", "[history]") {
  History h(History::Limits{3'600'000, 3});
  h.add_scrape(text("a 1\nb 1\n"), kT0);
  REQUIRE_THROWS_WITH(h.add_scrape(text("a 1\nb 1\n"), kT0 + 1000),
                      Catch::Contains("more than the limit of 3") && Catch::Contains("--window"));
}

TEST_CASE("rate handles a counter reset as Prometheus does", "[history]") {
  History h;
  // 10, 20, 30, reset to 5, 15: increases of 10+10+5+10 = 35 over 60 s of samples.
  double values[] = {10, 20, 30, 5, 15};
  for (int i = 0; i < 5; ++i)
    h.add_scrape(text(fmt::format("c_total {}\n", values[i])), kT0 + i * 15000);
  CHECK(vector_at(h, "resets(c_total[5m])", kT0 + 60000)[0].value == 1);
  // The samples span the whole 1m range exactly: no extrapolation.
  CHECK(vector_at(h, "increase(c_total[1m])", kT0 + 60000)[0].value == Approx(35));
  CHECK(vector_at(h, "irate(c_total[1m])", kT0 + 60000)[0].value == Approx(10.0 / 15));
}

TEST_CASE("a range vector result is a matrix", "[history]") {
  History h;
  h.add_scrape(text("g 1\n"), kT0);
  h.add_scrape(text("g 2\n"), kT0 + 15000);
  auto m = std::get<Matrix>(evaluate(h, "g[1m]", EvalOptions{kT0 + 15000}));
  REQUIRE(m.size() == 1);
  CHECK(m[0].points.size() == 2);
  CHECK(to_api_json(m, 1700000015000) ==
        R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"g"},)"
        R"("values":[[1700000000,"1"],[1700000015,"2"]]}]}})");
}

TEST_CASE("one scrape still explains how to get history", "[history]") {
  Scrape one = text("g 1\n");
  REQUIRE_THROWS_WITH(evaluate(one, "rate(g[5m])"),
                      Catch::Contains("query --watch") && Catch::Contains("--replay FILE"));
}

TEST_CASE("a recording reads back into the same history", "[history][recording]") {
  History h;
  h.add_scrape(text("# TYPE jobs counter\njobs_total{status=\"a\\\"b\"} 1\n"
                    "# TYPE mem gauge\nmem 1.5e+300\n# TYPE odd counter\nodd 3\n"),
               kT0 + 1);
  h.add_scrape(text("# TYPE jobs counter\njobs_total{status=\"a\\\"b\"} NaN\n"
                    "# TYPE mem gauge\nmem -Inf\n"),
               kT0 + 15'250);
  std::string om = recording_text(h);
  // A counter without _total cannot be an OpenMetrics counter: it is written as unknown.
  CHECK(om.find("# TYPE odd unknown\nodd 3 1700000000.001\n") != std::string::npos);
  CHECK(om.find("jobs_total{status=\"a\\\"b\"} NaN 1700000015.25\n") != std::string::npos);
  CHECK(om.ends_with("# EOF\n"));
  std::string path = temp_file(om);
  History back = read_recording(path);
  std::filesystem::remove(path);
  REQUIRE(back.series().size() == 3);
  const auto& mem = back.series().at(Labels{{"__name__", "mem"}});
  REQUIRE(mem.points.size() == 2);
  CHECK(mem.points[0].value == 1.5e300);
  CHECK(std::isinf(mem.points[1].value));
  CHECK(mem.type == MetricType::gauge);
  // The staleness marker of `odd` is not part of the recording.
  CHECK(back.series().at(Labels{{"__name__", "odd"}}).points.size() == 1);
}

TEST_CASE("recordings that cannot be replayed say why and where", "[history][recording]") {
  SECTION("a sample without a timestamp") {
    std::string path = temp_file("# TYPE g gauge\ng 1 100\ng 2\n# EOF\n");
    REQUIRE_THROWS_WITH(read_recording(path), Catch::Contains(path + ": the sample of g has no "
                                                                     "timestamp"));
    std::filesystem::remove(path);
  }
  SECTION("samples out of time order") {
    std::string path = temp_file("# TYPE g gauge\ng 1 100\ng 2 99\n# EOF\n");
    REQUIRE_THROWS_WITH(read_recording(path), Catch::Contains("not in time order"));
    std::filesystem::remove(path);
  }
  SECTION("a syntax error has its line and column") {
    std::string path = temp_file("# TYPE g gauge\ng 1 100\ng{ 2 101\n# EOF\n");
    REQUIRE_THROWS_WITH(read_recording(path), Catch::StartsWith(path + ":3:"));
    std::filesystem::remove(path);
  }
  SECTION("a missing file") {
    REQUIRE_THROWS_WITH(read_recording("/nonexistent/rec.om"),
                        Catch::Contains("cannot read the recording /nonexistent/rec.om") &&
                            Catch::Contains("--replay"));
  }
}
