// Wiring only: each command lives in its own file; this file parses and maps errors to exit
// codes (contract: 3 for anything that kept us from an answer, 64 for usage errors).
#include <csignal>
#include <cstdio>
#include <exception>
#include <system_error>

#include <fmt/format.h>

#include "cli/alerts_command.hpp"
#include "cli/check_command.hpp"
#include "cli/command.hpp"
#include "cli/config_file.hpp"
#include "cli/demo_command.hpp"
#include "cli/doctor_command.hpp"
#include "cli/generate_command.hpp"
#include "cli/global_options.hpp"
#include "cli/query_command.hpp"
#include "cli/show_command.hpp"
#include "cli/suggest.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/version.hpp"

namespace {

using namespace e2e3d::cli;

int run_command(const Command& command) {
  try {
    return command.run();
  } catch (const CLI::ValidationError& e) {
    fmt::print(stderr, "e2e3d-metrics: {}\n", e.what());
    return kExitUsage;
  } catch (const e2e3d::Error& e) {
    fmt::print(stderr, "e2e3d-metrics: {}\n", e.what());
    return kExitUnknown;
  } catch (const std::system_error& e) {
    // The reader went away (`| head`): stop quietly, as ripgrep and friends do.
    if (e.code() == std::errc::broken_pipe) return kExitOk;
    fmt::print(stderr, "e2e3d-metrics: internal error: {}\n", e.what());
    return kExitUnknown;
  } catch (const std::exception& e) {
    fmt::print(stderr, "e2e3d-metrics: internal error: {}\n", e.what());
    return kExitUnknown;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A reader that goes away (`| head`) must end output quietly, not kill us mid-write.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Diagnostics for the E2E3D reconstruction service's Prometheus metrics",
               "e2e3d-metrics"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the command name
  app.set_version_flag("--version",
                       fmt::format("e2e3d-metrics {} ({})", e2e3d::kVersion, e2e3d::kGitRevision));
  app.footer(
      "Exit codes: 0 OK, 1 warning, 2 critical, 3 unknown (could not fetch, parse or evaluate), "
      "64 usage error.");

  GlobalOptions global;
  add_global_options(app, global);

  app.add_option("--config",
                 "Configuration file (default: $XDG_CONFIG_HOME/e2e3d-metrics/"
                 "config.toml); flags beat environment variables beat the file")
      ->type_name("FILE")
      ->group("Target");

  CommandList commands;
  add_show_command(app, global, commands);
  add_demo_command(app, global, commands);
  add_check_command(app, global, commands);
  add_alerts_command(app, global, commands);
  add_generate_command(app, global, commands);
  add_query_command(app, global, commands);
  add_doctor_command(app, global, commands);

  try {
    if (auto path = config_path(argc, argv)) apply_config_file(app, *path);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string hint;
    if (auto nearest = suggest_option(app, argc, argv))
      hint = fmt::format(" (did you mean {}?)", *nearest);
    fmt::print(stderr, "e2e3d-metrics: {}{}\nRun 'e2e3d-metrics --help' for usage.\n", e.what(),
               hint);
    return kExitUsage;
  }
  for (const auto& command : commands) {
    if (command.app->parsed()) return run_command(command);
  }
  return kExitUsage;
}
