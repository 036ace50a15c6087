// The real captures in tests/fixtures parse into the families, types and values they hold.

#include <cmath>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

Scrape parse_fixture(const std::string& name,
                     std::optional<ExpositionFormat> format = std::nullopt) {
  return parse_exposition(test::read_file(test::fixture_path(name)), format, name);
}

const Family& family(const Scrape& scrape, std::string_view name) {
  const auto index = scrape.find_family(name);
  INFO("family " << name);
  REQUIRE(index);
  return scrape.families()[*index];
}

std::size_t samples_in(const Scrape& scrape, std::string_view family_name) {
  const auto index = scrape.find_family(family_name);
  std::size_t count = 0;
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    if (index && scrape.series(i).family == *index) ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("Python client text capture: counters keep _total, _created are gauge families",
          "[exposition][fixtures]") {
  const Scrape scrape = parse_fixture("e2e3d_python.txt");
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.families().size() == 19);
  CHECK(scrape.series_count() == 43);

  const Family& success = family(scrape, "reconstruction_success_total");
  CHECK(success.type == MetricType::counter);
  REQUIRE(success.help);
  CHECK(scrape.str(*success.help) == "Number of successful reconstruction jobs");
  CHECK(success.series_count == 1);
  CHECK(scrape.single_value("reconstruction_success_total") == 7.0);
  CHECK(family(scrape, "reconstruction_success_created").type == MetricType::gauge);
  CHECK(scrape.single_value("reconstruction_success_created") == 1.7955709523161047e+09);
  CHECK_FALSE(scrape.find_family("reconstruction_success"));
  CHECK(scrape.single_value("reconstruction_total") == 10.0);
  CHECK(scrape.single_value("reconstruction_failure_total") == 3.0);
  CHECK(scrape.single_value("e2e3d_active_jobs") == 3.0);
  CHECK(scrape.single_value("process_cpu_seconds_total") == 0.11000000000000001);
  CHECK(scrape.single_value("process_max_fds") == 20000.0);

  const auto jobs = scrape.series_named("e2e3d_job_duration_seconds_total");
  REQUIRE(jobs.size() == 10);
  CHECK(family(scrape, "e2e3d_job_duration_seconds_total").series_count == 10);
  double completed = 0;
  for (uint32_t index : jobs) {
    const Series& series = scrape.series(index);
    const auto labels = scrape.labels(series);
    REQUIRE(labels.size() == 2);
    CHECK(scrape.str(labels[0].name) == "job_id");
    CHECK(scrape.str(labels[1].name) == "status");
    if (scrape.label(series, "status") == "completed") completed += series.value;
  }
  CHECK(completed == 11.5 + 12.5 + 13.5 + 15.5 + 16.5 + 17.5 + 19.5);
  CHECK(scrape.label(scrape.series(jobs[0]), "job_id") == "job-0");
  CHECK_FALSE(scrape.label(scrape.series(jobs[0]), "instance"));
  CHECK(scrape.timestamp_ms(jobs[0]) == Series::kNoTimestamp);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_created").size() == 10);
  CHECK(scrape.single_value("e2e3d_job_duration_seconds_total") == std::nullopt);  // 10 series

  const auto info = scrape.series_named("python_info");
  REQUIRE(info.size() == 1);
  const auto info_labels = scrape.labels(scrape.series(info[0]));
  REQUIRE(info_labels.size() == 5);
  CHECK(scrape.str(info_labels[0].name) == "implementation");
  CHECK(scrape.str(info_labels[4].name) == "version");
  CHECK(scrape.label(scrape.series(info[0]), "version") == "3.11.2");

  // Sample names in order of first appearance.
  REQUIRE(scrape.sample_names().size() == 19);
  CHECK(scrape.str(scrape.sample_names()[0]) == "python_gc_objects_collected_total");
  CHECK(scrape.str(scrape.sample_names().back()) == "e2e3d_job_duration_seconds_created");
}

TEST_CASE("Python client OpenMetrics capture: _total and _created belong to one counter family",
          "[exposition][fixtures]") {
  const Scrape scrape = parse_fixture("e2e3d_python.om.txt");
  CHECK(scrape.format() == ExpositionFormat::openmetrics);
  CHECK(scrape.families().size() == 15);
  CHECK(scrape.series_count() == 43);

  const Family& success = family(scrape, "reconstruction_success");
  CHECK(success.type == MetricType::counter);
  CHECK(success.series_count == 2);
  CHECK(scrape.single_value("reconstruction_success_total") == 7.0);
  CHECK(scrape.single_value("reconstruction_success_created") == 1.7955709523161047e+09);
  const uint32_t success_index = *scrape.find_family("reconstruction_success");
  CHECK(scrape.series(scrape.series_named("reconstruction_success_total")[0]).family ==
        success_index);
  CHECK(scrape.series(scrape.series_named("reconstruction_success_created")[0]).family ==
        success_index);
  CHECK_FALSE(scrape.find_family("reconstruction_success_total"));
  CHECK_FALSE(scrape.find_family("reconstruction_success_created"));

  const Family& jobs = family(scrape, "e2e3d_job_duration_seconds");
  CHECK(jobs.type == MetricType::counter);
  CHECK(jobs.series_count == 20);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_total").size() == 10);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_created").size() == 10);
  // In exposition order, although the two names interleave in the input.
  const auto totals = scrape.series_named("e2e3d_job_duration_seconds_total");
  for (std::size_t i = 1; i < totals.size(); ++i)
    CHECK(totals[i - 1] < totals[i]);
  CHECK(scrape.series(totals[9]).value == 19.5);
  CHECK(scrape.label(scrape.series(totals[9]), "job_id") == "job-9");

  CHECK(family(scrape, "e2e3d_active_jobs").type == MetricType::gauge);
  CHECK(family(scrape, "python_gc_objects_collected").series_count == 3);
  CHECK(scrape.single_value("process_cpu_seconds_total") == 0.11000000000000001);
}

