#include "cli/generate_command.hpp"
#include "cli/targets.hpp"

#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "e2e3d/catalog.hpp"
#include "e2e3d/dashboard/grafana.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/generate.hpp"
#include "e2e3d/rules/windowed.hpp"

namespace e2e3d::cli {
namespace {

struct GenerateOptions {
  rules::ScrapeConfigOptions scrape;
  std::string names = "auto";
  std::string out;
  std::string tests;
  std::string window;  // rules: empty, as documented (lifetime totals)
  CLI::App* config_app = nullptr;
  CLI::App* rules_app = nullptr;
  CLI::App* dashboard_app = nullptr;
  dashboard::GrafanaOptions grafana;
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    throw Error(
        ErrorKind::io,
        fmt::format("{}: cannot write the file; check the directory exists and is writable", path));
  }
}

// Whether two paths name one file: the same path spelled differently, or a link to it.
bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  return fs::weakly_canonical(fs::absolute(a), ec) == fs::weakly_canonical(fs::absolute(b), ec);
}

void emit(const GlobalOptions& global, const std::string& out, const std::string& text) {
  if (out.empty() || out == "-") {
    if (!global.quiet) fmt::print("{}", text);
  } else {
    write_file(out, text);
    if (!global.quiet) fmt::print(stderr, "wrote {}\n", out);
  }
}

// A rate window as --window gives it; 0 when absent. Refused before any fetch (exit 64).
int64_t window_option(const std::string& text) {
  if (text.empty()) return 0;
  auto parsed = rules::parse_duration(text);
  if (!parsed) {
    throw CLI::ValidationError(
        "--window",
        fmt::format("'{}' is not a Prometheus duration; write it like 15m or 1h", text));
  }
  try {
    rules::check_rate_window(*parsed);
  } catch (const Error& e) {
    throw CLI::ValidationError(e.what());  // the message names --window already
  }
  return *parsed;
}

// The documented names as --names chooses them: from the target (auto), or without one.
// `origin` says which, for the generated file's header.
std::vector<catalog::ResolvedName> names_option(const GlobalOptions& global,
                                                const std::string& mode, std::string& origin) {
  std::vector<catalog::ResolvedName> names;
  if (mode == "documented") {
    names = rules::documented_names();
    origin = "as the metrics document writes them";
  } else if (mode == "python") {
    names = rules::python_client_names();
    origin = "as the Python client exposes them (counters with _total)";
  } else {
    FetchInfo info;
    Scrape scrape = load_scrape(scrape_source(global), &info);
    names = catalog::resolve_names(scrape);
    origin = fmt::format("resolved against {}", info.source);
    std::string missing;
    for (const auto& n : names) {
      if (!n.exposed) missing += (missing.empty() ? "" : ", ") + std::string(n.documented);
    }
    if (!missing.empty()) {
      origin += fmt::format(" (not exposed there, kept as documented: {})", missing);
      if (!global.quiet) {
        fmt::print(stderr,
                   "e2e3d-metrics: the target does not expose {}; those names are kept as "
                   "documented (use --names python or documented to choose)\n",
                   missing);
      }
    }
  }
  return names;
}

int run_rules(const GlobalOptions& global, const GenerateOptions& options) {
  const int64_t window_ms = window_option(options.window);
  if (!options.tests.empty() && (options.out.empty() || options.out == "-")) {
    throw CLI::ValidationError("--tests",
                               "needs --out FILE: the test file names the rule file it loads");
  }
  if (!options.tests.empty() && same_file(options.out, options.tests)) {
    throw CLI::ValidationError(
        "--tests", fmt::format("names the same file as --out ({}): the tests would replace the "
                               "rules; give the tests a file of their own",
                               options.tests));
  }
  std::string origin;
  std::vector<catalog::ResolvedName> names = names_option(global, options.names, origin);
  emit(global, options.out, rules::rules_yaml(names, origin, window_ms));
  if (!options.tests.empty()) {
    namespace fs = std::filesystem;
    fs::path tests_dir = fs::absolute(options.tests).parent_path();
    std::string rules_path = fs::proximate(fs::absolute(options.out), tests_dir).string();
    write_file(options.tests, rules::rule_tests_yaml(names, rules_path, window_ms));
    if (!global.quiet) {
      fmt::print(stderr, "wrote {} (run: promtool test rules {})\n", options.tests, options.tests);
    }
  }
  return kExitOk;
}

int run_dashboard(const GlobalOptions& global, const GenerateOptions& options) {
  dashboard::GrafanaOptions grafana = options.grafana;
  grafana.window_ms = window_option(options.window.empty() ? "5m" : options.window);
  try {
    dashboard::grafana_dashboard_json(grafana);  // refuses bad options before any fetch
  } catch (const Error& e) {
    throw CLI::ValidationError(e.what());
  }
  grafana.names = names_option(global, options.names, grafana.origin);
  emit(global, options.out, dashboard::grafana_dashboard_json(grafana));
  return kExitOk;
}

