// The demo's output against the real Python client's: same names, types, HELP texts, label
// names, order and layout, in both formats; and the documented names when asked for.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "demo/exposition_writer.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "exposition_shape.hpp"
#include "raw_http.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using demo::FinishedJob;
using demo::JobStatus;

namespace {

FinishedJob job(const char* id, JobStatus status, double duration, double finished_at) {
  FinishedJob j{};
  REQUIRE(std::strlen(id) == j.id.size());
  std::memcpy(j.id.data(), id, j.id.size());
  j.status = status;
  j.duration_seconds = duration;
  j.finished_at = finished_at;
  return j;
}

const std::vector<FinishedJob>& sample_jobs() {
  static const std::vector<FinishedJob> jobs = {
      job("0b4e7a52-5f0e-4c1e-9d7a-1f2e3d4c5b6a", JobStatus::failed, 10.5, 30.25),
      job("6c0a1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4", JobStatus::completed, 11.5, 41.0),
      job("a1b2c3d4-e5f6-4a7b-b8c9-d0e1f2a3b4c5", JobStatus::completed, 0.11000000000000001, 52.5),
  };
  return jobs;
}

demo::JobsSnapshot snapshot(std::span<const FinishedJob> jobs) {
  demo::JobsSnapshot s;
  for (const auto& j : jobs)
    (j.status == JobStatus::failed ? s.failure : s.success) += 1;
  s.total = s.success + s.failure;
  s.active = 3;
  s.wall_origin = 1795570900.0;
  s.created_at = 1795570952.3160927;
  s.jobs = jobs;
  return s;
}

demo::ProcessMetrics process() {
  demo::ProcessMetrics p;
  p.virtual_memory_bytes = 179949568.0;
  p.resident_memory_bytes = 23175168.0;
  p.start_time_seconds = 1795570951.44;
  p.cpu_seconds_total = 0.11000000000000001;
  p.open_fds = 8;
  p.max_fds = 20000;
  return p;
}

std::string render(ExpositionFormat format, DemoNames names,
                   std::span<const FinishedJob> jobs = sample_jobs()) {
  std::string out;
  demo::write_exposition(out, format, names, process(), snapshot(jobs));
  return out;
}

std::vector<std::string> fixture_shape(const char* name) {
  return test::exposition_shape(test::read_file(test::fixture_path(name)));
}

struct FamilyInfo {
  std::string name;
  MetricType type;
  std::string help;
  bool operator==(const FamilyInfo&) const = default;
};

std::vector<FamilyInfo> families(const Scrape& scrape) {
  std::vector<FamilyInfo> out;
  for (const auto& f : scrape.families()) {
    std::string name(scrape.str(f.name));
    if (name.starts_with("python_")) continue;
    out.push_back({name, f.type, f.help ? std::string(scrape.str(*f.help)) : ""});
  }
  return out;
}

}  // namespace

TEST_CASE("text output has the Python client's exact shape", "[demo][writer]") {
  auto shape = test::exposition_shape(render(ExpositionFormat::prometheus_text, DemoNames::python));
  CHECK(shape == fixture_shape("e2e3d_python.txt"));
}

TEST_CASE("OpenMetrics output has the Python client's exact shape", "[demo][writer]") {
  std::string text = render(ExpositionFormat::openmetrics, DemoNames::python);
  CHECK(test::exposition_shape(text) == fixture_shape("e2e3d_python.om.txt"));
  CHECK(text.ends_with("\n# EOF\n"));
}

TEST_CASE("both formats parse into the fixture's families", "[demo][writer]") {
  for (auto [format, fixture] : {std::pair{ExpositionFormat::prometheus_text, "e2e3d_python.txt"},
                                 std::pair{ExpositionFormat::openmetrics, "e2e3d_python.om.txt"}}) {
    INFO(fixture);
    Scrape demo = parse_exposition(render(format, DemoNames::python), format, "demo");
    Scrape python = parse_exposition(test::read_file(test::fixture_path(fixture)), format, fixture);
    CHECK(families(demo) == families(python));
    CHECK(demo.series_named("e2e3d_job_duration_seconds_total").size() == 3);
    CHECK(demo.series_named("e2e3d_job_duration_seconds_created").size() == 3);
    CHECK(demo.single_value("reconstruction_total") == 3.0);
    CHECK(demo.single_value("reconstruction_success_total") == 2.0);
    CHECK(demo.single_value("reconstruction_failure_created") == 1795570952.3160927);
    CHECK(demo.single_value("process_cpu_seconds_total") == 0.11000000000000001);
  }
}

TEST_CASE("each job is one series per suffix, valued as the service values it", "[demo][writer]") {
  std::string text = render(ExpositionFormat::prometheus_text, DemoNames::python);
  CHECK_THAT(text, Catch::Contains("e2e3d_job_duration_seconds_total{job_id=\"0b4e7a52-5f0e-4c1e-"
                                   "9d7a-1f2e3d4c5b6a\",status=\"failed\"} 10.5\n"));
  CHECK_THAT(text,
             Catch::Contains("e2e3d_job_duration_seconds_total{job_id=\"a1b2c3d4-e5f6-4a7b-"
                             "b8c9-d0e1f2a3b4c5\",status=\"completed\"} 0.11000000000000001\n"));
  // `_created` is when the job's series appeared: the moment it finished.
  CHECK_THAT(text,
             Catch::Contains("e2e3d_job_duration_seconds_created{job_id=\"0b4e7a52-5f0e-"
                             "4c1e-9d7a-1f2e3d4c5b6a\",status=\"failed\"} 1.79557093025e+09\n"));
  CHECK_THAT(text, Catch::Contains("\nreconstruction_created 1.7955709523160927e+09\n"));
  CHECK_THAT(text, Catch::Contains("\nprocess_virtual_memory_bytes 1.79949568e+08\n"));
  CHECK_THAT(text, Catch::Contains("\ne2e3d_active_jobs 3.0\n"));
}

