// Runs the checks concurrently, one thread each. A check waits for its prerequisites and is
// skipped when one failed. The caller waits only until the deadline: a check still running
// then (a server that accepts and never answers, a DNS lookup that hangs) is reported as
// failed, and its thread finishes on its own, holding the shared state alive.
#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "e2e3d/doctor/doctor.hpp"

namespace e2e3d::doctor {
namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
  Result result;
  bool blocks_dependents = false;  // failed, or skipped because a prerequisite failed
};

struct RunState {
  std::shared_ptr<Context> context;
  std::map<std::string_view, std::shared_future<Outcome>> outcomes;
};

bool contains(const std::vector<std::string>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

void require_known(const std::vector<std::string>& ids, std::string_view flag) {
  for (const auto& id : ids) {
    if (find_check(id)) continue;
    std::string known;
    for (const auto& spec : checks())
      known += fmt::format("{}{}", known.empty() ? "" : ", ", spec.id);
    throw Error(ErrorKind::config,
                fmt::format("{} {}: no such check; the checks are: {}", flag, id, known));
  }
}

// The selected checks plus everything they need, transitively.
std::set<std::string_view> checks_to_run(const Options& options) {
  std::set<std::string_view> run;
  std::vector<std::string_view> pending;
  for (const auto& spec : checks()) {
    if (options.only.empty() || contains(options.only, spec.id)) pending.push_back(spec.id);
  }
  while (!pending.empty()) {
    auto id = pending.back();
    pending.pop_back();
    if (!run.insert(id).second) continue;
    for (auto need : find_check(id)->needs)
      pending.push_back(need);
  }
  return run;
}

Outcome run_one(const CheckSpec& spec, RunState& state) {
  for (auto need : spec.needs) {
    auto it = state.outcomes.find(need);
    if (it == state.outcomes.end()) continue;
    const Outcome& before = it->second.get();
    if (before.blocks_dependents) {
      return {{std::string(spec.id), Status::skip, fmt::format("skipped: {} did not pass", need),
               fmt::format("{}: {}", need, before.result.summary), before.result.fix},
              true};
    }
  }
  try {
    Result result = spec.run(*state.context);
    result.id = std::string(spec.id);
    return {result, result.status == Status::fail};
  } catch (const std::exception& e) {
    return {{std::string(spec.id), Status::fail, "doctor could not run this check", e.what(), ""},
            true};
  }
}

}  // namespace

Report summarize(std::vector<Result> results) {
  Report report;
  bool warned = false, failed = false;
  for (const auto& r : results) {
    warned |= r.status == Status::warn;
    failed |= r.status == Status::fail;
  }
  report.status = failed ? Status::fail : warned ? Status::warn : Status::pass;
  report.exit_code = failed ? 2 : warned ? 1 : 0;
  report.results = std::move(results);
  return report;
}

Report run(std::shared_ptr<Context> context, double margin_seconds) {
  auto start = Clock::now();
  const Options& options = context->options();
  require_known(options.only, "--check");
  require_known(options.skip, "--skip");

  auto state = std::make_shared<RunState>();
  state->context = context;
  auto to_run = checks_to_run(options);

  std::vector<std::pair<const CheckSpec*, std::shared_ptr<std::promise<Outcome>>>> started;
  for (const auto& spec : checks()) {
    if (!to_run.count(spec.id) || contains(options.skip, spec.id)) continue;
    auto promise = std::make_shared<std::promise<Outcome>>();
    state->outcomes.emplace(spec.id, promise->get_future().share());
    started.emplace_back(&spec, promise);
  }
  // The futures map is complete before any thread reads it.
  std::vector<std::thread> threads;
  for (auto& [spec, promise] : started) {
    threads.emplace_back(
        [spec = spec, promise = promise, state] { promise->set_value(run_one(*spec, *state)); });
  }

  auto deadline = context->deadline() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(margin_seconds));
  std::vector<Result> results;
  int unfinished = 0;
  for (const auto& spec : checks()) {
    bool reported = options.only.empty() || contains(options.only, spec.id);
    if (!reported) continue;
    if (contains(options.skip, spec.id)) {
      results.push_back(
          {std::string(spec.id), Status::skip, fmt::format("skipped: --skip {}", spec.id), "", ""});
      continue;
    }
    auto& future = state->outcomes.at(spec.id);
    if (future.wait_until(deadline) == std::future_status::ready) {
      results.push_back(future.get().result);
    } else {
      ++unfinished;
      results.push_back(
          {std::string(spec.id), Status::fail,
           fmt::format("did not finish within the timeout ({} s)", options.timeout_seconds),
           "a probe of this check (a connection, a DNS lookup, a read) was still waiting when "
           "the run's time was up",
           "check that the target answers; raise --timeout if it is just slow"});
    }
  }
  // A check that finished is joined: its thread may still be running thread-exit handlers
  // (OpenSSL frees its per-thread state there), and a process that exits under them leaks. Only
  // a check still waiting on the network when the time is up is left behind.
  for (std::size_t i = 0; i < threads.size(); ++i) {
    auto& future = state->outcomes.at(started[i].first->id);
    if (future.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
      threads[i].join();
    else
      threads[i].detach();
  }
  Report report = summarize(std::move(results));
  report.unfinished = unfinished;
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return report;
}

Report run(Options options, double margin_seconds) {
  return run(std::make_shared<Context>(std::move(options)), margin_seconds);
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::pass:
      return "pass";
    case Status::warn:
      return "warn";
    case Status::fail:
      return "fail";
    case Status::skip:
      return "skip";
  }
  return "skip";
}

}  // namespace e2e3d::doctor
