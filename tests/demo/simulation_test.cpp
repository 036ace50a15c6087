// The job model: deterministic per seed, consistent counts, and the rates it was asked for.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "demo/simulation.hpp"
#include "e2e3d/error.hpp"

using e2e3d::demo::FinishedJob;
using e2e3d::demo::JobStatus;
using e2e3d::demo::Simulation;
using e2e3d::demo::SimulationParameters;

namespace {

SimulationParameters parameters(uint64_t seed) {
  SimulationParameters p;
  p.seed = seed;
  return p;
}

std::string id_text(const FinishedJob& job) {
  return std::string(job.id.data(), job.id.size());
}

bool looks_like_uuid_v4(const std::string& id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (id[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
    if (std::isupper(static_cast<unsigned char>(id[i]))) return false;
  }
  return id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

}  // namespace

TEST_CASE("the back story leaves exactly the initial jobs finished", "[demo][simulation]") {
  for (uint32_t initial : {0u, 1u, 40u, 500u}) {
    auto p = parameters(7);
    p.initial_jobs = initial;
    Simulation simulation(p);
    CHECK(simulation.finished().size() == initial);
    CHECK(simulation.completed() + simulation.failed() == initial);
    if (initial > 0) {
      CHECK(simulation.present() == simulation.finished().back().finished_at);
    } else {
      CHECK(simulation.present() == 0);
    }
  }
}

TEST_CASE("the same seed gives the same jobs, another seed other jobs", "[demo][simulation]") {
  Simulation a(parameters(42));
  Simulation b(parameters(42));
  Simulation c(parameters(43));
  a.advance_to(a.present() + 300);
  b.advance_to(b.present() + 300);
  c.advance_to(c.present() + 300);
  REQUIRE(a.finished().size() == b.finished().size());
  REQUIRE(a.finished().size() > 40);
  for (std::size_t i = 0; i < a.finished().size(); ++i) {
    CHECK(a.finished()[i].id == b.finished()[i].id);
    CHECK(a.finished()[i].duration_seconds == b.finished()[i].duration_seconds);
    CHECK(a.finished()[i].finished_at == b.finished()[i].finished_at);
    CHECK(a.finished()[i].status == b.finished()[i].status);
  }
  CHECK(a.active() == b.active());
  CHECK(id_text(a.finished()[0]) != id_text(c.finished()[0]));
}

TEST_CASE("advancing in steps or at once reaches the same state", "[demo][simulation]") {
  Simulation once(parameters(5));
  Simulation steps(parameters(5));
  double start = once.present();
  once.advance_to(start + 120);
  for (int i = 1; i <= 120; ++i)
    steps.advance_to(start + i);
  steps.advance_to(start + 60);  // the past: ignored, counters never go back
  REQUIRE(once.finished().size() == steps.finished().size());
  CHECK(once.present() == steps.present());
  CHECK(once.active() == steps.active());
  CHECK(once.finished().back().id == steps.finished().back().id);
}

TEST_CASE("finished jobs are consistent and in finish order", "[demo][simulation]") {
  Simulation simulation(parameters(11));
  simulation.advance_to(simulation.present() + 600);
  const auto& jobs = simulation.finished();
  uint64_t failed = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (jobs[i].status == JobStatus::failed) ++failed;
    CHECK(jobs[i].duration_seconds >= 0);
    CHECK(jobs[i].finished_at <= simulation.present());
    if (i > 0) CHECK(jobs[i - 1].finished_at <= jobs[i].finished_at);
    CHECK(looks_like_uuid_v4(id_text(jobs[i])));
    ids.insert(id_text(jobs[i]));
  }
  CHECK(ids.size() == jobs.size());
  CHECK(simulation.failed() == failed);
  CHECK(simulation.completed() == jobs.size() - failed);
}

TEST_CASE("arrivals, durations and failures follow the parameters", "[demo][simulation]") {
  SimulationParameters p;
  p.seed = 2024;
  p.jobs_per_minute = 600;  // 10 a second
  p.mean_duration_seconds = 5;
  p.failure_ratio = 0.25;
  p.initial_jobs = 0;
  Simulation simulation(p);
  simulation.advance_to(1000);
  // About 10,000 arrivals (Poisson: sd 100); bounds at 5 sd.
  double arrived = static_cast<double>(simulation.finished().size() + simulation.active());
  CHECK(arrived > 9500);
  CHECK(arrived < 10500);
  // Little's law: about rate x mean duration = 50 jobs running.
  CHECK(simulation.active() > 20);
  CHECK(simulation.active() < 90);
  double failed_share =
      static_cast<double>(simulation.failed()) / static_cast<double>(simulation.finished().size());
  CHECK(failed_share == Approx(0.25).margin(0.03));
  double sum = 0;
  for (const auto& job : simulation.finished())
    sum += job.duration_seconds;
  CHECK(sum / static_cast<double>(simulation.finished().size()) == Approx(5.0).margin(0.3));
}

TEST_CASE("a rate of 0 keeps the back story's jobs and adds none", "[demo][simulation]") {
  SimulationParameters p;
  p.seed = 3;
  p.jobs_per_minute = 0;
  p.initial_jobs = 25;
  Simulation simulation(p);
  CHECK(simulation.finished().size() == 25);
  simulation.advance_to(simulation.present() + 1e6);
  CHECK(simulation.finished().size() == 25);
  CHECK(simulation.active() == 0);
}

TEST_CASE("the extreme ratios fail every job or none", "[demo][simulation]") {
  for (double ratio : {0.0, 1.0}) {
    auto p = parameters(9);
    p.failure_ratio = ratio;
    Simulation simulation(p);
    simulation.advance_to(simulation.present() + 100);
    CHECK(simulation.failed() == (ratio == 1.0 ? simulation.finished().size() : 0));
  }
}

TEST_CASE("parameters the model cannot run with are refused", "[demo][simulation]") {
  auto refused = [](auto change) {
    auto p = parameters(1);
    change(p);
    CHECK_THROWS_AS(Simulation(p), e2e3d::Error);
  };
  refused([](SimulationParameters& p) { p.jobs_per_minute = -1; });
  refused([](SimulationParameters& p) { p.jobs_per_minute = 1e9; });
  refused([](SimulationParameters& p) { p.mean_duration_seconds = std::nan(""); });
  refused([](SimulationParameters& p) { p.failure_ratio = 1.5; });
  refused([](SimulationParameters& p) { p.failure_ratio = -0.1; });
  refused([](SimulationParameters& p) { p.initial_jobs = 5'000'000; });
  try {
    auto p = parameters(1);
    p.failure_ratio = 2;
    Simulation simulation(p);
  } catch (const e2e3d::Error& e) {
    CHECK(e.kind() == e2e3d::ErrorKind::config);
    CHECK(std::string(e.what()).find("0 to 1") != std::string::npos);
  }
}
