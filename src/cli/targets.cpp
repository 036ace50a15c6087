#include "cli/targets.hpp"

#include <fmt/format.h>

namespace e2e3d::cli {

bool names_fleet(const GlobalOptions& o) {
  return !o.targets.empty() || !o.targets_file.empty() || !o.from_prometheus.empty();
}

std::string fleet_option(const GlobalOptions& o) {
  if (!o.from_prometheus.empty()) return "a target of --from-prometheus";
  if (!o.targets_file.empty()) return "a target of --targets-file";
  return "--target";
}

void require_single_target(const GlobalOptions& o, std::string_view command) {
  if (!names_fleet(o)) return;
  throw CLI::ValidationError(
      "--target",
      fmt::format("{} looks at one target; --target, --targets-file and --from-prometheus are "
                  "for show, query and doctor (use --url for {})",
                  command, command));
}

Scraper::Scraper(const GlobalOptions& o, std::optional<std::string> url)
    : source_(scrape_source(o)) {
  if (url) {
    source_.file.reset();
    source_.fetch.url = *url;
  }
  if (!names_fleet(o)) return;
  fleet_.fetch = source_.fetch;
  fleet_.fetch.url_option = fleet_option(o);
  fleet_.parallelism = o.parallel;
  if (!o.from_prometheus.empty()) {
    targets_ = discover_targets(o.from_prometheus, o.job, source_.fetch);
    return;
  }
  for (const auto& u : o.targets)
    targets_.push_back(target_from_url(u, o.job));
  if (!o.targets_file.empty()) {
    auto from_file = read_targets_file(o.targets_file, o.job);
    targets_.insert(targets_.end(), from_file.begin(), from_file.end());
  }
  make_labels_distinct(targets_);  // --target beside a targets file may share a host:port
}

std::string instance_of(const FleetTarget& target) {
  auto it = target.labels.find("instance");
  return it == target.labels.end() ? redact_url(target.url) : it->second;
}

std::string Scraper::name() const {
  if (!targets_.empty()) return fmt::format("{} targets", targets_.size());
  if (source_.file) return *source_.file;
  return redact_url(source_.fetch.url);
}

ScrapeRound Scraper::scrape() const {
  ScrapeRound round;
  if (targets_.empty()) {
    round.scrape = load_scrape(source_, &round.info);
    return round;
  }
  round.targets = scrape_fleet(targets_, fleet_);
  for (const auto& t : round.targets) {
    if (!t.scrape) ++round.failed;
  }
  round.scrape = merge_fleet(round.targets);
  return round;
}

void Scraper::cancel_when(const std::function<bool()>& cancelled) {
  source_.fetch.cancelled = cancelled;
  fleet_.fetch.cancelled = cancelled;
}

live::RoundScrape Scraper::scrape_for_watch() const {
  ScrapeRound round = scrape();
  return {std::move(round.scrape), std::max<std::size_t>(1, round.targets.size()), round.failed};
}

}  // namespace e2e3d::cli
