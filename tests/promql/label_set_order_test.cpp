// Sums over big families, whose label-set order is computed once per scrape on two threads and
// shared: the additions must still come in Prometheus's order (label sets compared as strings),
// to the last bit, whichever query asks first and however many ask at once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/promql/engine.hpp"

using namespace e2e3d;
using namespace e2e3d::promql;

namespace {

struct Job {
  std::string id;
  std::string status;
  double value;
};

// More series than the order's second thread starts for. Ids of two shapes: random hex, whose
// first bytes decide the order, and a long shared prefix, where only the later bytes do.
std::vector<Job> make_jobs(std::size_t count, bool shared_prefix) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> seconds(0, 1000);
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < count; ++i) {
    std::string id = shared_prefix ? fmt::format("reconstruction-{:07d}", random() % 10000000)
                                   : fmt::format("{:016x}", random());
    jobs.push_back(
        Job{id + fmt::format("-{}", i), i % 3 == 0 ? "failed" : "success", seconds(random)});
  }
  return jobs;
}

std::string exposition(const std::vector<Job>& jobs) {
  std::string text = "# TYPE job_seconds gauge\n";
  for (const Job& j : jobs)
    text +=
        fmt::format("job_seconds{{id=\"{}\",status=\"{}\"}} {:.17g}\n", j.id, j.status, j.value);
  return text;
}

// Prometheus's answer, worked out the slow way: label sets compared as strings, then added.
std::map<std::string, double> expected_sums(std::vector<Job> jobs, bool by_status) {
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) {
    return a.id != b.id ? a.id < b.id : a.status < b.status;
  });
  std::map<std::string, double> sums;
  for (const Job& j : jobs) {
    const std::string key = by_status ? j.status : "";
    auto [it, fresh] = sums.try_emplace(key, j.value);
    if (!fresh) it->second += j.value;
  }
  return sums;
}

std::map<std::string, double> sums(const Scrape& scrape, const std::string& expr) {
  std::map<std::string, double> out;
  const Value result = evaluate(scrape, expr, EvalOptions{1700000000000});
  for (const auto& s : std::get<Vector>(result)) {
    const auto status = std::find_if(s.metric.begin(), s.metric.end(),
                                     [](const auto& label) { return label.first == "status"; });
    out[status == s.metric.end() ? "" : status->second] = s.value;
  }
  return out;
}

bool same_bits(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end() || std::memcmp(&value, &it->second, sizeof value) != 0) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("sums over a big family add in label-set order, to the last bit", "[promql][order]") {
  for (bool shared_prefix : {false, true}) {
    INFO("ids with a shared prefix: " << shared_prefix);
    const auto jobs = make_jobs(120000, shared_prefix);
    const Scrape scrape = parse_exposition(exposition(jobs));
    // The data tells the orders apart: added as exposed, the sum differs in its last bits.
    double exposed_order = 0;
    for (const Job& j : jobs)
      exposed_order += j.value;
    REQUIRE_FALSE(same_bits({{"", exposed_order}}, expected_sums(jobs, false)));
    CHECK(same_bits(sums(scrape, "sum(job_seconds)"), expected_sums(jobs, false)));
    CHECK(same_bits(sums(scrape, "sum by (status) (job_seconds)"), expected_sums(jobs, true)));
    // A selection by matchers is not the shared one, and must agree with it.
    CHECK(same_bits(sums(scrape, "sum by (status) (job_seconds{status=~\".+\"})"),
                    expected_sums(jobs, true)));
  }
}

TEST_CASE("queries that ask for the same order at once share it", "[promql][order]") {
  const auto jobs = make_jobs(100000, false);
  const Scrape scrape = parse_exposition(exposition(jobs));
  std::map<std::string, double> total;
  std::map<std::string, double> by_status;
  std::thread other([&] { by_status = sums(scrape, "sum by (status) (job_seconds)"); });
  total = sums(scrape, "sum(job_seconds)");
  other.join();
  CHECK(same_bits(total, expected_sums(jobs, false)));
  CHECK(same_bits(by_status, expected_sums(jobs, true)));
}
