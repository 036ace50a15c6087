#pragma once
// Many targets at once: where they come from (--target, --targets-file, --from-prometheus),
// scraping them concurrently, and one scrape of the whole fleet labelled as Prometheus labels
// what it scrapes, so `sum by (instance) (...)` and the documented queries work across it.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/fetch.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d {

// One scrape target. `labels` are the target labels Prometheus would attach to every series:
// at least `instance` (host:port, as Prometheus derives it from __address__) and `job`, plus
// any labels a file_sd group or a Prometheus server's target carries (never `__`-prefixed).
struct FleetTarget {
  std::string url;  // may carry user:password@; print redact_url(url), never this
  std::map<std::string, std::string> labels;
};

// A target for a URL given on the command line. A URL without a scheme is taken as http://,
// without a path as /metrics. Throws FetchError(bad_url).
FleetTarget target_from_url(std::string_view url, std::string_view job);

// --targets-file: either one URL per line (blank lines and `#` comments allowed), or Prometheus
// file_sd JSON or YAML (a list of {targets: [host:port...], labels: {...}}; `__scheme__` and
// `__metrics_path__` labels are honoured). Errors name the file, line:column and the fix.
// Throws Error(ErrorKind::config) for an unreadable or malformed file, for a file that lists no
// target, and for a target URL listed twice (it would be counted twice in the fleet's totals).
// file_sd is labelled as Prometheus 2.42 labels it: the scheme's port added to an address
// without one, `job` and `instance` from the group's labels when it sets them, `__param_*`
// labels sent as query parameters, other `__` labels dropped.
std::vector<FleetTarget> read_targets_file(const std::string& path, std::string_view job);

// Two targets with the same labels (one host:port serving two paths: both get that
// instance="host:port") would have their series merged into one, or refused as duplicates by
// every operation over them. Each target of such a group gets its URL as its instance label
// instead ("host:port/path", with the scheme when only the scheme tells them apart).
// read_targets_file and discover_targets return targets made distinct this way.
void make_labels_distinct(std::vector<FleetTarget>& targets);

// --from-prometheus: the active targets of `job` on a Prometheus server (/api/v1/targets),
// with the labels Prometheus gave them. Throws FetchError when the server cannot be asked, and
// Error(ErrorKind::config) when the job has no active target (naming the jobs it does have).
std::vector<FleetTarget> discover_targets(const std::string& prometheus_url, std::string_view job,
                                          const FetchOptions& http);

// What scraping one target gave: a scrape, or the one-line reason it failed.
struct TargetScrape {
  FleetTarget target;
  std::optional<Scrape> scrape;
  FetchInfo info;
  std::optional<std::string> error;  // one line; set exactly when scrape is not
  ErrorKind error_kind = ErrorKind::fetch;
  double seconds = 0;  // wall time of this target's fetch and parse
};

struct FleetOptions {
  // Applied to every target; its url is replaced by each target's. Its max_bytes bounds each
  // target's body and also all the bodies of one scrape_fleet together.
  FetchOptions fetch;
  std::size_t parallelism = 256;  // transfers in flight at once
};

// Scrapes every target concurrently (libcurl multi, at most `parallelism` at once), each body
// parsed as it arrives. Never throws for one target's failure: that target's entry says why.
// Options that cannot work for any target (parallelism 0, a timeout <= 0, an unreadable token
// or CA file) throw FetchError(bad_option or file) once.
// The result is in the order of `targets`.
std::vector<TargetScrape> scrape_fleet(const std::vector<FleetTarget>& targets,
                                       const FleetOptions& options);

// One scrape holding every successful target's series with its target labels added, as
// Prometheus's scrape does with honor_labels: false (an exposed label that clashes with a target
// label is kept as exported_<name>), plus an `up` gauge per target (1 scraped, 0 failed) and,
// as Prometheus records them too, scrape_duration_seconds and scrape_samples_scraped.
Scrape merge_fleet(const std::vector<TargetScrape>& scrapes);

}  // namespace e2e3d
