// A real Prometheus scrapes the demo and stores what it would store from the real service.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/demo.hpp"
#include "raw_http.hpp"
#include "support/child_process.hpp"

using namespace std::chrono_literals;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/e2e3d-demo-prometheus-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The instant vector of `expr`, or nullopt when Prometheus does not answer yet.
std::optional<nlohmann::json> query(uint16_t port, std::string_view expr) {
  try {
    auto reply = e2e3d::test::http_request(port, "GET", "/api/v1/query?query=" + url_encode(expr));
    if (reply.status != 200) return std::nullopt;
    return nlohmann::json::parse(reply.body)["data"]["result"];
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

double number(const nlohmann::json& sample) {
  return std::stod(sample["value"][1].get<std::string>());
}

}  // namespace

TEST_CASE("a real Prometheus scrapes the demo and stores the Python client's names",
          "[demo][prometheus]") {
  e2e3d::DemoOptions options;
  options.seed = 31;
  options.jobs_per_minute = 0;  // a still picture: the stored values can be checked exactly
  e2e3d::DemoExporter demo(options);
  TempDir dir;
  uint16_t prometheus_port = static_cast<uint16_t>(e2e3d::test::free_port());
  std::ofstream(dir.path + "/prometheus.yml") << fmt::format(
      "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
      "scrape_configs:\n  - job_name: 'e2e3d'\n    static_configs:\n"
      "      - targets: ['127.0.0.1:{}']\n",
      demo.port());
  e2e3d::test::ChildProcess prometheus(
      {"/usr/bin/prometheus", "--config.file=" + dir.path + "/prometheus.yml",
       fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port),
       "--storage.tsdb.path=" + dir.path + "/data", "--log.level=warn"});

  std::optional<nlohmann::json> total;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    total = query(prometheus_port, "reconstruction_total");
    if (total && !total->empty()) break;
    REQUIRE(prometheus.running());
    std::this_thread::sleep_for(200ms);
  }
  REQUIRE(total);
  REQUIRE(total->size() == 1);
  CHECK(number((*total)[0]) == 40);
  CHECK((*total)[0]["metric"]["job"] == "e2e3d");

  auto up = query(prometheus_port, "up");
  REQUIRE(up);
  REQUIRE(up->size() == 1);
  CHECK(number((*up)[0]) == 1);
  auto success = query(prometheus_port, "reconstruction_success_total");
  auto failure = query(prometheus_port, "reconstruction_failure_total");
  REQUIRE(success);
  REQUIRE(failure);
  REQUIRE(success->size() == 1);
  REQUIRE(failure->size() == 1);
  CHECK(number((*success)[0]) + number((*failure)[0]) == 40);
  auto jobs = query(prometheus_port, "count(e2e3d_job_duration_seconds_total)");
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 1);
  CHECK(number((*jobs)[0]) == 40);
  // The drift the tool exists to explain: the document's names hold nothing in Prometheus.
  auto documented = query(prometheus_port, "reconstruction_success");
  REQUIRE(documented);
  CHECK(documented->empty());
}
