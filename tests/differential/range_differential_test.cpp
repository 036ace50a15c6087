// The proof that range functions over recorded scrapes answer like Prometheus: a window of
// scrapes is recorded (History::add_scrape, with jittered scrape times, a counter reset, series
// that start late or vanish, NaN and Inf), written as OpenMetrics, and read back twice: by our
// --replay reader, and by a real Prometheus 2.42 through `promtool tsdb create-blocks-from
// openmetrics`. Both evaluate every query of range_queries.txt at several times; the bodies
// must be equal byte for byte.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/live/recording.hpp"
#include "support/child_process.hpp"
#include "support/prometheus_http.hpp"

namespace {

using nlohmann::json;
using namespace e2e3d;
using namespace e2e3d::test;
using namespace std::chrono_literals;

constexpr int64_t kStartMs = 1700000000000;
constexpr int kScrapes = 41;

// A small deterministic generator, so every run records the same window.
struct Lcg {
  uint64_t state = 12345;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53);
  }
};

int64_t scrape_time(int i) {
  // 15 s apart, each late by up to ~0.9 s, as real scrapes drift.
  return kStartMs + i * 15000 + (i * 7919) % 900;
}

live::History record_window() {
  live::History history(live::History::Limits{24 * 3600 * 1000, 1'000'000});
  Lcg random;
  double success = 40, failure = 0, memory = 1.5e8;
  for (int i = 0; i < kScrapes; ++i) {
    success += std::floor(random.next() * 6);
    if (i == 25) success = 3;  // the service restarted: the counter starts over
    if (i >= 5) failure += random.next() < 0.3 ? 1 : 0;
    memory += (random.next() - 0.45) * 123456.789;
    std::string text = "# TYPE e2e3d_jobs counter\n";
    text += fmt::format("e2e3d_jobs_total{{status=\"success\"}} {}\n", success);
    if (i >= 5) text += fmt::format("e2e3d_jobs_total{{status=\"failure\"}} {}\n", failure);
    text += "# TYPE process_resident_memory_bytes gauge\n";
    text += fmt::format("process_resident_memory_bytes {:.17g}\n", memory);
    if (i < 30) {
      text += "# TYPE e2e3d_active_jobs gauge\n";
      text += fmt::format("e2e3d_active_jobs {}\n", (i * 37) % 5);
    }
    text += "# TYPE e2e3d_constant gauge\ne2e3d_constant 7\n";
    // A counter near 1e15, with a gap of five scrapes (it goes stale, then comes back).
    if (i < 12 || i > 16) {
      text += "# TYPE e2e3d_big counter\n";
      text += fmt::format("e2e3d_big_total {:.17g}\n", 1e15 + i * 1234.5678 + (i % 3) * 0.1);
    }
    const char* weird[] = {"1", "NaN", "2.5", "+Inf", "NaN", "-3", "1e-300", "-Inf"};
    text += fmt::format("# TYPE e2e3d_weird gauge\ne2e3d_weird {}\n", weird[i % 8]);
    history.add_scrape(parse_exposition(text, ExpositionFormat::prometheus_text), scrape_time(i));
  }
  return history;
}

std::vector<std::string> read_queries() {
  std::ifstream in(std::string(E2E3D_SOURCE_DIR) + "/tests/differential/range_queries.txt");
  REQUIRE(in.good());
  std::vector<std::string> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') queries.push_back(line);
  }
  return queries;
}

// A Prometheus that serves the blocks promtool made from the recording, scraping nothing.
class PrometheusWithBlocks {
 public:
  explicit PrometheusWithBlocks(const std::string& recording) {
    char tmpl[] = "/tmp/e2e3d-range-differential-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    RunResult blocks = run({"/usr/bin/promtool", "tsdb", "create-blocks-from", "openmetrics",
                            recording, dir_ + "/data"});
    INFO(blocks.out << blocks.err);
    REQUIRE(blocks.exit_code == 0);
    std::ofstream(dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1m\n";
    port_ = free_port();
    // The blocks are years old: nothing may be deleted for age before the queries ran.
    prometheus_ = start_prometheus(dir_, port_, {"--storage.tsdb.retention.time=100y"});
  }

  ~PrometheusWithBlocks() {
    prometheus_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::string query(const std::string& expr, int64_t time_ms) {
    std::string time = fmt::format("{}.{:03}", time_ms / 1000, time_ms % 1000);
    auto answer = http_get(base() + "/api/v1/query?query=" + escape(expr) + "&time=" + time);
    REQUIRE(answer);
    return answer->body;
  }

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> prometheus_;
};

std::string ours(const live::History& history, const std::string& expr, int64_t time_ms) {
  try {
    promql::Value value = promql::evaluate(history, expr, promql::EvalOptions{time_ms});
    return promql::to_api_json(value, time_ms);
  } catch (const Error& e) {
    return promql::error_json(e);
  }
}

}  // namespace

TEST_CASE("range functions over a replayed recording answer exactly like Prometheus 2.42",
          "[differential][range]") {
  char tmpl[] = "/tmp/e2e3d-recording-XXXXXX.om";
  int fd = mkstemps(tmpl, 3);
  REQUIRE(fd >= 0);
  close(fd);
  std::string recording = tmpl;
  std::ofstream(recording) << live::recording_text(record_window());
  live::History replayed = live::read_recording(recording);
  PrometheusWithBlocks prometheus(recording);

  int64_t end = scrape_time(kScrapes - 1);
  // Thirteen times: at scrapes, between them, a millisecond before one, at the counter reset,
  // at multiples of the subqueries' steps, past the end within and beyond the lookback, and
  // before the recording starts.
  const std::vector<int64_t> times = {end,
                                      end - 7500,
                                      scrape_time(20) + 3300,
                                      end + 120000,
                                      scrape_time(3),
                                      scrape_time(10) - 1,
                                      scrape_time(30) + 14999,
                                      scrape_time(25),
                                      kStartMs + 300000,
                                      kStartMs + 7 * 60000 + 123,
                                      end - 31000,
                                      end + 400000,
                                      kStartMs - 1000};
  int compared = 0;
  int with_results = 0;
  int unordered = 0;
  for (const auto& line : read_queries()) {
    bool map_order = line.starts_with("~ ");
    std::string expr = map_order ? line.substr(2) : line;
    for (int64_t t : times) {
      INFO(expr << " at " << t);
      std::string theirs = prometheus.query(expr, t);
      std::string mine = ours(replayed, expr, t);
      if (map_order) {
        CHECK(with_sorted_series(mine) == with_sorted_series(theirs));
        ++unordered;
      } else {
        CHECK(mine == theirs);
      }
      ++compared;
      json body = json::parse(theirs);
      if (body["status"] == "success" && !body["data"]["result"].empty()) ++with_results;
    }
  }
  // The window must exercise the functions, not compare empty answers.
  CHECK(compared >= 1000);
  CHECK(with_results >= compared * 2 / 3);
  WARN(compared << " query bodies compared byte for byte (" << unordered
                << " with the series order of a Go map)");
  std::filesystem::remove(recording);
}
