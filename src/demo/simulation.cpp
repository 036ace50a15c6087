#include "demo/simulation.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "e2e3d/error.hpp"

namespace e2e3d::demo {
namespace {

constexpr double kMaxJobsPerMinute = 60000;           // 1,000 jobs a second
constexpr double kMaxMeanDuration = 7 * 24 * 3600.0;  // a week
constexpr uint32_t kMaxInitialJobs = 1'000'000;
// With a rate of 0 the back story still needs jobs: they arrive every 2 s on average.
constexpr double kBackStoryArrivalMean = 2.0;
constexpr double kNever = std::numeric_limits<double>::infinity();

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

std::array<char, 36> uuid_v4(Random& random) {
  uint64_t high = random.next();
  uint64_t low = random.next();
  high = (high & ~0xf000ULL) | 0x4000ULL;                       // version 4
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 36> out{};
  int pos = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) out[pos++] = '-';
    uint64_t word = nibble < 16 ? high : low;
    int shift = 60 - 4 * (nibble % 16);
    out[pos++] = kHex[(word >> shift) & 0xf];
  }
  return out;
}

}  // namespace

void validate(const SimulationParameters& p) {
  auto fail = [](const std::string& message) { throw Error(ErrorKind::config, message); };
  if (!std::isfinite(p.jobs_per_minute) || p.jobs_per_minute < 0 ||
      p.jobs_per_minute > kMaxJobsPerMinute) {
    fail(fmt::format("demo: a job rate of {} per minute is out of range; use 0 to {}",
                     p.jobs_per_minute, kMaxJobsPerMinute));
  }
  if (!std::isfinite(p.mean_duration_seconds) || p.mean_duration_seconds < 0 ||
      p.mean_duration_seconds > kMaxMeanDuration) {
    fail(fmt::format("demo: a mean job duration of {} s is out of range; use 0 to {} seconds",
                     p.mean_duration_seconds, kMaxMeanDuration));
  }
  if (!(p.failure_ratio >= 0 && p.failure_ratio <= 1)) {
    fail(fmt::format("demo: a failure ratio of {} is out of range; use a number from 0 to 1",
                     p.failure_ratio));
  }
  if (p.initial_jobs > kMaxInitialJobs) {
    fail(fmt::format("demo: {} initial jobs are too many; use at most {}", p.initial_jobs,
                     kMaxInitialJobs));
  }
}

Random::Random(uint64_t seed) {
  for (auto& word : state_)
    word = splitmix64(seed);
}

uint64_t Random::next() {
  uint64_t result = rotl(state_[1] * 5, 7) * 9;
  uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double Random::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

double Random::exponential(double mean) {
  return -mean * std::log1p(-uniform());
}

Simulation::Simulation(const SimulationParameters& parameters)
    : parameters_(parameters), random_(parameters.seed) {
  validate(parameters_);
  arrivals_continue_ = parameters_.jobs_per_minute > 0;
  arrival_mean_seconds_ =
      arrivals_continue_ ? 60.0 / parameters_.jobs_per_minute : kBackStoryArrivalMean;
  next_arrival_ = random_.exponential(arrival_mean_seconds_);
  if (parameters_.initial_jobs > 0) run_until(kNever, parameters_.initial_jobs);
}

void Simulation::advance_to(double t) {
  if (t > present_) run_until(t, std::numeric_limits<uint64_t>::max());
}

bool Simulation::arrivals_pending() const {
  return arrivals_continue_ || arrived_ < parameters_.initial_jobs;
}

void Simulation::start_job(double at) {
  RunningJob running;
  running.sequence = arrived_++;
  running.job.duration_seconds = random_.exponential(parameters_.mean_duration_seconds);
  running.job.status =
      random_.uniform() < parameters_.failure_ratio ? JobStatus::failed : JobStatus::completed;
  running.job.id = uuid_v4(random_);
  running.finishes_at = at + running.job.duration_seconds;
  running.job.finished_at = running.finishes_at;
  running_.push(running);
}

void Simulation::run_until(double t, uint64_t stop_after_finished) {
  while (true) {
    double arrival = arrivals_pending() ? next_arrival_ : kNever;
    double finish = running_.empty() ? kNever : running_.top().finishes_at;
    if (arrival == kNever && finish == kNever) break;
    if (arrival <= finish) {
      if (arrival > t) break;
      start_job(arrival);
      next_arrival_ = arrival + random_.exponential(arrival_mean_seconds_);
      present_ = arrival;
      continue;
    }
    if (finish > t) break;
    const FinishedJob& job = running_.top().job;
    finished_.push_back(job);
    (job.status == JobStatus::failed ? failed_ : completed_) += 1;
    running_.pop();
    present_ = finish;
    if (finished_.size() >= stop_after_finished) return;
  }
  if (t != kNever) present_ = t;
}

}  // namespace e2e3d::demo
