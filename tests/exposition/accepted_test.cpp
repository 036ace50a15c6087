// What Prometheus 2.42 accepts, and so must we: the corners of both formats.

#include <cmath>
#include <memory>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"

using namespace e2e3d;

namespace {

constexpr auto kText = ExpositionFormat::prometheus_text;
constexpr auto kOpenMetrics = ExpositionFormat::openmetrics;

double value_of(const Scrape& scrape, std::string_view name) {
  const auto value = scrape.single_value(name);
  INFO(name);
  REQUIRE(value);
  return *value;
}

}  // namespace

TEST_CASE("Text format: blanks, comments, tabs, trailing commas, timestamps",
          "[exposition][text]") {
  const Scrape scrape = parse_exposition(
      "\n"
      "# a plain comment\n"
      "#comment without a space\n"
      "   \t  \n"
      "# HELP  spaced   Help with  spaces.\n"
      "# TYPE\tspaced\tgauge   \n"
      "  spaced { a = \"1\" , b=\"2\", } \t 3 \t 1700000000123 \n"
      "no_labels{} 4\n"
      "braces_then_value{a=\"x\"}5\n"
      "last_line_without_newline 6",
      kText);
  CHECK(scrape.families().size() == 4);
  const auto spaced = scrape.find_family("spaced");
  REQUIRE(spaced);
  CHECK(scrape.families()[*spaced].type == MetricType::gauge);
  CHECK(scrape.str(*scrape.families()[*spaced].help) == "Help with  spaces.");
  const uint32_t spaced_index = scrape.series_named("spaced")[0];
  const Series& series = scrape.series(spaced_index);
  CHECK(series.value == 3);
  CHECK(scrape.timestamp_ms(spaced_index) == 1700000000123);
  CHECK(scrape.label(series, "a") == "1");
  CHECK(scrape.label(series, "b") == "2");
  CHECK(value_of(scrape, "no_labels") == 4);
  CHECK(scrape.labels(scrape.series(scrape.series_named("no_labels")[0])).empty());
  CHECK(value_of(scrape, "braces_then_value") == 5);
  CHECK(value_of(scrape, "last_line_without_newline") == 6);
  CHECK(scrape.families()[*scrape.find_family("no_labels")].type == MetricType::unknown);
}

TEST_CASE("Escapes in label values and HELP", "[exposition]") {
  const Scrape text = parse_exposition(
      "# HELP a Back\\\\slash and\\nnewline \"quotes\" stay.\n"
      "a{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",multi=\"one\\ntwo\",utf8=\"café ☕\"} 1\n",
      kText);
  CHECK(text.str(*text.families()[0].help) == "Back\\slash and\nnewline \"quotes\" stay.");
  const Series& series = text.series(0);
  CHECK(text.label(series, "path") == "C:\\dir");
  CHECK(text.label(series, "quote") == "say \"hi\"");
  CHECK(text.label(series, "multi") == "one\ntwo");
  CHECK(text.label(series, "utf8") == "café ☕");

  const Scrape om =
      parse_exposition("# HELP a Say \\\"hi\\\".\n# TYPE a gauge\na 1\n# EOF\n", kOpenMetrics);
  CHECK(om.str(*om.families()[0].help) == "Say \"hi\".");
}

TEST_CASE("Numbers as Go's ParseFloat reads them", "[exposition]") {
  const Scrape scrape = parse_exposition(
      "a 1\nb -2.5\nc +3\nd 1e3\ne 1.5E-3\nf .5\ng 5.\nh NaN\ni nan\nj +Inf\nk -Inf\nl Inf\n"
      "m inf\nn -infinity\no 007\np 1e-400\nq 4e-320\nr 0\ns -0\n",
      kText);
  CHECK(value_of(scrape, "a") == 1);
  CHECK(value_of(scrape, "b") == -2.5);
  CHECK(value_of(scrape, "c") == 3);
  CHECK(value_of(scrape, "d") == 1000);
  CHECK(value_of(scrape, "e") == 0.0015);
  CHECK(value_of(scrape, "f") == 0.5);
  CHECK(value_of(scrape, "g") == 5);
  CHECK(std::isnan(value_of(scrape, "h")));
  CHECK(std::isnan(value_of(scrape, "i")));
  CHECK(value_of(scrape, "j") == INFINITY);
  CHECK(value_of(scrape, "k") == -INFINITY);
  CHECK(value_of(scrape, "l") == INFINITY);
  CHECK(value_of(scrape, "m") == INFINITY);
  CHECK(value_of(scrape, "n") == -INFINITY);
  CHECK(value_of(scrape, "o") == 7);
  CHECK(value_of(scrape, "p") == 0);  // underflow rounds to zero, as in Go
  CHECK(value_of(scrape, "q") == 4e-320);
  CHECK(value_of(scrape, "r") == 0);
  CHECK(std::signbit(value_of(scrape, "s")));

  for (const char* bad : {"1_000", "0x10", "0x1p3", "+NaN", "1e", "e1", ".", "+", "1.2.3", "--1",
                          "infinit", "1e400", "-1e400", "1,5"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_exposition(std::string("a ") + bad + "\n", kText), ParseError);
  }
}

