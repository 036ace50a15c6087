// The watch loop: a fixed schedule, ended by --count or by SIGINT/SIGTERM.
#include "e2e3d/live/watch.hpp"

#include <time.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>

namespace e2e3d::live {
namespace {

// Lock-free, so a signal handler may set it and any thread read it.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_stop_signal(int) {
  g_stop.store(true, std::memory_order_relaxed);
}

// SIGINT and SIGTERM end the loop instead of the process, so a recording can still be written;
// no SA_RESTART, so the signal cuts the sleep short.
class StopSignals {
 public:
  StopSignals() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// Sleeps until `deadline` unless a stop signal comes first; false when it did.
bool sleep_until(std::chrono::steady_clock::time_point deadline) {
  while (!g_stop) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return true;
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    nanosleep(&ts, nullptr);  // EINTR on a signal: the loop looks at g_stop again
  }
  return false;
}

}  // namespace

bool stop_requested() {
  return g_stop.load(std::memory_order_relaxed);
}

std::size_t watch(const WatchSchedule& schedule, const std::function<void(std::size_t)>& round) {
  StopSignals signals;
  g_stop = false;
  auto start = std::chrono::steady_clock::now();
  auto interval = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(schedule.interval_seconds));
  std::size_t done = 0;
  while (!g_stop && (!schedule.count || done < *schedule.count)) {
    round(done);
    ++done;
    if (schedule.count && done >= *schedule.count) break;
    // The next slot on the schedule that is still ahead: a round slower than the interval
    // skips slots rather than firing a burst of late rounds.
    auto next = start + interval * static_cast<long>(done);
    auto now = std::chrono::steady_clock::now();
    while (next <= now)
      next += interval;
    if (!sleep_until(next)) break;
  }
  return done;
}

}  // namespace e2e3d::live
