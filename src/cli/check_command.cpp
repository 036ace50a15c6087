#include "cli/check_command.hpp"
#include "cli/targets.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/check.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/threshold.hpp"

namespace e2e3d::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct CheckOptions {
  std::vector<std::string> exprs;
  std::string wait_for;  // empty: one attempt
  std::string interval = "1s";
  std::string value;
  std::string warning;
  std::string critical;
  std::string label = "value";
};

// A Prometheus duration ("30s", "1m30s") or a decimal number with an optional unit ("1.5s",
// "0.5", "250ms"), in seconds.
double seconds_option(const std::string& text, const char* option) {
  if (auto ms = rules::parse_duration(text)) return static_cast<double>(*ms) / 1000;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  std::string_view unit(end, text.data() + text.size() - end);
  if (ec == std::errc() && number >= 0 && std::isfinite(number)) {
    if (unit.empty() || unit == "s") return number;
    if (unit == "ms") return number / 1000;
    if (unit == "m") return number * 60;
    if (unit == "h") return number * 3600;
  }
  throw CLI::ValidationError(
      option, fmt::format("'{}' is not a duration; write it like 30s, 1.5s, 2m or 45", text));
}

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void print_report(const GlobalOptions& global, const rules::CheckReport& report) {
  if (global.quiet) return;
  if (global.output == "json") {
    fmt::print("{}\n", rules::check_json(report));
  } else if (global.output == "junit") {
    fmt::print("{}", rules::check_junit(report));
  } else if (global.output == "nagios") {
    fmt::print("{}\n", rules::check_plugin_line(report));
  } else {
    fmt::print("{}", rules::check_text(report));
  }
}

// The reason the last attempt did not succeed, for progress lines and the final message.
std::string last_reason(const rules::CheckReport& report) {
  if (report.target_error) return *report.target_error;
  for (const auto& c : report.checks) {
    if (c.status != rules::CheckStatus::pass) {
      return fmt::format("`{}`: {}", c.expr, c.hints.empty() ? c.message : c.hints.front());
    }
  }
  return "all hold";
}

int run_expressions(const GlobalOptions& global, const CheckOptions& options) {
  rules::validate_expressions(options.exprs);  // a typo fails now, not after --wait-for
  const bool waiting = !options.wait_for.empty();
  const double wait_seconds = waiting ? seconds_option(options.wait_for, "--wait-for") : 0;
  const double interval = std::max(seconds_option(options.interval, "--interval"), 0.01);
  const bool progress = waiting && !global.quiet && isatty(STDERR_FILENO);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(wait_seconds));
  ScrapeSource source = scrape_source(global);
  rules::CheckReport report;
  report.source = source.file ? *source.file : redact_url(source.fetch.url);
  report.attempts = 0;
  while (true) {
    ++report.attempts;
    report.target_error.reset();
    report.checks.clear();
    // Every attempt ends by the deadline, even against a target that accepts and never answers.
    double remaining = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (waiting) {
      source.fetch.timeout_seconds = std::clamp(remaining, 0.05, global.timeout_seconds);
      source.fetch.connect_timeout_seconds =
          std::min(source.fetch.connect_timeout_seconds, source.fetch.timeout_seconds);
    }
    try {
      Scrape scrape = load_scrape(source);
      report.checks = rules::check_expressions(scrape, options.exprs, promql::now_ms());
    } catch (const Error& e) {
      report.target_error = e.what();
      for (const auto& expr : options.exprs)
        report.checks.push_back({expr, rules::CheckStatus::error, {}, e.what(), {}, 0});
    }
    const int code = report.exit_code();
    const bool evaluation_error = code == kExitUnknown && !report.target_error;
    remaining = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (code == kExitOk || evaluation_error || !waiting || remaining <= 0) break;
    if (progress) {
      fmt::print(stderr, "\r\033[Kwaiting: attempt {} failed ({}); {:.0f} s left", report.attempts,
                 last_reason(report), remaining);
      std::fflush(stderr);
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(interval, remaining)));
  }
  if (progress) fmt::print(stderr, "\r\033[K");
  report.seconds = since(start);
  print_report(global, report);
  const int code = report.exit_code();
  if (waiting && code != kExitOk && !global.quiet) {
    fmt::print(stderr, "e2e3d-metrics: gave up after {} attempt(s) in {:.1f} s; last failure: {}\n",
               report.attempts, report.seconds, last_reason(report));
  }
  return code;
}