TEST_CASE("OpenMetrics: units, timestamps, exemplars, every type", "[exposition][openmetrics]") {
  const Scrape scrape = parse_exposition(
      "# TYPE request_seconds histogram\n"
      "# UNIT request_seconds seconds\n"
      "# HELP request_seconds How long requests take.\n"
      "request_seconds_bucket{le=\"0.1\"} 1 # {trace_id=\"abc\"} 0.05 1700000000.5\n"
      "request_seconds_bucket{le=\"+Inf\"} 2 # {} 3\n"
      "request_seconds_count 2 1700000000.25\n"
      "request_seconds_sum 3.05\n"
      "request_seconds_created 1700000000\n"
      "# TYPE jobs counter\n"
      "jobs_total{kind=\"a\",} 5 # {trace_id=\"x\"} 1 1700000000\n"
      "jobs_created{kind=\"a\"} 1700000000\n"
      "# TYPE queue gaugehistogram\n"
      "queue_bucket{le=\"+Inf\"} 4\n"
      "queue_gcount 4\n"
      "queue_gsum 9\n"
      "# TYPE build info\n"
      "build_info{version=\"1.2\"} 1\n"
      "# TYPE feature stateset\n"
      "feature{feature=\"a\"} 1\n"
      "feature{feature=\"b\"} 0\n"
      "# TYPE latency summary\n"
      "latency{quantile=\"0.5\"} 0.2\n"
      "latency_sum 1\n"
      "latency_count 5\n"
      "# TYPE mystery unknown\n"
      "mystery 42\n"
      "untyped_sample 1\n"
      "# EOF",
      kOpenMetrics);
  CHECK(scrape.format() == ExpositionFormat::openmetrics);
  REQUIRE(scrape.families().size() == 8);
  const auto& families = scrape.families();
  const auto expect = [&](std::string_view name, MetricType type, uint32_t count) {
    const auto index = scrape.find_family(name);
    INFO(name);
    REQUIRE(index);
    CHECK(families[*index].type == type);
    CHECK(families[*index].series_count == count);
  };
  expect("request_seconds", MetricType::histogram, 5);
  expect("jobs", MetricType::counter, 2);
  expect("queue", MetricType::gaugehistogram, 3);
  expect("build", MetricType::info, 1);
  expect("feature", MetricType::stateset, 2);
  expect("latency", MetricType::summary, 3);
  expect("mystery", MetricType::unknown, 1);
  expect("untyped_sample", MetricType::unknown, 1);
  const Family& histogram = families[*scrape.find_family("request_seconds")];
  CHECK(scrape.str(*histogram.unit) == "seconds");
  CHECK(scrape.str(*histogram.help) == "How long requests take.");
  // Seconds become milliseconds; exemplars are dropped.
  CHECK(scrape.timestamp_ms(scrape.series_named("request_seconds_count")[0]) == 1700000000250);
  CHECK(scrape.timestamp_ms(scrape.series_named("request_seconds_bucket")[0]) ==
        Series::kNoTimestamp);
  CHECK(value_of(scrape, "jobs_total") == 5);
  CHECK_FALSE(scrape.find("trace_id"));  // exemplar labels are not kept
}

