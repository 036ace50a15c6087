#include "cli/query_command.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "e2e3d/promql/engine.hpp"
#include "e2e3d/promql/remote.hpp"

namespace e2e3d::cli {
namespace {

struct QueryOptions {
  std::string expr;
  std::string prometheus;
  std::optional<double> time_seconds;
};

void print_text(const promql::Value& value) {
  if (const auto* s = std::get_if<promql::Scalar>(&value)) {
    fmt::print("scalar => {}\n", promql::format_value(s->value));
  } else if (const auto* str = std::get_if<promql::String>(&value)) {
    fmt::print("string => {}\n", str->value);
  } else {
    for (const auto& sample : std::get<promql::Vector>(value)) {
      std::string series = promql::format_series(sample.metric);
      fmt::print("{} => {}\n", series.empty() ? "{}" : series, promql::format_value(sample.value));
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

int run_query(GlobalOptions& global, const QueryOptions& options) {
  require_output(global, {"text", "json"});
  bool json = global.output == "json";
  if (!options.prometheus.empty()) {
    promql::RemoteQuery remote{options.prometheus, options.expr, options.time_seconds,
                               global.timeout_seconds};
    promql::RemoteAnswer answer = promql::query_remote(remote);
    if (!answer.success) {
      if (json) fmt::print("{}\n", answer.body);
      throw Error(answer.error_type == "bad_data" ? ErrorKind::parse : ErrorKind::eval,
                  fmt::format("{} ({})", answer.error, options.prometheus));
    }
    if (global.quiet) return kExitOk;
    if (json) {
      fmt::print("{}\n", answer.body);
    } else {
      print_text(answer.value);
    }
    return kExitOk;
  }

  Scrape scrape = load_scrape(scrape_source(global));
  promql::EvalOptions eval;
  if (options.time_seconds) eval.time_ms = std::llround(*options.time_seconds * 1000);
  promql::Value value;
  try {
    value = promql::evaluate(scrape, options.expr, eval);
  } catch (const Error& e) {
    if (json) fmt::print("{}\n", promql::error_json(e));
    throw;
  }
  print_name_hints(scrape, options.expr);
  if (global.quiet) return kExitOk;
  if (json) {
    fmt::print("{}\n", promql::to_api_json(value, static_cast<double>(eval.time_ms) / 1000));
  } else {
    print_text(value);
  }
  return kExitOk;
}

}  // namespace

void add_query_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<QueryOptions>();
  auto* cmd = app.add_subcommand("query", "Evaluate a PromQL expression on the scrape");
  cmd->add_option("expr", options->expr, "PromQL expression (put it after -- if it starts with -)")
      ->required();
  cmd->add_option("--prometheus", options->prometheus,
                  "Send the expression to this Prometheus-compatible server's /api/v1/query "
                  "instead of evaluating it on one scrape");
  cmd->add_option("--time", options->time_seconds,
                  "Evaluation time in Unix seconds (default: now)");
  cmd->footer(
      "Examples:\n"
      "  e2e3d-metrics query 'sum(e2e3d_job_duration_seconds_total) by (status)'\n"
      "  e2e3d-metrics query --file metrics.txt --output json 'reconstruction_total'\n"
      "  e2e3d-metrics query -- '-1 ^ 2'\n"
      "  e2e3d-metrics query --prometheus http://prometheus:9090 'up'");
  commands.push_back({cmd, [&global, options] { return run_query(global, *options); }});
}

}  // namespace e2e3d::cli