TEST_CASE("Both Python captures give the same samples", "[exposition][fixtures]") {
  const Scrape text = parse_fixture("e2e3d_python.txt");
  const Scrape om = parse_fixture("e2e3d_python.om.txt");
  for (Symbol name : text.sample_names()) {
    const auto a = text.series_named(text.str(name));
    const auto b = om.series_named(text.str(name));
    INFO(text.str(name));
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(text.series(a[i]).value == om.series(b[i]).value);
    }
  }
}

TEST_CASE("node_exporter capture: untyped families and a summary", "[exposition][fixtures]") {
  const Scrape scrape = parse_fixture("node_exporter.txt");
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.families().size() == 282);
  CHECK(scrape.series_count() == 505);
  std::size_t untyped = 0;
  std::size_t counters = 0;
  for (const Family& f : scrape.families()) {
    untyped += f.type == MetricType::unknown;
    counters += f.type == MetricType::counter;
  }
  CHECK(untyped == 47);
  CHECK(counters == 60);
  const Family& gc = family(scrape, "go_gc_duration_seconds");
  CHECK(gc.type == MetricType::summary);
  CHECK(gc.series_count == 7);  // five quantiles, _sum, _count
  CHECK(samples_in(scrape, "go_gc_duration_seconds") == 7);
  CHECK_FALSE(scrape.find_family("go_gc_duration_seconds_sum"));
  const auto quantiles = scrape.series_named("go_gc_duration_seconds");
  REQUIRE(quantiles.size() == 5);
  CHECK(scrape.label(scrape.series(quantiles[0]), "quantile") == "0");
  CHECK(scrape.label(scrape.series(quantiles[4]), "quantile") == "1");
}

TEST_CASE("Prometheus capture: histograms and summaries keep _bucket, _sum and _count",
          "[exposition][fixtures]") {
  const Scrape scrape = parse_fixture("prometheus.txt");
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.families().size() == 169);
  CHECK(scrape.series_count() == 355);

  const Family& http = family(scrape, "prometheus_http_request_duration_seconds");
  CHECK(http.type == MetricType::histogram);
  CHECK(scrape.series_named("prometheus_http_request_duration_seconds_bucket").size() == 20);
  CHECK(http.series_count == 20 + 2 + 2);  // two handlers: buckets, _sum and _count each
  CHECK_FALSE(scrape.find_family("prometheus_http_request_duration_seconds_bucket"));
  CHECK_FALSE(scrape.find_family("prometheus_http_request_duration_seconds_count"));
  const auto buckets = scrape.series_named("prometheus_http_request_duration_seconds_bucket");
  const Series& last = scrape.series(buckets[9]);
  CHECK(scrape.label(last, "le") == "+Inf");
  CHECK(scrape.label(last, "handler") == "/api/v1/query");
  CHECK(last.value == 4);
  const auto counts = scrape.series_named("prometheus_http_request_duration_seconds_count");
  REQUIRE(counts.size() == 2);
  CHECK(scrape.series(counts[0]).value == 4);

  const Family& engine = family(scrape, "prometheus_engine_query_duration_seconds");
  CHECK(engine.type == MetricType::summary);
  CHECK(engine.series_count == samples_in(scrape, "prometheus_engine_query_duration_seconds"));
  CHECK_FALSE(scrape.find_family("prometheus_engine_query_duration_seconds_sum"));

  // NaN quantiles, as Prometheus writes them for summaries without observations.
  bool saw_nan = false;
  for (uint32_t i : scrape.series_named("prometheus_engine_query_duration_seconds")) {
    saw_nan = saw_nan || std::isnan(scrape.series(i).value);
  }
  CHECK(saw_nan);

  std::size_t histograms = 0;
  std::size_t summaries = 0;
  for (const Family& f : scrape.families()) {
    histograms += f.type == MetricType::histogram;
    summaries += f.type == MetricType::summary;
    // No family is left without samples: every _bucket/_sum/_count found its family.
    CHECK(f.series_count > 0);
  }
  CHECK(histograms == 7);
  CHECK(summaries == 10);
}

TEST_CASE("prometheus.om.txt is text: Prometheus 2.42 did not negotiate OpenMetrics",
          "[exposition][fixtures]") {
  // The capture has no "# EOF" and names counter families with _total: it is the text format.
  const Scrape scrape = parse_fixture("prometheus.om.txt");
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.families().size() == 169);
  CHECK(scrape.series_count() == 379);
  CHECK(family(scrape, "go_memstats_alloc_bytes_total").type == MetricType::counter);
  // Read as OpenMetrics it is rejected, as Prometheus would reject it.
  CHECK_THROWS_AS(parse_fixture("prometheus.om.txt", ExpositionFormat::openmetrics), ParseError);
}

TEST_CASE("Content-Type picks the format", "[exposition]") {
  CHECK(format_from_content_type("text/plain; version=0.0.4; charset=utf-8") ==
        ExpositionFormat::prometheus_text);
  CHECK(format_from_content_type("application/openmetrics-text; version=1.0.0; charset=utf-8") ==
        ExpositionFormat::openmetrics);
  CHECK(format_from_content_type("Application/OpenMetrics-Text") == ExpositionFormat::openmetrics);
  CHECK(format_from_content_type(" text/plain ") == ExpositionFormat::prometheus_text);
  CHECK_FALSE(format_from_content_type("text/html; charset=utf-8"));
  CHECK_FALSE(format_from_content_type(
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily"));
  CHECK_FALSE(format_from_content_type(""));
}