TEST_CASE("The format is detected from the content", "[exposition]") {
  // A counter named like its family is text; with _total it is OpenMetrics.
  CHECK(parse_exposition("# TYPE a_total counter\na_total 1\n").format() == kText);
  CHECK(parse_exposition("# TYPE a counter\na_total 1\n# EOF\n").format() == kOpenMetrics);
  CHECK(parse_exposition("# TYPE a gauge\na 1\n# EOF\n").format() == kOpenMetrics);
  CHECK(parse_exposition("# TYPE a gauge\na 1\n").format() == kText);
  CHECK(parse_exposition("# TYPE a untyped\na 1\n").format() == kText);
  CHECK(parse_exposition("# UNIT a_seconds seconds\na_seconds 1\n# EOF\n").format() ==
        kOpenMetrics);
  CHECK(parse_exposition("").format() == kText);
  // A summary's _created only exists in OpenMetrics.
  CHECK(parse_exposition("# TYPE s summary\ns_created 1\n# EOF\n").format() == kOpenMetrics);
  // Text with a stray "# EOF" comment stays text when an earlier line already decided.
  CHECK(parse_exposition("# plain comment\na 1\n# EOF\n").format() == kText);
}

TEST_CASE("A scrape built by hand", "[exposition][scrape]") {
  Scrape scrape;
  auto& builder = scrape.builder();
  const uint32_t jobs = builder.add_family("jobs_total", MetricType::counter);
  builder.set_help(jobs, "Jobs.");
  CHECK(builder.add_series(jobs, "jobs_total", {{"status", "ok"}, {"id", "1"}}, 2) == 0);
  CHECK(builder.add_series(jobs, "jobs_total", {{"id", "2"}, {"status", "ok"}}, 3) == 1);
  CHECK_FALSE(builder.first_duplicate());
  CHECK_THROWS_AS(builder.add_series(jobs, "jobs_total", {{"id", "3"}, {"id", "4"}}, 1), Error);
  CHECK(scrape.series_count() == 2);
  CHECK(scrape.series_named("jobs_total").size() == 2);
  builder.finish();
  CHECK(builder.add_series(jobs, "jobs_total", {{"id", "3"}}, 5) == 2);
  CHECK(scrape.series_named("jobs_total").size() == 3);  // the index follows new series
  const Series& first = scrape.series(0);
  CHECK(scrape.str(scrape.labels(first)[0].name) == "id");  // sorted by name
  CHECK(scrape.str(scrape.labels(first)[1].name) == "status");
  CHECK(scrape.families()[jobs].series_count == 3);
  // The same labels in another order are the same series.
  CHECK(builder.add_series(jobs, "jobs_total", {{"status", "ok"}, {"id", "2"}}, 4) == 3);
  CHECK(builder.first_duplicate() == std::make_pair(uint32_t{1}, uint32_t{3}));
  CHECK(scrape.find("ok"));
  CHECK_FALSE(scrape.find("absent"));
  CHECK(scrape.series_named("absent").empty());
  CHECK_FALSE(scrape.single_value("jobs_total"));
  CHECK_THROWS_AS(builder.add_family("jobs_total"), Error);

  Scrape moved = std::move(scrape);
  CHECK(moved.series_named("jobs_total").size() == 4);
  CHECK(metric_type_name(MetricType::unknown) == "unknown");
  CHECK(metric_type_name(MetricType::gaugehistogram) == "gaugehistogram");
}

TEST_CASE("derived data is computed once, shared, and forgotten when the scrape grows",
          "[exposition][derived]") {
  Scrape scrape = parse_exposition("# TYPE a gauge\na 1\n");
  int computed = 0;
  auto compute = [&] {
    ++computed;
    return std::shared_ptr<const void>(std::make_shared<int>(computed));
  };
  auto first = scrape.derived("k", compute);
  auto again = scrape.derived("k", compute);
  CHECK(computed == 1);
  CHECK(first == again);
  CHECK(scrape.derived("other", compute) != first);
  CHECK(computed == 2);
  // An exception reaches every caller, and is not retried.
  auto failing = [&]() -> std::shared_ptr<const void> {
    ++computed;
    throw std::runtime_error("no");
  };
  CHECK_THROWS_WITH(scrape.derived("bad", failing), "no");
  CHECK_THROWS_WITH(scrape.derived("bad", failing), "no");
  CHECK(computed == 3);
  auto& builder = scrape.builder();
  builder.add_series(*scrape.find_family("a"), "a", {{"x", "1"}}, 2);
  scrape.derived("k", compute);
  CHECK(computed == 4);
}
