// The Prometheus HTTP API client: URLs, the envelope, and the /api/v1/targets decoder.

#include "e2e3d/prometheus_api.hpp"

#include <fmt/format.h>

#include "e2e3d/http_api.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d {
namespace {

using json_fields::Json;

std::string base_url(std::string_view server) {
  std::string base = server.find("://") == std::string_view::npos ? fmt::format("http://{}", server)
                                                                  : std::string(server);
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  // A URL copied from a query (.../api/v1/query) names the same server.
  for (std::string_view tail : {"/api/v1/query", "/api/v1/targets", "/api/v1"}) {
    if (base.ends_with(tail)) {
      base.resize(base.size() - tail.size());
      break;
    }
  }
  return base;
}

FetchError not_api(const std::string& url, std::string_view why, std::string_view url_option) {
  return FetchError(FetchFailure::not_api,
                    fmt::format("cannot use the answer of {}: {}; point {} at a Prometheus "
                                "server (http://HOST:9090)",
                                redact_url(url), why, url_option));
}

}  // namespace

PrometheusApi::PrometheusApi(std::string_view server, FetchOptions options, std::string url_option)
    : base_(base_url(server)), name_(redact_url(base_)), options_(std::move(options)) {
  options_.url_option = std::move(url_option);
}

PrometheusAnswer decode_prometheus_answer(std::string body, long http_status) {
  auto reason = [](std::string_view why) {
    return FetchError(FetchFailure::not_api, std::string(why));
  };
  Json envelope;
  try {
    envelope = json_fields::parse_untrusted(body, "it", ErrorKind::fetch);
  } catch (const Error& e) {
    throw reason(e.what());
  }
  auto status = json_fields::string_member(envelope, "status");
  if (!status) {
    throw reason(http_status / 100 == 2
                     ? std::string("it is JSON without the API's \"status\"")
                     : fmt::format("HTTP {} with JSON without the API's \"status\"", http_status));
  }
  PrometheusAnswer answer;
  answer.http_status = http_status;
  answer.success = *status == "success";
  if (answer.success) {
    if (auto it = envelope.find("data"); it != envelope.end()) answer.data = std::move(*it);
  } else {
    answer.error_type = json_fields::string_member(envelope, "errorType").value_or("");
    answer.error = fetch_detail::one_line(
        json_fields::string_member(envelope, "error").value_or("(no message)"), 1000);
  }
  answer.body = std::move(body);
  return answer;
}

std::vector<PrometheusTarget> decode_active_targets(const PrometheusAnswer& answer) {
  if (!answer.success) {
    throw FetchError(FetchFailure::not_api,
                     fmt::format("it answered with an error: {}", answer.error));
  }
  const Json* active = json_fields::array_member(answer.data, "activeTargets");
  if (!active) throw FetchError(FetchFailure::not_api, "it is JSON without data.activeTargets");

  std::vector<PrometheusTarget> targets;
  targets.reserve(active->size());
  for (const Json& entry : *active) {
    auto scrape_url = json_fields::string_member(entry, "scrapeUrl");
    const Json* labels = json_fields::object_member(entry, "labels");
    if (!scrape_url || !labels) {
      throw FetchError(FetchFailure::not_api,
                       "it lists an active target without scrapeUrl and labels");
    }
    PrometheusTarget target;
    target.scrape_url = std::move(*scrape_url);
    for (const auto& [name, value] : labels->items()) {
      if (value.is_string()) target.labels[name] = value.get<std::string>();
    }
    target.scrape_pool = json_fields::string_member(entry, "scrapePool").value_or("");
    target.health = json_fields::string_member(entry, "health").value_or("unknown");
    target.last_error = json_fields::string_member(entry, "lastError").value_or("");
    target.last_scrape = json_fields::string_member(entry, "lastScrape").value_or("");
    target.last_scrape_duration = json_fields::number_member(entry, "lastScrapeDuration");
    target.scrape_interval = json_fields::string_member(entry, "scrapeInterval").value_or("");
    targets.push_back(std::move(target));
  }
  return targets;
}

PrometheusAnswer PrometheusApi::get(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& params) const {
  FetchOptions options = options_;
  options.url = base_ + std::string(path);
  char separator = '?';
  for (const auto& [key, value] : params) {
    options.url += fmt::format("{}{}={}", separator, url_encode(key), url_encode(value));
    separator = '&';
  }
  ApiResponse response = api_get(options);
  try {
    return decode_prometheus_answer(std::move(response.body), response.info.http_status);
  } catch (const FetchError& e) {
    throw not_api(options.url, e.what(), options_.url_option);
  }
}

PrometheusAnswer PrometheusApi::query(std::string_view expr,
                                      std::optional<double> time_seconds) const {
  std::vector<std::pair<std::string, std::string>> params{{"query", std::string(expr)}};
  if (time_seconds) params.emplace_back("time", fmt::format("{}", *time_seconds));
  return get("/api/v1/query", params);
}

std::vector<PrometheusTarget> PrometheusApi::active_targets() const {
  PrometheusAnswer answer = get("/api/v1/targets", {{"state", "active"}});
  try {
    return decode_active_targets(answer);
  } catch (const FetchError& e) {
    throw not_api(base_ + "/api/v1/targets?state=active", e.what(), options_.url_option);
  }
}

}  // namespace e2e3d
