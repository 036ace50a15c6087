#include "cli/alerts_command.hpp"
#include "cli/targets.hpp"

#include <memory>

#include <fmt/format.h>

#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/alert_eval.hpp"
#include "e2e3d/rules/alerts_render.hpp"
#include "e2e3d/rules/rule_file.hpp"

namespace e2e3d::cli {
namespace {

struct AlertsOptions {
  std::string rules;  // empty: the metrics document's rules
};

int run_alerts(GlobalOptions& global, const AlertsOptions& options) {
  require_single_target(global, "alerts");
  require_output(global, {"text", "json"});
  // The rule file first: a broken file is reported without touching the network.
  rules::RuleFile file =
      options.rules.empty() ? rules::documented_rule_file() : rules::load_rule_file(options.rules);
  rules::validate_rules(file);
  FetchInfo info;
  Scrape scrape = load_scrape(scrape_source(global), &info);
  rules::RulesReport report = rules::evaluate_rules(scrape, file, promql::now_ms());
  if (!global.quiet) {
    if (global.output == "json") {
      fmt::print("{}\n", rules::alerts_json(report));
    } else {
      std::string origin =
          options.rules.empty() ? std::string("the metrics document") : options.rules;
      fmt::print("{}", rules::alerts_text(report, origin, info.source));
    }
  }
  for (const auto& r : report.rules) {
    if (r.error && !global.quiet) {
      fmt::print(stderr, "e2e3d-metrics: rule \"{}\" could not be evaluated: {}\n", r.rule.name,
                 *r.error);
    }
  }
  return rules::alerts_exit_code(report);
}

}  // namespace

void add_alerts_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<AlertsOptions>();
  auto* cmd = app.add_subcommand("alerts", "Evaluate alerting rules on the scrape");
  cmd->add_option("--rules", options->rules,
                  "Prometheus rule file (groups of alert and record rules; recording rules are "
                  "evaluated first, in order). Default: the metrics document's two alerts")
      ->check(CLI::ExistingFile);
  cmd->footer(
      "Each alert is inactive, pending (its expression returns series; `for` cannot be observed "
      "in one scrape) or firing (`for` is 0), with its series, values and annotations. A rule "
      "that selects names the target does not expose can never fire: it is reported with the "
      "expression rewritten for the names the target does expose.\n"
      "Exit codes: 0 nothing would fire, 2 an alert is pending or firing, 3 the target or a rule "
      "could not be read or evaluated.\n"
      "Output: --output text (default) or json (Prometheus's /api/v1/alerts shape in "
      "data.alerts, the rules in data.groups).\n"
      "Examples:\n"
      "  e2e3d-metrics alerts\n"
      "  e2e3d-metrics alerts --rules /etc/prometheus/rules/e2e3d.yml --output json");
  commands.push_back({cmd, [&global, options] { return run_alerts(global, *options); }});
}

}  // namespace e2e3d::cli
