#pragma once
// Which targets the options name, one (--url, --file, show --demo) or a fleet (--target,
// --targets-file, --from-prometheus), and scraping them, one round at a time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/global_options.hpp"
#include "e2e3d/fleet.hpp"
#include "e2e3d/live/watch.hpp"

namespace e2e3d::cli {

bool names_fleet(const GlobalOptions& options);

// The option a fleet's targets came from, for messages: --from-prometheus, --targets-file or
// --target.
std::string fleet_option(const GlobalOptions& options);

// For the commands that look at one target: a usage error when fleet options are given.
void require_single_target(const GlobalOptions& options, std::string_view command);

// What one round of scraping gave.
struct ScrapeRound {
  Scrape scrape;                      // the target's, or the whole fleet's (merge_fleet)
  FetchInfo info;                     // one target: how the fetch went
  std::vector<TargetScrape> targets;  // a fleet: every target's own outcome, in order
  std::size_t failed = 0;             // a fleet: targets that could not be scraped
};

// A target's `instance` label (host:port), or its URL when it has none.
std::string instance_of(const FleetTarget& target);

class Scraper {
 public:
  // `url` replaces --url (show --demo). A fleet's targets are resolved here, once: read from
  // --targets-file or discovered with --from-prometheus. Throws for unusable target options.
  Scraper(const GlobalOptions& options, std::optional<std::string> url = std::nullopt);

  bool fleet() const { return !targets_.empty(); }
  const std::vector<FleetTarget>& targets() const { return targets_; }
  // What is scraped, for headings: the URL (credentials removed), the file, or "N targets".
  std::string name() const;

  // One target: throws FetchError or ParseError when it cannot be scraped. A fleet never
  // throws for its targets' failures: their entries say why.
  ScrapeRound scrape() const;
  // scrape(), as a watch records it.
  live::RoundScrape scrape_for_watch() const;
  // Every transfer ends at once when `cancelled` says so (a watch's Ctrl-C).
  void cancel_when(const std::function<bool()>& cancelled);

 private:
  ScrapeSource source_;
  std::vector<FleetTarget> targets_;
  FleetOptions fleet_;
};

}  // namespace e2e3d::cli