int run_generate(GlobalOptions& global, const GenerateOptions& options) {
  require_single_target(global, "generate");
  require_output(global, {"text"});
  if (options.rules_app->parsed()) return run_rules(global, options);
  if (options.dashboard_app->parsed()) return run_dashboard(global, options);
  emit(global, options.out, rules::prometheus_config_yaml(options.scrape));
  return kExitOk;
}

}  // namespace

void add_generate_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<GenerateOptions>();
  auto* cmd = app.add_subcommand(
      "generate", "Ready-to-use files: prometheus-config | rules | grafana-dashboard");
  cmd->require_subcommand(1);
  cmd->fallthrough();

  auto* config = cmd->add_subcommand("prometheus-config",
                                     "The metrics document's scrape job, as prometheus.yml");
  config->fallthrough();
  config->add_option("--job", options->scrape.job, "job_name")->capture_default_str();
  config->add_option(
      "--target", options->scrape.target,
      fmt::format("HOST:PORT to scrape (default: {}:{})", catalog::kServiceName, catalog::kPort));
  config->add_option("--interval", options->scrape.interval, "scrape_interval")
      ->capture_default_str();
  config->add_option("--metrics-path", options->scrape.metrics_path, "metrics_path")
      ->capture_default_str();
  config->add_option("--rule-file", options->scrape.rule_files,
                     "Add this file to rule_files (repeatable)");
  config->add_option("--out", options->out, "Write to this file instead of standard output");
  config->footer(
      "Check the result with: promtool check config prometheus.yml\n"
      "Example:\n"
      "  e2e3d-metrics generate prometheus-config --target 10.0.0.7:9101 --interval 30s "
      "--rule-file e2e3d-rules.yml > prometheus.yml");

  auto* rules_cmd = cmd->add_subcommand(
      "rules", "The metrics document's alert rules, with the names the target exposes");
  rules_cmd->fallthrough();
  rules_cmd
      ->add_option("--names", options->names,
                   "auto: resolve the names against the target (--url/--file); documented: as "
                   "the document writes them; python: as the Python client exposes them")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "documented", "python"}));
  rules_cmd->add_option("--out", options->out, "Write the rules to this file instead of stdout");
  rules_cmd->add_option("--tests", options->tests,
                        "Also write a `promtool test rules` file that proves each alert fires "
                        "after its `for` and stays quiet on healthy series (needs --out)");
  rules_cmd->add_option("--window", options->window,
                        "Alert on rates over this window (e.g. 15m) instead of the document's "
                        "lifetime totals: HighFailureRate becomes sum(rate(failures[W])) / "
                        "(sum(rate(jobs[W])) > 0) > 0.1, quiet when no job ran");
  rules_cmd->footer(
      "Check the results with: promtool check rules FILE; promtool test rules TESTS\n"
      "Examples:\n"
      "  e2e3d-metrics generate rules --url http://reconstruction-service:9101/metrics "
      "--out e2e3d-rules.yml --tests e2e3d-rules.test.yml\n"
      "  e2e3d-metrics generate rules --names python --window 15m --out e2e3d-rules.yml "
      "--tests e2e3d-rules.test.yml");
  auto* grafana = cmd->add_subcommand(
      "grafana-dashboard",
      "A Grafana 9/10 dashboard (JSON to import) with the names the target exposes");
  grafana->fallthrough();
  grafana
      ->add_option("--names", options->names,
                   "auto: resolve the names against the target (--url/--file); documented: as "
                   "the document writes them; python: as the Python client exposes them")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "documented", "python"}));
  grafana->add_option("--window", options->window,
                      "Range of the rates and ratios (default 5m; at least 1m)");
  grafana->add_option("--top", options->grafana.top, "Jobs in the slowest-jobs list (1 to 100)")
      ->capture_default_str();
  grafana->add_option("--title", options->grafana.title, "Dashboard title")->capture_default_str();
  grafana
      ->add_option("--uid", options->grafana.uid,
                   "Dashboard uid: importing again replaces the dashboard with this uid")
      ->capture_default_str();
  grafana->add_option("--out", options->out, "Write the JSON to this file instead of stdout");
  grafana->footer(
      "Import it in Grafana: Dashboards > New > Import > Upload JSON file, then pick the "
      "Prometheus data source (the DS_PROMETHEUS input). Provisioned from a file, the "
      "DS_PROMETHEUS variable picks the data source.\n"
      "Panels: jobs per minute, success and failure ratio over the window, active jobs, average "
      "job duration, job time by status, the slowest jobs (top N; job_id is unbounded), process "
      "CPU, memory, open file descriptors vs the limit, restarts.\n"
      "Examples:\n"
      "  e2e3d-metrics generate grafana-dashboard --url http://reconstruction-service:9101/metrics "
      "--out e2e3d-dashboard.json\n"
      "  e2e3d-metrics generate grafana-dashboard --names python --window 15m > dashboard.json");

  options->config_app = config;
  options->rules_app = rules_cmd;
  options->dashboard_app = grafana;
  commands.push_back({cmd, [&global, options] { return run_generate(global, *options); }});
}

}  // namespace e2e3d::cli
