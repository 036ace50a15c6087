#include "cli/query_command.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/interval_option.hpp"
#include "cli/numeric_options.hpp"
#include "cli/targets.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/live/recording.hpp"
#include "e2e3d/live/watch.hpp"
#include "e2e3d/prometheus_api.hpp"
#include "e2e3d/promql/engine.hpp"
#include "e2e3d/promql/parser.hpp"
#include "e2e3d/promql/remote.hpp"
#include "e2e3d/rules/duration.hpp"

namespace e2e3d::cli {
namespace {

struct QueryOptions {
  std::string expr;
  std::string prometheus;
  std::optional<double> time_seconds;
  std::string watch;  // INTERVAL
  std::string window = "15m";
  std::optional<std::size_t> count;
  std::string record;
  bool force = false;  // --record may replace an existing file
  std::string replay;
};

void print_text(const promql::Value& value) {
  if (const auto* s = std::get_if<promql::Scalar>(&value)) {
    fmt::print("scalar => {}\n", promql::format_value(s->value));
  } else if (const auto* str = std::get_if<promql::String>(&value)) {
    fmt::print("string => {}\n", one_line(str->value));
  } else if (std::holds_alternative<promql::Vector>(value)) {
    for (const auto& sample : std::get<promql::Vector>(value)) {
      std::string series = promql::format_series(sample.metric);
      fmt::print("{} => {}\n", series.empty() ? "{}" : series, promql::format_value(sample.value));
    }
  } else {
    for (const auto& series : std::get<promql::Matrix>(value)) {
      std::string name = promql::format_series(series.metric);
      fmt::print("{} =>\n", name.empty() ? "{}" : name);
      for (const auto& p : series.points) {
        fmt::print("  {} @{}.{:03}\n", promql::format_value(p.value), p.t_ms / 1000, p.t_ms % 1000);
      }
    }
  }
}

// A plain query keeps Prometheus's semantics; when a selected name is missing but its `_total`
// twin (or the name without `_total`) is exposed, say so on stderr.
void print_name_hints(const Scrape& scrape, const std::string& expr) {
  for (const auto& name : promql::selector_names(expr)) {
    if (!scrape.series_named(name).empty()) continue;
    std::string twin = name.ends_with("_total") ? name.substr(0, name.size() - 6) : name + "_total";
    if (scrape.series_named(twin).empty()) continue;
    fmt::print(stderr,
               "e2e3d-metrics: hint: the scrape has no series named {} but exposes {} (the "
               "Python client adds _total to counters); query {} instead\n",
               name, twin, twin);
  }
}

template <typename Evaluate>
promql::Value evaluate_or_print_error(bool json, Evaluate&& evaluate) {
  try {
    return evaluate();
  } catch (const Error& e) {
    if (json) fmt::print("{}\n", promql::error_json(e));
    throw;
  }
}

void print_value(bool json, const promql::Value& value, int64_t time_ms) {
  if (json) {
    fmt::print("{}\n", promql::to_api_json(value, time_ms));
  } else {
    print_text(value);
  }
}

// Over a recording: at --time, else at its newest sample.
int query_replay(const GlobalOptions& global, const QueryOptions& options) {
  bool json = global.output == "json";
  live::History history = live::read_replay(options.replay);
  promql::EvalOptions eval{*history.newest_ms()};
  if (options.time_seconds) eval.time_ms = unix_time_ms(*options.time_seconds);
  promql::Value value =
      evaluate_or_print_error(json, [&] { return promql::evaluate(history, options.expr, eval); });
  if (!global.quiet) print_value(json, value, eval.time_ms);
  return kExitOk;
}

// Scrapes every INTERVAL, keeps the window's samples, evaluates at each newest scrape. A round
// whose scrape or evaluation fails says so and the watch goes on.
int query_watch(const GlobalOptions& global, const QueryOptions& options, Scraper& scraper) {
  bool json = global.output == "json";
  int64_t interval_ms = parse_interval_ms(options.watch, "--watch");
  int64_t window_ms = parse_interval_ms(options.window, "--window");
  promql::parse(options.expr);  // a typo ends the watch before it starts
  live::History history = live::History::for_watch(window_ms, interval_ms);
  // A path that cannot be written ends the watch now, not after an hour of recording.
  std::optional<live::RecordingFile> recording;
  if (!options.record.empty()) recording.emplace(options.record, options.force);
  scraper.cancel_when(live::stop_requested);  // Ctrl-C ends a slow scrape at once
  int failures = 0;
  std::size_t rounds =
      live::watch({static_cast<double>(interval_ms) / 1000, options.count}, [&](std::size_t) {
        int64_t now = promql::now_ms();
        live::RecordedRound recorded =
            live::record_round(history, now, [&] { return scraper.scrape_for_watch(); });
        if (recorded.interrupted) return;
        if (recorded.problem) fmt::print(stderr, "e2e3d-metrics: {}\n", *recorded.problem);
        if (!recorded.scrape) {
          ++failures;
          return;
        }
        try {
          promql::Value value = promql::evaluate(history, options.expr, {now});
          if (global.quiet) return;
          if (!json) {
            fmt::print("# {} scrapes, window {}, at {}.{:03}\n", history.scrape_count(),
                       rules::format_duration(window_ms), now / 1000, now % 1000);
          }
          print_value(json, value, now);
        } catch (const Error& e) {
          if (json) fmt::print("{}\n", promql::error_json(e));
          fmt::print(stderr, "e2e3d-metrics: {}\n", e.what());
          ++failures;
        }
        std::fflush(stdout);
      });
  if (recording) recording->write(history);
  return failures > 0 && static_cast<std::size_t>(failures) == rounds ? kExitUnknown : kExitOk;
}

// Sent to the server with every fetch option (-H, credentials, TLS, --max-bytes, --timeout).
int query_prometheus(const GlobalOptions& global, const QueryOptions& options) {
  bool json = global.output == "json";
  PrometheusApi api(options.prometheus, scrape_source(global).fetch);
  PrometheusAnswer answer = api.query(options.expr, options.time_seconds);
  if (!answer.success) {
    if (json) fmt::print("{}\n", answer.body);
    throw Error(answer.error_type == "bad_data" ? ErrorKind::parse : ErrorKind::eval,
                fmt::format("{} ({})", answer.error, api.name()));
  }
  promql::RemoteValue result = promql::decode_query_data(answer.data);
  if (global.quiet) return kExitOk;
  if (json) {
    fmt::print("{}\n", answer.body);
  } else {
    print_text(result.value);
  }
  return kExitOk;
}

int run_query(GlobalOptions& global, const QueryOptions& options) {
  require_output(global, {"text", "json"});
  bool json = global.output == "json";
  if (!options.prometheus.empty()) return query_prometheus(global, options);
  if (!options.replay.empty()) return query_replay(global, options);
  Scraper scraper(global);
  if (!options.watch.empty()) return query_watch(global, options, scraper);
  if (options.count || !options.record.empty() || options.force) {
    throw CLI::ValidationError("--count", "--count, --record and --force go with --watch");
  }
  ScrapeRound round = scraper.scrape();
  // The answer covers the targets that answered; `up == 0` selects the others.
  for (const auto& target : round.targets) {
    if (target.error) fmt::print(stderr, "e2e3d-metrics: warning: {}\n", *target.error);
  }
  promql::EvalOptions eval;
  if (options.time_seconds) eval.time_ms = unix_time_ms(*options.time_seconds);
  promql::Value value = evaluate_or_print_error(
      json, [&] { return promql::evaluate(round.scrape, options.expr, eval); });
  print_name_hints(round.scrape, options.expr);
  if (!global.quiet) print_value(json, value, eval.time_ms);
  return kExitOk;
}

}  // namespace

void add_query_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<QueryOptions>();
  auto* cmd = app.add_subcommand("query", "Evaluate a PromQL expression on the scrape");
  cmd->add_option("expr", options->expr, "PromQL expression (put it after -- if it starts with -)")
      ->required();
  auto* prometheus =
      cmd->add_option("--prometheus", options->prometheus,
                      "Send the expression to this Prometheus-compatible server's /api/v1/query "
                      "instead of evaluating it on one scrape");
  auto* time = cmd->add_option("--time", options->time_seconds,
                               "Evaluation time in Unix seconds (default: now, or the end of "
                               "--replay's recording)")
                   ->check(unix_time());
  auto* watch_option =
      cmd->add_option("--watch", options->watch,
                      "Scrape every INTERVAL and evaluate after each scrape over the recorded "
                      "window: range vectors, rate(), increase(), *_over_time() work")
          ->type_name("INTERVAL");
  cmd->add_option("--window", options->window, "How much history --watch keeps (bounded), e.g. 15m")
      ->capture_default_str();
  cmd->add_option("--count", options->count, "Stop after this many scrapes (with --watch)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--record", options->record,
                  "With --watch: write the recorded scrapes to FILE (OpenMetrics with "
                  "timestamps) when the watch ends");
  cmd->add_flag("--force", options->force, "With --record: replace FILE if it exists");
  auto* replay = cmd->add_option("--replay", options->replay,
                                 "Evaluate over a recording made with --record instead of scraping")
                     ->check(CLI::ExistingFile);
  watch_option->excludes(time);
  replay->excludes(watch_option);
  prometheus->excludes(watch_option);
  prometheus->excludes(replay);
  cmd->footer(
      "Examples:\n"
      "  e2e3d-metrics query 'sum(e2e3d_job_duration_seconds_total) by (status)'\n"
      "  e2e3d-metrics query --file metrics.txt --output json 'reconstruction_total'\n"
      "  e2e3d-metrics query -- '-1 ^ 2'\n"
      "  e2e3d-metrics query --prometheus http://prometheus:9090 'up'\n"
      "  e2e3d-metrics query --watch 15s --window 10m 'sum(rate(reconstruction_total[5m]))'\n"
      "  e2e3d-metrics query --replay incident.om 'increase(reconstruction_failure_total[10m])'\n"
      "  e2e3d-metrics query --replay incident.om 'max_over_time(rate(reconstruction_total[1m])"
      "[30m:1m])'\n"
      "  e2e3d-metrics query --targets-file targets.txt 'sum by (instance) "
      "(e2e3d_active_jobs)'");
  commands.push_back({cmd, [&global, options] { return run_query(global, *options); }});
}

}  // namespace e2e3d::cli
