// prometheus.target: ask the Prometheus server itself (`/api/v1/targets`) whether it scrapes
// the service, and whether the last scrape worked; `up{job=...}` must agree. When the target
// is down, Prometheus's own lastError is quoted: it is the most precise diagnosis there is.
#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/duration.hpp"
#include "e2e3d/prometheus_api.hpp"

namespace e2e3d::doctor {
namespace {

// RFC 3339 as Prometheus writes it ("2024-05-01T10:00:00.123456789Z", "...+02:00").
std::optional<double> parse_rfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
             &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  if (tm.tm_year < 1971) return std::nullopt;  // "0001-01-01T00:00:00Z": never scraped
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double seconds = static_cast<double>(timegm(&tm));
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    double scale = 0.1;
    for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      seconds += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int h = 0, m = 0;
    if (sscanf(text.c_str() + i + 1, "%2d:%2d", &h, &m) == 2) {
      double offset = h * 3600.0 + m * 60.0;
      seconds += text[i] == '+' ? -offset : offset;
    }
  }
  return seconds;
}

// The fetch options of the run (TLS, credentials, -H, --max-bytes), within what is left of it.
FetchOptions api_options(Context& context) {
  FetchOptions fetch = context.options().source.fetch;
  double left = std::max(0.05, context.seconds_left());
  fetch.timeout_seconds = std::min(fetch.timeout_seconds, left);
  fetch.connect_timeout_seconds = std::min(fetch.connect_timeout_seconds, left);
  return fetch;
}

}  // namespace

Result check_prometheus_target(Context& context) {
  const Options& options = context.options();
  if (!options.prometheus_url) {
    return skip("no Prometheus server given: pass --prometheus URL");
  }
  PrometheusApi api(*options.prometheus_url, api_options(context));
  std::vector<PrometheusTarget> targets;
  try {
    targets = api.active_targets();
  } catch (const FetchError& e) {
    return fail(fmt::format("cannot ask Prometheus at {}", api.name()), e.what(),
                "pass the server's base URL, e.g. --prometheus http://localhost:9090");
  }
  std::vector<PrometheusTarget> mine;
  std::vector<std::string> pools;
  for (auto& t : targets) {
    auto job_label = t.labels.find("job");
    std::string job = job_label != t.labels.end() ? job_label->second : t.scrape_pool;
    if (job == options.job)
      mine.push_back(std::move(t));
    else if (std::find(pools.begin(), pools.end(), job) == pools.end())
      pools.push_back(job);
  }
  if (mine.empty()) {
    std::string jobs;
    for (const auto& p : pools)
      jobs += (jobs.empty() ? "" : ", ") + p;
    return fail(fmt::format("Prometheus has no target for job {}", options.job),
                fmt::format("jobs Prometheus scrapes: {}", jobs.empty() ? "none" : jobs),
                fmt::format("add the job to prometheus.yml (see prometheus.config) and reload "
                            "Prometheus (SIGHUP or POST /-/reload); or pass --job NAME"));
  }

  double now = context.now_unix_seconds();
  std::vector<std::string> down, stale, unknown, up;
  for (const auto& t : mine) {
    std::string url = redact_url(t.scrape_url);
    if (t.health == "down") {
      down.push_back(fmt::format("{}: down, lastError: \"{}\"", url, redact_urls_in(t.last_error)));
      continue;
    }
    if (t.health != "up") {
      unknown.push_back(fmt::format("{}: not scraped yet", url));
      continue;
    }
    auto last = parse_rfc3339(t.last_scrape);
    auto interval = parse_prometheus_duration(t.scrape_interval);
    if (last && interval && now - *last > options.stale_scrape_intervals * *interval) {
      stale.push_back(fmt::format("{}: last scrape {:.0f} s ago, interval {}", url, now - *last,
                                  t.scrape_interval));
      continue;
    }
    up.push_back(fmt::format("{}: up, last scrape {:.1f} s ago in {:.0f} ms", url,
                             last ? now - *last : 0.0, t.last_scrape_duration.value_or(0) * 1000));
  }

  // up{job=...} from the query API must tell the same story.
  std::string query = fmt::format("up{{job=\"{}\"}}", options.job);
  std::string agreement;
  try {
    PrometheusApi up_api(*options.prometheus_url, api_options(context));
    PrometheusAnswer answer = up_api.query(query, std::nullopt);
    const json_fields::Json* result =
        answer.success ? json_fields::array_member(answer.data, "result") : nullptr;
    if (!answer.success) {
      agreement = fmt::format("{} could not be queried: {}", query, answer.error);
    } else if (!result) {
      agreement = fmt::format("{} could not be queried: the answer has no result list", query);
    } else {
      int ones = 0, zeros = 0;
      for (const auto& r : *result) {
        const json_fields::Json* value = json_fields::array_member(r, "value");
        auto text = json_fields::as_string(value ? json_fields::element(*value, 1) : nullptr);
        (text == "1" ? ones : zeros)++;
      }
      agreement = fmt::format("{}: {} series at 1, {} at 0", query, ones, zeros);
      if (static_cast<size_t>(ones) != up.size() + stale.size() && unknown.empty()) {
        agreement +=
            " (disagrees with the targets page: a scrape just happened, or series of "
            "another server are mixed in)";
      }
    }
  } catch (const FetchError& e) {
    agreement = fmt::format("{} could not be queried: {}", query, e.what());
  }

  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& l : down)
    add(l);
  for (const auto& l : stale)
    add(l);
  for (const auto& l : unknown)
    add(l);
  for (const auto& l : up)
    add(l);
  add(agreement);
  if (!down.empty()) {
    return fail(
        fmt::format("{} of {} target(s) of job {} are down", down.size(), mine.size(), options.job),
        detail,
        "Prometheus's lastError says why: connection refused -> the service or its "
        "metrics server is not running (see env.enable_metrics); no such host -> the "
        "target's name does not resolve in Prometheus's network; 404 -> wrong "
        "metrics_path");
  }
  if (!stale.empty()) {
    return warn(fmt::format("the last scrape of job {} is old", options.job), detail,
                "Prometheus is overloaded or its scrape loop is stuck: check its logs "
                "(docker logs e2e3d-prometheus)");
  }
  if (!unknown.empty()) {
    return warn(fmt::format("job {} has not been scraped yet", options.job), detail,
                "wait one scrape interval and run doctor again");
  }
  return pass(fmt::format("{} target(s) of job {} are up", up.size(), options.job), detail);
}

}  // namespace e2e3d::doctor
