#pragma once
// The job model behind the demo exporter: reconstruction jobs arrive as a Poisson process, run
// for exponentially distributed times and fail with a fixed probability. Time is simulated time
// in seconds since the simulated service started; the caller advances it lazily (at each scrape)
// so nothing ticks in the background.

#include <array>
#include <cstdint>
#include <queue>
#include <vector>

namespace e2e3d::demo {

struct SimulationParameters {
  double jobs_per_minute = 30;
  double mean_duration_seconds = 20;
  double failure_ratio = 0.1;
  uint32_t initial_jobs = 40;
  uint64_t seed = 1;  // the same seed gives the same jobs, in the same order, at the same times
};

// Throws Error (config) for a rate, duration or ratio the model cannot run with.
void validate(const SimulationParameters& parameters);

enum class JobStatus : uint8_t { completed, failed };

struct FinishedJob {
  std::array<char, 36> id;  // a version-4-looking UUID, derived from the seed
  JobStatus status;
  double duration_seconds;
  double finished_at;  // simulated seconds since the service started
};

// A small, portable generator (xoshiro256**), so a seed means the same jobs on every platform;
// the standard distributions are implementation-defined.
class Random {
 public:
  explicit Random(uint64_t seed);
  uint64_t next();
  double uniform();  // [0, 1)
  double exponential(double mean);

 private:
  std::array<uint64_t, 4> state_;
};

class Simulation {
 public:
  // Runs the service's back story until `initial_jobs` jobs have finished; that moment is the
  // simulation's present (see present()). Jobs that started before it may still be running.
  explicit Simulation(const SimulationParameters& parameters);

  // Moves the present forward to `t` (earlier times are ignored: counters never go back).
  void advance_to(double t);
  double present() const { return present_; }

  // Every finished job, in the order it finished (the order the Python client exposes series).
  const std::vector<FinishedJob>& finished() const { return finished_; }
  uint64_t completed() const { return completed_; }
  uint64_t failed() const { return failed_; }
  uint64_t active() const { return running_.size(); }

 private:
  struct RunningJob {
    double finishes_at;
    uint64_t sequence;  // arrival order breaks ties, so the order never depends on the heap
    FinishedJob job;
    bool operator>(const RunningJob& other) const {
      return finishes_at != other.finishes_at ? finishes_at > other.finishes_at
                                              : sequence > other.sequence;
    }
  };

  void start_job(double at);
  bool arrivals_pending() const;
  // Processes every event at or before `t`, or stops at the finish that brings the number of
  // finished jobs to `stop_after_finished`; the present becomes the time reached.
  void run_until(double t, uint64_t stop_after_finished);

  SimulationParameters parameters_;
  Random random_;
  double arrival_mean_seconds_;  // mean time between arrivals while arrivals continue
  bool arrivals_continue_;       // false with a rate of 0: only the back story's jobs exist
  double next_arrival_;
  uint64_t arrived_ = 0;
  double present_ = 0;
  std::priority_queue<RunningJob, std::vector<RunningJob>, std::greater<>> running_;
  std::vector<FinishedJob> finished_;
  uint64_t completed_ = 0;
  uint64_t failed_ = 0;
};

}  // namespace e2e3d::demo