TEST_CASE("with no finished job yet the output matches the live Python client's",
          "[demo][writer]") {
  // The real client, with the service's definitions and nothing recorded yet: the labelled
  // counter has HELP and TYPE but no series, and no `_created` family in the text format.
  auto helper = test::start_python_helper("e2e3d_exporter.py",
                                          {"--completed", "0", "--failed", "0", "--active", "3"});
  auto port = static_cast<uint16_t>(helper.port);
  auto text = test::http_request(port, "GET", "/metrics");
  auto om = test::http_request(port, "GET", "/metrics",
                               {"Accept: application/openmetrics-text; version=1.0.0"});
  REQUIRE(text.status == 200);
  REQUIRE(om.status == 200);
  std::span<const FinishedJob> none;
  CHECK(test::exposition_shape(render(ExpositionFormat::prometheus_text, DemoNames::python,
                                      none)) == test::exposition_shape(text.body));
  CHECK(test::exposition_shape(render(ExpositionFormat::openmetrics, DemoNames::python, none)) ==
        test::exposition_shape(om.body));
  CHECK(std::string(demo::content_type(ExpositionFormat::prometheus_text)) ==
        text.headers["content-type"]);
  CHECK(std::string(demo::content_type(ExpositionFormat::openmetrics)) ==
        om.headers["content-type"]);
}

TEST_CASE("documented names: the metrics document's table, as plain counters", "[demo][writer]") {
  std::string text = render(ExpositionFormat::prometheus_text, DemoNames::documented);
  Scrape scrape = parse_exposition(text, ExpositionFormat::prometheus_text, "demo");
  for (const auto& metric : catalog::metrics()) {
    INFO(metric.name);
    auto index = scrape.find_family(metric.name);
    REQUIRE(index);
    const Family& family = scrape.families()[*index];
    CHECK(family.type == metric.type);
    REQUIRE(family.help);
    if (metric.group == catalog::MetricGroup::jobs) CHECK(scrape.str(*family.help) == metric.help);
  }
  CHECK(scrape.single_value("reconstruction_success") == 2.0);
  CHECK(scrape.single_value("reconstruction_failure") == 1.0);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds").size() == 3);
  CHECK_THAT(text, !Catch::Contains("_created"));
  CHECK_THAT(text, !Catch::Contains("reconstruction_success_total"));
  CHECK_THAT(text, !Catch::Contains("e2e3d_job_duration_seconds_total"));
}

TEST_CASE("the Accept header picks the format as the Python client picks it", "[demo][writer]") {
  using demo::negotiate_format;
  const auto om = ExpositionFormat::openmetrics;
  const auto text = ExpositionFormat::prometheus_text;
  // What Prometheus 2.42 sends.
  CHECK(negotiate_format("application/openmetrics-text;version=1.0.0,application/"
                         "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
                         "*/*;q=0.1",
                         DemoNames::python) == om);
  CHECK(negotiate_format("text/plain;version=0.0.4;q=1, application/openmetrics-text; q=0.5",
                         DemoNames::python) == om);
  CHECK(negotiate_format("text/plain; version=0.0.4", DemoNames::python) == text);
  CHECK(negotiate_format("", DemoNames::python) == text);
  CHECK(negotiate_format("*/*", DemoNames::python) == text);
  CHECK(negotiate_format("application/openmetrics-textual", DemoNames::python) == text);
  // OpenMetrics cannot carry a counter sample without `_total`.
  CHECK(negotiate_format("application/openmetrics-text", DemoNames::documented) == text);
}

TEST_CASE("label values and HELP texts are escaped as the client escapes them", "[demo][writer]") {
  std::string label;
  demo::append_escaped(label, "a\\b\"c\nd", true);
  CHECK(label == "a\\\\b\\\"c\\nd");
  std::string help;
  demo::append_escaped(help, "a\\b\"c\nd", false);
  CHECK(help == "a\\\\b\"c\\nd");
}

TEST_CASE("rendering stays fast with tens of thousands of jobs", "[demo][writer]") {
  std::vector<FinishedJob> many;
  demo::SimulationParameters p;
  p.seed = 99;
  p.jobs_per_minute = 60000;
  p.mean_duration_seconds = 1;
  p.initial_jobs = 50'000;
  demo::Simulation simulation(p);
  auto started = std::chrono::steady_clock::now();
  std::string text =
      render(ExpositionFormat::prometheus_text, DemoNames::python, simulation.finished());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WARN(fmt::format("rendered 50,000 jobs ({:.1f} MB) in {:.1f} ms", text.size() / 1e6,
                   seconds * 1e3));
#ifndef __SANITIZE_ADDRESS__  // sanitizers slow it down tenfold; the bound is for real builds
  CHECK(seconds < 1.0);       // 60 to 120 ms on a loaded 2-core build machine
#endif
  Scrape scrape = parse_exposition(text, ExpositionFormat::prometheus_text, "demo");
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_total").size() == 50'000);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_created").size() == 50'000);
}
