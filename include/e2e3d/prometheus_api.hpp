#pragma once
// The Prometheus HTTP API (Prometheus 2.42, and what speaks it: Thanos, Mimir, VictoriaMetrics):
// instant queries and the active targets. The one client of every command that asks a server:
// `query --prometheus`, `--from-prometheus`, doctor's prometheus.target. Built on api_get, so
// every fetch option applies to it (http_api.hpp), and every answer is read with checked
// access (json_fields.hpp): a malformed answer is a FetchError(not_api), never a crash.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "e2e3d/fetch.hpp"
#include "e2e3d/json_fields.hpp"

namespace e2e3d {

// What one call answered, in the API's envelope.
struct PrometheusAnswer {
  std::string body;  // as the server sent it (query --output json prints it unchanged)
  long http_status = 0;
  bool success = false;    // "status": "success"
  json_fields::Json data;  // success: the "data" member (null when absent)
  std::string error_type;  // otherwise: "bad_data", "execution", "timeout", ...
  std::string error;       // otherwise: the server's message, one line
};

// One entry of /api/v1/targets' activeTargets.
struct PrometheusTarget {
  std::string scrape_pool;
  std::string scrape_url;  // may carry the target's credentials: print redact_url(scrape_url)
  std::map<std::string, std::string> labels;  // the target's labels (job, instance, ...)
  std::string health;                         // "up", "down", "unknown"
  std::string last_error;
  std::string last_scrape;                     // RFC 3339, "" when not given
  std::optional<double> last_scrape_duration;  // seconds
  std::string scrape_interval;                 // "15s"
};

// Reading what a server answered, apart from asking it (PrometheusApi does both; tests and the
// fuzz targets call these alone). Both throw FetchError(not_api) whose message is only the
// reason ("it is not JSON: at line 1, column 1: ..."); PrometheusApi adds the URL and the fix.
PrometheusAnswer decode_prometheus_answer(std::string body, long http_status);
std::vector<PrometheusTarget> decode_active_targets(const PrometheusAnswer& answer);

class PrometheusApi {
 public:
  // `server`: the server's base URL (http://prometheus:9090, with its path prefix if it runs
  // under one; http:// when no scheme is given; a trailing /api/v1/query is dropped).
  // `options` apply to every request (their url is replaced); `url_option` names the flag that
  // gave the server, for the fixes messages suggest.
  PrometheusApi(std::string_view server, FetchOptions options,
                std::string url_option = "--prometheus");

  // The base URL without credentials, for messages.
  const std::string& name() const { return name_; }

  // GET /api/v1/query?query=EXPR[&time=T]. An error answer of the API (bad_data, execution)
  // is returned with success false. Throws FetchError when the server cannot be asked or does
  // not answer the API's JSON.
  PrometheusAnswer query(std::string_view expr, std::optional<double> time_seconds) const;

  // GET /api/v1/targets?state=active, decoded. Throws FetchError as query() does, and
  // FetchError(not_api) for an error answer or an entry without scrapeUrl and labels.
  std::vector<PrometheusTarget> active_targets() const;

  // GET base + `path` + the encoded `params`. Throws as query() does.
  PrometheusAnswer get(std::string_view path,
                       const std::vector<std::pair<std::string, std::string>>& params) const;

 private:
  std::string base_;  // with credentials, if given: only libcurl sees it
  std::string name_;
  FetchOptions options_;
};

}  // namespace e2e3d
