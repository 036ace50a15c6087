#include "cli/show_command.hpp"

#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "cli/show_text.hpp"
#include "e2e3d/demo.hpp"
#include "e2e3d/show_report.hpp"

namespace e2e3d::cli {
namespace {

struct ShowOptions {
  bool demo = false;
};

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

int run_show(GlobalOptions& global, const ShowOptions& options) {
  require_output(global, {"text", "json"});
  ScrapeSource source = scrape_source(global);
  std::unique_ptr<DemoExporter> demo;
  if (options.demo) {
    demo = std::make_unique<DemoExporter>(DemoOptions{});
    source.file.reset();
    source.fetch.url = demo->url();
  }
  FetchInfo info;
  Scrape scrape = load_scrape(source, &info);
  ShowReport report = build_show_report(scrape, info.source, now_seconds());
  if (global.quiet) return kExitOk;
  if (global.output == "json") {
    fmt::print("{}\n", show_report_json(report));
  } else {
    fmt::print("{}", render_show_text(report, info, Style(use_color(global, stdout))));
  }
  return kExitOk;
}

}  // namespace

void add_show_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "The documented metrics, derived values, process metrics");
  cmd->add_flag("--demo", options->demo,
                "Start the built-in demo exporter on a loopback port and show it");
  cmd->footer(
      "Examples:\n"
      "  e2e3d-metrics show\n"
      "  e2e3d-metrics show --url http://reconstruction-service:9101/metrics --output json\n"
      "  e2e3d-metrics show --file metrics.txt\n"
      "  e2e3d-metrics show --demo");
  commands.push_back({cmd, [&global, options] { return run_show(global, *options); }});
}

}  // namespace e2e3d::cli
