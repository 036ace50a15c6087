// `doctor`: builds the doctor options from the flags, runs the checklist, and prints it as a
// checklist for people (text), as JSON (ARCHITECTURE.md's shape) or as JUnit XML for CI.
#include "cli/doctor_command.hpp"

#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "cli/doctor_fleet.hpp"
#include "cli/doctor_text.hpp"
#include "cli/style.hpp"
#include "cli/targets.hpp"
#include "e2e3d/doctor/doctor.hpp"

namespace e2e3d::cli {
namespace {

struct DoctorFlags {
  int pid = 0;
  std::string compose;
  std::string service;
  std::string prometheus_config;
  std::string prometheus;
  std::string rules;
  std::string docker_host;
  std::string container;
  std::string prometheus_container;
  int log_lines = 200;
  std::vector<std::string> only;
  std::vector<std::string> skip;
  uint64_t job_id_series_warn = 10000;
};

std::string check_ids() {
  std::string ids;
  for (const auto& spec : doctor::checks())
    ids += fmt::format("{}{}", ids.empty() ? "" : ", ", spec.id);
  return ids;
}

void require_known_ids(const std::vector<std::string>& ids, const char* flag) {
  for (const auto& id : ids) {
    if (!doctor::find_check(id)) {
      throw CLI::ValidationError(flag,
                                 fmt::format("no check {}; the checks are: {}", id, check_ids()));
    }
  }
}

doctor::Options doctor_options(const GlobalOptions& global, const DoctorFlags& flags) {
  doctor::Options o;
  o.source = scrape_source(global);
  o.timeout_seconds = global.timeout_seconds;
  if (flags.pid > 0) o.pid = flags.pid;
  if (!flags.compose.empty()) o.compose_file = flags.compose;
  if (!flags.service.empty()) o.service = flags.service;
  if (!flags.prometheus_config.empty()) o.prometheus_config = flags.prometheus_config;
  o.job = global.job;
  if (!flags.prometheus.empty()) o.prometheus_url = flags.prometheus;
  if (!flags.rules.empty()) o.rules_file = flags.rules;
  if (!flags.docker_host.empty()) o.docker_host = flags.docker_host;
  if (!flags.container.empty()) o.container = flags.container;
  if (!flags.prometheus_container.empty()) o.prometheus_container = flags.prometheus_container;
  o.log_lines = flags.log_lines;
  o.only = flags.only;
  o.skip = flags.skip;
  o.job_id_series_warn = flags.job_id_series_warn;
  return o;
}

int run_doctor(GlobalOptions& global, const DoctorFlags& flags) {
  require_output(global, {"text", "json", "junit"});
  require_known_ids(flags.only, "--check");
  require_known_ids(flags.skip, "--skip");
  if (!flags.service.empty() && flags.compose.empty()) {
    throw CLI::ValidationError("--service", "names a service of --compose FILE; pass the file too");
  }
  if (names_fleet(global)) {
    if (global.output == "junit") {
      throw CLI::ValidationError("--output",
                                 "junit covers one target; use text or json with "
                                 "several targets");
    }
    Scraper scraper(global);
    return run_doctor_fleet(global, scraper.targets(), [&](const FleetTarget& target) {
      doctor::Options o = doctor_options(global, flags);
      o.source.file.reset();
      o.source.fetch.url = target.url;
      o.source.fetch.url_option = fleet_option(global);
      return o;
    });
  }
  auto context = std::make_shared<doctor::Context>(doctor_options(global, flags));
  doctor::Report report = doctor::run(context);
  if (!global.quiet) {
    if (global.output == "json") {
      fmt::print("{}", doctor::to_json(report));
    } else if (global.output == "junit") {
      fmt::print("{}", doctor::to_junit(report));
    } else {
      fmt::print("{}", doctor_text_report(report, context->target_name(),
                                          Style(use_color(global, stdout)), global.verbose));
    }
  }
  std::fflush(stdout);
  // A check still waiting on the network holds a thread; leave without running static
  // destructors under it.
  if (report.unfinished > 0) std::quick_exit(report.exit_code);
  return report.exit_code;
}

}  // namespace

void add_doctor_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto flags = std::make_shared<DoctorFlags>();
  auto* cmd = app.add_subcommand("doctor", "The troubleshooting checklist, as one command");
  // Linux's largest PID is 2^22 (PID_MAX_LIMIT): anything above names no process.
  cmd->add_option("--pid", flags->pid,
                  "The service's process (its environment is read for ENABLE_METRICS); default: "
                  "the process listening on the URL's port")
      ->check(CLI::Range(1, 4194304));
  cmd->add_option("--compose", flags->compose,
                  "Docker Compose file to read the service's ENABLE_METRICS from");
  cmd->add_option("--service", flags->service,
                  fmt::format("Service in the Compose file (default: {}, or the only one)",
                              catalog::kServiceName));
  cmd->add_option("--prometheus-config", flags->prometheus_config,
                  "prometheus.yml to check for the scrape job");
  cmd->add_option("--prometheus", flags->prometheus,
                  "Prometheus server to ask about the target (http://prometheus:9090)");
  cmd->add_option("--rules", flags->rules,
                  "Prometheus rule file to check (default: the document's alert rules)");
  cmd->add_option("--docker-host", flags->docker_host,
                  "Container runtime API: unix:///PATH or tcp://HOST:PORT (default: DOCKER_HOST, "
                  "else /var/run/docker.sock, else Podman's socket)")
      ->group("Containers");
  cmd->add_option("--container", flags->container,
                  "The service's container, by name or id (default: the one publishing the URL's "
                  "port, or --compose's service, or the one named like the URL's host)")
      ->group("Containers");
  cmd->add_option("--prometheus-container", flags->prometheus_container,
                  "Prometheus's container (default: the Compose project's, or the only one "
                  "running Prometheus)")
      ->group("Containers");
  cmd->add_option("--log-lines", flags->log_lines,
                  "How many of the last lines of each container's log container.logs reads")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str()
      ->group("Containers");
  cmd->add_option("--check", flags->only, "Run only this check (repeatable)")->group("Selection");
  cmd->add_option("--skip", flags->skip, "Do not run this check (repeatable)")->group("Selection");
  cmd->add_option("--job-id-warn", flags->job_id_series_warn,
                  "Warn when e2e3d_job_duration_seconds has more distinct job_id values")
      ->capture_default_str();
  cmd->footer(fmt::format(
      "Checks: {}.\n"
      "Output: --output text (a checklist; failures and warnings with their fix), json, junit.\n"
      "Exit codes: 0 all passed, 1 warnings only, 2 a check failed, 3 doctor could not run.\n"
      "Doctor only reads and probes: it changes nothing, runs no shell, prints no credentials.\n"
      "Examples:\n"
      "  e2e3d-metrics doctor\n"
      "  e2e3d-metrics doctor --compose docker-compose.yml --prometheus-config prometheus.yml\n"
      "  e2e3d-metrics doctor --compose docker-compose.yml   (the running containers, via Docker)\n"
      "  e2e3d-metrics doctor --container e2e3d-reconstruction-service --docker-host "
      "unix:///run/user/1000/podman/podman.sock\n"
      "  e2e3d-metrics doctor --prometheus http://localhost:9090 --output junit > doctor.xml\n"
      "  e2e3d-metrics doctor --check http.endpoint --check metrics.documented\n"
      "  e2e3d-metrics doctor --targets-file replicas.txt   (each target's checklist, summarised)",
      check_ids()));
  commands.push_back({cmd, [&global, flags] { return run_doctor(global, *flags); }});
}

}  // namespace e2e3d::cli
