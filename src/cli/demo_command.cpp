#include "cli/demo_command.hpp"
#include "cli/targets.hpp"

#include <pthread.h>
#include <signal.h>

#include <memory>

#include <fmt/format.h>

#include "cli/numeric_options.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/demo.hpp"

namespace e2e3d::cli {
namespace {

struct DemoCommandOptions {
  DemoOptions exporter;
  std::string names = "python";
};

int run_demo(const GlobalOptions& global, DemoCommandOptions options) {
  require_single_target(global, "demo");
  options.exporter.names =
      options.names == "documented" ? DemoNames::documented : DemoNames::python;
  // SIGINT and SIGTERM are blocked before the server thread starts, so that thread inherits
  // the mask and the signals wait for sigwait below: no work in a signal handler at all.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  DemoExporter exporter(options.exporter);  // throws Error when it cannot listen: exit 3
  if (!global.quiet) {
    std::string where = exporter.url();
    if (options.exporter.bind == "0.0.0.0" || options.exporter.bind == "::" ||
        options.exporter.bind == "[::]") {
      where += fmt::format(" (listening on every interface, {})", options.exporter.bind);
    }
    fmt::print(stderr, "serving {} (Ctrl-C to stop)\n", where);
  }
  int received = 0;
  while (sigwait(&stop_signals, &received) != 0) {
  }
  exporter.stop();
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<DemoCommandOptions>();
  DemoOptions& e = options->exporter;
  e.port = catalog::kPort;
  auto* cmd = app.add_subcommand("demo", "Built-in exporter that simulates the E2E3D service");
  cmd->add_option("--port", e.port, "Port to serve /metrics on (0: any free port)")
      ->capture_default_str();
  cmd->add_option("--bind", e.bind, "Address to listen on (IPv4 or IPv6)")->capture_default_str();
  cmd->add_option("--rate", e.jobs_per_minute, "Jobs arriving per minute, on average")
      ->capture_default_str()
      ->check(number_between(0, 60000, "a number of jobs per minute"));
  cmd->add_option("--duration", e.mean_duration_seconds, "Mean job duration in seconds")
      ->capture_default_str()
      ->check(number_between(0, 7 * 24 * 3600, "a number of seconds"));
  cmd->add_option("--failure-ratio", e.failure_ratio, "Share of finished jobs that fail, 0 to 1")
      ->capture_default_str()
      ->check(number_between(0, 1, "a ratio"));
  cmd->add_option("--initial-jobs", e.initial_jobs, "Jobs already finished when it starts")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  cmd->add_option("--names", options->names,
                  "python: the names the service really exposes (reconstruction_success_total, "
                  "_created); documented: the names as the metrics document writes them")
      ->capture_default_str()
      ->check(CLI::IsMember({"python", "documented"}));
  cmd->add_option("--seed", e.seed,
                  "Seed of the simulation; the same seed, the same jobs (0: "
                  "random)")
      ->capture_default_str();
  cmd->footer(
      "Serves until SIGINT (Ctrl-C) or SIGTERM, then exits 0; exits 3 when it cannot listen.\n"
      "Examples:\n"
      "  e2e3d-metrics demo\n"
      "  e2e3d-metrics demo --port 0 --rate 120 --failure-ratio 0.3\n"
      "  e2e3d-metrics demo --names documented --bind ::1\n"
      "  e2e3d-metrics show --url http://127.0.0.1:9101/metrics   # from another terminal");
  commands.push_back({cmd, [&global, options] { return run_demo(global, *options); }});
}

}  // namespace e2e3d::cli