int run_threshold(const GlobalOptions& global, const CheckOptions& options) {
  std::optional<rules::ThresholdRange> warning, critical;
  try {
    if (!options.warning.empty()) warning = rules::parse_range(options.warning);
    if (!options.critical.empty()) critical = rules::parse_range(options.critical);
  } catch (const Error& e) {
    throw CLI::ValidationError(e.what());
  }
  rules::validate_expressions({options.value});
  rules::ThresholdCheck check;
  try {
    Scrape scrape = load_scrape(scrape_source(global));
    check = rules::check_threshold(scrape, options.value, options.label, warning, critical,
                                   promql::now_ms());
  } catch (const Error& e) {
    check = rules::threshold_unknown(options.value, options.label, warning, critical, e.what());
  }
  if (!global.quiet) {
    if (global.output == "json") {
      fmt::print("{}\n", rules::threshold_json(check));
    } else {
      fmt::print("{}\n", rules::threshold_line(check));
    }
  }
  return check.exit_code();
}

int run_check(GlobalOptions& global, const CheckOptions& options) {
  require_single_target(global, "check");
  if (!options.value.empty()) {
    require_output(global, {"text", "nagios", "json"});
    if (!options.exprs.empty()) {
      throw CLI::ValidationError("--value",
                                 "takes the place of the expressions; give one or the other");
    }
    if (!options.wait_for.empty()) {
      throw CLI::ValidationError("--wait-for", "works with expressions, not with --value");
    }
    return run_threshold(global, options);
  }
  if (!options.warning.empty() || !options.critical.empty()) {
    throw CLI::ValidationError("--warning/--critical", "need --value EXPR to judge");
  }
  if (options.exprs.empty()) {
    throw CLI::ValidationError("check", "give at least one expression, or --value EXPR");
  }
  return run_expressions(global, options);
}

}  // namespace

void add_check_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd =
      app.add_subcommand("check", "CI assertion: every expression must return a non-empty result");
  cmd->add_option("exprs", options->exprs,
                  "PromQL expressions; each holds when its result is non-empty (put them after "
                  "-- if one starts with -)");
  cmd->add_option("--wait-for", options->wait_for,
                  "Retry until every expression holds or this much time has passed (30s, 2m)");
  cmd->add_option("--interval", options->interval, "Pause between attempts with --wait-for")
      ->capture_default_str();
  cmd->add_option("--value", options->value,
                  "Threshold mode: judge the value(s) of this expression against --warning and "
                  "--critical")
      ->group("Threshold mode");
  cmd->add_option("--warning", options->warning,
                  "Monitoring Plugins range: 10 (outside 0..10), 10: (below 10), ~:10 (above "
                  "10), 10:20, @10:20 (inside)")
      ->group("Threshold mode");
  cmd->add_option("--critical", options->critical, "Range for CRITICAL, same syntax")
      ->group("Threshold mode");
  cmd->add_option("--label", options->label, "Performance-data label of the value")
      ->capture_default_str()
      ->group("Threshold mode");
  cmd->footer(
      "Output: --output text (default), json, junit (one test case per expression), nagios.\n"
      "Exit codes: 0 every expression holds (threshold: OK), 1 threshold WARNING, 2 an "
      "expression returned nothing (threshold: CRITICAL), 3 the target could not be fetched or "
      "an expression is invalid (threshold: UNKNOWN).\n"
      "Examples:\n"
      "  e2e3d-metrics check 'reconstruction_total' 'e2e3d_active_jobs < 50'\n"
      "  e2e3d-metrics check --wait-for 60s --interval 2s reconstruction_total\n"
      "  e2e3d-metrics check --output junit 'reconstruction_total > 0' > check.xml\n"
      "  e2e3d-metrics check --value e2e3d_active_jobs --label active --warning 8 --critical 10\n"
      "  e2e3d-metrics check --value 'reconstruction_failure_total / reconstruction_total' "
      "--warning 0.05 --critical 0.1");
  commands.push_back({cmd, [&global, options] { return run_check(global, *options); }});
}

}  // namespace e2e3d::cli
