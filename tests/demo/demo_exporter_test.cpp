// The demo exporter as a scraper sees it: started in-process on an ephemeral loopback port,
// fetched over real sockets, parsed with the project's own parser.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "e2e3d/catalog.hpp"
#include "e2e3d/demo.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "exposition_shape.hpp"
#include "raw_http.hpp"
#include "support/child_process.hpp"

using namespace std::chrono_literals;
using namespace e2e3d;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kOpenMetricsAccept =
    "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
    "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

DemoOptions options(uint64_t seed = 17) {
  DemoOptions o;
  o.seed = seed;
  return o;
}

test::RawReply scrape(const DemoExporter& demo, const std::vector<std::string>& headers = {}) {
  return test::http_request(demo.port(), "GET", "/metrics", headers);
}

Scrape parse(const test::RawReply& reply) {
  auto format = format_from_content_type(reply.headers.at("content-type"));
  return parse_exposition(reply.body, format, "demo");
}

double value(const Scrape& s, std::string_view name) {
  auto v = s.single_value(name);
  INFO(name);
  REQUIRE(v);
  return *v;
}

double elapsed_seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("GET /metrics is the service's exposition with consistent job totals",
          "[demo][exporter]") {
  DemoExporter demo(options());
  CHECK(demo.url() == "http://127.0.0.1:" + std::to_string(demo.port()) + "/metrics");
  auto reply = scrape(demo);
  REQUIRE(reply.status == 200);
  CHECK(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(test::exposition_shape(reply.body) ==
        test::exposition_shape(test::read_file(test::fixture_path("e2e3d_python.txt"))));

  Scrape s = parse(reply);
  double total = value(s, "reconstruction_total");
  double success = value(s, "reconstruction_success_total");
  double failure = value(s, "reconstruction_failure_total");
  CHECK(total >= 40);  // the initial jobs, at least
  CHECK(success + failure == total);
  CHECK(value(s, "e2e3d_active_jobs") >= 0);
  // One series per finished job, its status agreeing with the counters.
  std::map<std::string, double> count_by_status;
  std::map<std::string, double> seconds_by_status;
  for (uint32_t index : s.series_named("e2e3d_job_duration_seconds_total")) {
    const Series& series = s.series(index);
    std::string status(*s.label(series, "status"));
    count_by_status[status] += 1;
    seconds_by_status[status] += series.value;
    CHECK(series.value >= 0);
    CHECK(s.label(series, "job_id")->size() == 36);
  }
  CHECK(count_by_status["completed"] == success);
  CHECK(count_by_status["failed"] == failure);
  CHECK(count_by_status.size() <= 2);
  CHECK(seconds_by_status["completed"] + seconds_by_status["failed"] > 0);
  CHECK(s.series_named("e2e3d_job_duration_seconds_created").size() == total);
  // Created times lie in the past; the counters were created before any job finished.
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double created = value(s, "reconstruction_created");
  CHECK(created < now);
  for (uint32_t index : s.series_named("e2e3d_job_duration_seconds_created")) {
    CHECK(s.series(index).value >= created);
    CHECK(s.series(index).value <= now + 1);
  }
}

TEST_CASE("the process metrics are this process's own", "[demo][exporter]") {
  DemoExporter demo(options());
  Scrape s = parse(scrape(demo));
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  CHECK(value(s, "process_max_fds") == static_cast<double>(limit.rlim_cur));
  CHECK(value(s, "process_open_fds") >= 3);
  CHECK(value(s, "process_resident_memory_bytes") > 1e6);
  CHECK(value(s, "process_virtual_memory_bytes") >= value(s, "process_resident_memory_bytes"));
  CHECK(value(s, "process_cpu_seconds_total") >= 0);
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double start = value(s, "process_start_time_seconds");
  CHECK(start <= now + 1);
  CHECK(start > now - 3600);  // this test process started moments ago
}

TEST_CASE("OpenMetrics when the scraper asks for it as Prometheus does", "[demo][exporter]") {
  DemoExporter demo(options());
  auto reply = scrape(demo, {kOpenMetricsAccept});
  REQUIRE(reply.status == 200);
  CHECK(reply.headers["content-type"] ==
        "application/openmetrics-text; version=0.0.1; charset=utf-8");
  CHECK(reply.body.ends_with("# EOF\n"));
  CHECK(test::exposition_shape(reply.body) ==
        test::exposition_shape(test::read_file(test::fixture_path("e2e3d_python.om.txt"))));
  Scrape s = parse(reply);
  CHECK(s.format() == ExpositionFormat::openmetrics);
  CHECK(value(s, "reconstruction_success_total") + value(s, "reconstruction_failure_total") ==
        value(s, "reconstruction_total"));
}

TEST_CASE("documented names: the document's names in every format", "[demo][exporter]") {
  auto o = options();
  o.names = DemoNames::documented;
  DemoExporter demo(o);
  auto reply = scrape(demo, {kOpenMetricsAccept});
  REQUIRE(reply.status == 200);
  CHECK(reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8");
  Scrape s = parse(reply);
  for (const auto& metric : catalog::metrics()) {
    INFO(metric.name);
    auto family = s.find_family(metric.name);
    REQUIRE(family);
    CHECK(s.families()[*family].type == metric.type);
  }
  CHECK(value(s, "reconstruction_success") + value(s, "reconstruction_failure") ==
        value(s, "reconstruction_total"));
  CHECK(s.series_named("e2e3d_job_duration_seconds").size() == value(s, "reconstruction_total"));
  CHECK_FALSE(s.find("reconstruction_success_total"));
  CHECK_FALSE(s.find("reconstruction_success_created"));
}

TEST_CASE("other paths get 404, other methods 405, HEAD the headers", "[demo][exporter]") {
  DemoExporter demo(options());
  auto other = test::http_request(demo.port(), "GET", "/other");
  CHECK(other.status == 404);
  CHECK(other.body == "Not Found: this demo exporter serves only /metrics\n");
  auto root = test::http_request(demo.port(), "GET", "/");
  CHECK(root.status == 404);
  auto post = test::http_request(demo.port(), "POST", "/metrics");
  CHECK(post.status == 405);
  CHECK(post.headers["allow"] == "GET, HEAD");
  CHECK(test::http_request(demo.port(), "DELETE", "/metrics").status == 405);
  auto head = test::http_request(demo.port(), "HEAD", "/metrics");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(std::stoul(head.headers["content-length"]) > 1000);
  CHECK(test::http_request(demo.port(), "GET", "/metrics?name[]=x").status == 200);
}

TEST_CASE("counters only grow from scrape to scrape", "[demo][exporter]") {
  auto o = options(23);
  o.jobs_per_minute = 6000;  // 100 jobs a second: a few hundred ms show growth
  o.mean_duration_seconds = 0.05;
  DemoExporter demo(o);
  Scrape first = parse(scrape(demo));
  std::this_thread::sleep_for(300ms);
  Scrape second = parse(scrape(demo));
  CHECK(value(second, "reconstruction_total") > value(first, "reconstruction_total"));
  CHECK(value(second, "reconstruction_success_total") >=
        value(first, "reconstruction_success_total"));
  CHECK(value(second, "reconstruction_failure_total") >=
        value(first, "reconstruction_failure_total"));
  CHECK(value(second, "reconstruction_created") == value(first, "reconstruction_created"));
}

TEST_CASE("the same seed tells the same story", "[demo][exporter]") {
  DemoExporter a(options(99));
  DemoExporter b(options(99));
  Scrape sa = parse(scrape(a));
  Scrape sb = parse(scrape(b));
  // The initial jobs are the same jobs: same ids, statuses and durations, in the same order.
  auto ja = sa.series_named("e2e3d_job_duration_seconds_total");
  auto jb = sb.series_named("e2e3d_job_duration_seconds_total");
  REQUIRE(ja.size() >= 40);
  REQUIRE(jb.size() >= 40);
  for (std::size_t i = 0; i < 40; ++i) {
    CHECK(sa.label(sa.series(ja[i]), "job_id") == sb.label(sb.series(jb[i]), "job_id"));
    CHECK(sa.label(sa.series(ja[i]), "status") == sb.label(sb.series(jb[i]), "status"));
    CHECK(sa.series(ja[i]).value == sb.series(jb[i]).value);
  }
}

TEST_CASE("20 concurrent scrapes all succeed", "[demo][exporter]") {
  DemoExporter demo(options());
  std::atomic<int> ok{0};
  std::vector<std::thread> scrapers;
  for (int i = 0; i < 20; ++i) {
    scrapers.emplace_back([&, i] {
      auto reply = scrape(
          demo, i % 2 ? std::vector<std::string>{kOpenMetricsAccept} : std::vector<std::string>{});
      if (reply.status != 200) return;
      try {
        Scrape s = parse(reply);
        if (s.single_value("reconstruction_total").value_or(0) >= 40) ++ok;
      } catch (const e2e3d::Error&) {
      }
    });
  }
  for (auto& t : scrapers)
    t.join();
  CHECK(ok == 20);
}

TEST_CASE("a silent client does not block a scrape, nor stop", "[demo][exporter]") {
  auto demo = std::make_unique<DemoExporter>(options());
  int silent = test::connect_to("127.0.0.1", demo->port());
  auto start = Clock::now();
  CHECK(scrape(*demo).status == 200);
  CHECK(elapsed_seconds(start) < 1.0);
  start = Clock::now();
  demo->stop();
  CHECK(elapsed_seconds(start) < 0.2);
  start = Clock::now();
  demo.reset();
  CHECK(elapsed_seconds(start) < 0.2);
  auto [data, closed] = test::read_until_closed(silent, 1s);
  CHECK(closed);
  ::close(silent);
}

TEST_CASE("stopped means closed: nobody listens any more", "[demo][exporter]") {
  DemoExporter demo(options());
  uint16_t port = demo.port();
  demo.stop();
  CHECK_THROWS(test::connect_to("127.0.0.1", port));
}

TEST_CASE("IPv6 loopback gives a bracketed URL", "[demo][exporter]") {
  auto o = options();
  o.bind = "::1";
  std::unique_ptr<DemoExporter> demo;
  try {
    demo = std::make_unique<DemoExporter>(o);
  } catch (const e2e3d::Error& e) {
    WARN("no IPv6 loopback here: " << e.what());
    return;
  }
  CHECK(demo->url() == "http://[::1]:" + std::to_string(demo->port()) + "/metrics");
  CHECK(test::http_request(demo->port(), "GET", "/metrics", {}, "::1").status == 200);
}

TEST_CASE("a port in use and impossible options are errors", "[demo][exporter]") {
  DemoExporter first(options());
  auto o = options();
  o.port = first.port();
  CHECK_THROWS_AS(DemoExporter(o), e2e3d::Error);
  auto bad = options();
  bad.failure_ratio = 1.5;
  CHECK_THROWS_AS(DemoExporter(bad), e2e3d::Error);
}
