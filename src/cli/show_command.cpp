#include "cli/show_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/interval_option.hpp"
#include "cli/live_text.hpp"
#include "cli/show_fleet.hpp"
#include "cli/show_text.hpp"
#include "cli/targets.hpp"
#include "e2e3d/demo.hpp"
#include "e2e3d/live/live_frame.hpp"
#include "e2e3d/live/recording.hpp"
#include "e2e3d/live/watch.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/show_report.hpp"

namespace e2e3d::cli {
namespace {

struct ShowOptions {
  bool demo = false;
  std::optional<std::string> watch;  // set (maybe empty: the default interval) for --watch
  std::string window = "5m";
  std::optional<std::size_t> count;
  std::string record;
  bool force = false;  // --record may replace an existing file
  std::string replay;
};

constexpr std::string_view kDefaultInterval = "5s";

int show_once(const GlobalOptions& global, const Scraper& scraper) {
  ScrapeRound round = scraper.scrape();
  double now = static_cast<double>(promql::now_ms()) / 1000;
  if (!scraper.fleet()) {
    ShowReport report = build_show_report(round.scrape, round.info.source, now);
    if (global.quiet) return kExitOk;
    if (global.output == "json") {
      fmt::print("{}\n", show_report_json(report));
    } else {
      fmt::print("{}", render_show_text(report, round.info, Style(use_color(global, stdout))));
    }
    return kExitOk;
  }
  FleetReport report = build_fleet_report(round, now);
  if (!global.quiet) {
    if (global.output == "json") {
      fmt::print("{}\n", fleet_report_json(round, report));
    } else {
      fmt::print("{}", render_fleet_text(round, report, Style(use_color(global, stdout))));
    }
  }
  // Every target down is as bad as one target down; some down is a warning.
  if (round.failed == round.targets.size()) return kExitUnknown;
  return round.failed > 0 ? kExitWarning : kExitOk;
}

std::string schedule_text(int64_t interval_ms, int64_t window_ms) {
  return fmt::format("every {}, window {}", rules::format_duration(interval_ms),
                     rules::format_duration(window_ms));
}

int show_watch(const GlobalOptions& global, const ShowOptions& o, Scraper& scraper,
               const std::string& source) {
  int64_t interval_ms =
      parse_interval_ms(o.watch->empty() ? kDefaultInterval : *o.watch, "--watch");
  int64_t window_ms = parse_interval_ms(o.window, "--window");
  live::History history = live::History::for_watch(window_ms, interval_ms);
  // A path that cannot be written ends the watch now, not after an hour of recording.
  std::optional<live::RecordingFile> recording;
  if (!o.record.empty()) recording.emplace(o.record, o.force);
  scraper.cancel_when(live::stop_requested);  // Ctrl-C ends a slow scrape at once
  LiveTrail trail;
  bool json = global.output == "json";
  bool redraw = !json && isatty(STDOUT_FILENO);
  Style style(use_color(global, stdout));
  LiveHeader header{source, schedule_text(interval_ms, window_ms)};
  Scrape latest;
  bool any_scrape = false;
  live::watch({static_cast<double>(interval_ms) / 1000, o.count}, [&](std::size_t n) {
    int64_t now = promql::now_ms();
    live::RecordedRound recorded =
        live::record_round(history, now, [&] { return scraper.scrape_for_watch(); });
    if (recorded.interrupted) return;  // the last frame stays on the screen
    if (recorded.scrape) {
      latest = std::move(*recorded.scrape);
      any_scrape = true;
    }
    LiveFrame frame = live::evaluate_live(history, latest, window_ms);
    if (frame.time_ms == 0) frame.time_ms = now;
    frame.scrape_error = recorded.problem;
    trail.add(frame);
    if (global.quiet) return;
    if (json) {
      fmt::print("{}\n", live::live_frame_json(frame));
    } else {
      if (redraw) fmt::print("\033[H\033[2J");
      if (!redraw && n > 0) fmt::print("\n");
      fmt::print("{}", render_live_text(frame, trail, header, style));
    }
    std::fflush(stdout);
  });
  if (recording) recording->write(history);
  return any_scrape ? kExitOk : kExitUnknown;
}

// A recording, as the live view would have shown it at its end (sparklines across the whole
// recording), then the usual report of its last moment.
int show_replay(const GlobalOptions& global, const ShowOptions& o) {
  live::History history = live::read_replay(o.replay);
  int64_t window_ms = parse_interval_ms(o.window, "--window");
  std::set<int64_t> times;
  for (const auto& [labels, s] : history.series()) {
    for (const auto& p : s.points)
      times.insert(p.t_ms);
  }
  int64_t end = *times.rbegin();
  Scrape last = history.instant_view(end);
  LiveTrail trail;
  std::vector<int64_t> all(times.begin(), times.end());
  constexpr std::size_t kFrames = 40;
  LiveFrame frame;
  for (std::size_t k = all.size() > kFrames ? all.size() - kFrames : 0; k < all.size(); ++k) {
    frame = live::evaluate_live(history, last, window_ms, all[k]);
    frame.scrapes = k + 1;
    trail.add(frame);
  }
  ShowReport report = build_show_report(last, o.replay, static_cast<double>(end) / 1000);
  if (global.quiet) return kExitOk;
  if (global.output == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(show_report_json(report));
    j["live"] = nlohmann::ordered_json::parse(live::live_frame_json(frame));
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  Style style(use_color(global, stdout));
  LiveHeader header{o.replay,
                    fmt::format("recording, window {}", rules::format_duration(window_ms))};
  fmt::print("{}\n", render_live_text(frame, trail, header, style));
  FetchInfo info;
  info.source = o.replay;
  info.format = ExpositionFormat::openmetrics;
  std::error_code ignored;
  info.bytes = std::filesystem::file_size(o.replay, ignored);
  fmt::print("{}", render_show_text(report, info, style));
  return kExitOk;
}

int run_show(GlobalOptions& global, const ShowOptions& options) {
  require_output(global, {"text", "json"});
  if (!options.replay.empty()) return show_replay(global, options);
  std::unique_ptr<DemoExporter> demo;
  std::optional<std::string> url;
  if (options.demo) {
    demo = std::make_unique<DemoExporter>(DemoOptions{});
    url = demo->url();
  }
  Scraper scraper(global, url);
  if (!options.watch) {
    if (options.count || !options.record.empty() || options.force) {
      throw CLI::ValidationError("--count", "--count, --record and --force go with --watch");
    }
    return show_once(global, scraper);
  }
  return show_watch(global, options, scraper, scraper.name());
}

}  // namespace

void add_show_command(CLI::App& app, GlobalOptions& global, CommandList& commands) {
  auto options = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "The documented metrics, derived values, process metrics");
  cmd->add_flag("--demo", options->demo,
                "Start the built-in demo exporter on a loopback port and show it");
  cmd->add_option("--watch", options->watch,
                  "Scrape again every INTERVAL (default 5s) and redraw: jobs per minute, failure "
                  "ratio, CPU, memory trend, with sparklines")
      ->expected(0, 1)
      ->type_name("[INTERVAL]");
  cmd->add_option("--window", options->window, "The range of the live rates (with --watch)")
      ->capture_default_str();
  cmd->add_option("--count", options->count, "Stop after this many scrapes (with --watch)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--record", options->record,
                  "With --watch: write the recorded window to FILE (OpenMetrics) when it ends");
  cmd->add_flag("--force", options->force, "With --record: replace FILE if it exists");
  auto* replay = cmd->add_option("--replay", options->replay,
                                 "Show a recording made with --record instead of scraping")
                     ->check(CLI::ExistingFile);
  replay->excludes("--watch");
  replay->excludes("--demo");
  cmd->footer(
      "Examples:\n"
      "  e2e3d-metrics show\n"
      "  e2e3d-metrics show --url http://reconstruction-service:9101/metrics --output json\n"
      "  e2e3d-metrics show --file metrics.txt\n"
      "  e2e3d-metrics show --demo\n"
      "  e2e3d-metrics show --watch 10s --window 5m --record incident.om\n"
      "  e2e3d-metrics show --replay incident.om\n"
      "  e2e3d-metrics show --target http://a:9101/metrics --target http://b:9101/metrics\n"
      "  e2e3d-metrics show --targets-file targets.json\n"
      "With several targets, show exits 1 when some could not be scraped, 3 when none could.");
  commands.push_back({cmd, [&global, options] { return run_show(global, *options); }});
}

}  // namespace e2e3d::cli
