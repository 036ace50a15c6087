// prometheus.target: ask the Prometheus server itself (`/api/v1/targets`) whether it scrapes
// the service, and whether the last scrape worked; `up{job=...}` must agree. When the target
// is down, Prometheus's own lastError is quoted: it is the most precise diagnosis there is.
#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/containers_detail.hpp"
#include "doctor/duration.hpp"
#include "doctor/endpoint_match.hpp"
#include "e2e3d/prometheus_api.hpp"

namespace e2e3d::doctor {
namespace {

// The fetch options of the run (TLS, credentials, -H, --max-bytes), within what is left of it.
FetchOptions api_options(Context& context) {
  FetchOptions fetch = context.options().source.fetch;
  double left = std::max(0.05, context.seconds_left());
  fetch.timeout_seconds = std::min(fetch.timeout_seconds, left);
  fetch.connect_timeout_seconds = std::min(fetch.connect_timeout_seconds, left);
  return fetch;
}

struct Cause {
  std::string summary, detail, fix;
};

// host:port of a scrape URL ("http://reconstruction-service:9101/metrics").
std::pair<std::string, int> host_port_of(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find('/', start);
  std::string authority =
      url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  auto colon = authority.rfind(':');
  int port = 0;
  try {
    port = colon == std::string::npos ? 80 : std::stoi(authority.substr(colon + 1));
  } catch (...) {
  }
  std::string host = authority.substr(0, colon);
  if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
  return {host, port};
}

// With both containers known, the networks say why Prometheus cannot reach the service: they
// share none; the target's name is not one the service has on the shared network; or the
// target's port is the one published on the host, not the one the service listens on.
std::optional<Cause> network_cause(Context& context, const std::vector<PrometheusTarget>& targets) {
  const ContainerProbe& service = context.service_container();
  const ContainerProbe& prometheus = context.prometheus_container();
  if (!service.container || !prometheus.container || targets.empty()) return std::nullopt;
  const docker::Container& s = *service.container;
  const docker::Container& p = *prometheus.container;
  std::string sources = fmt::format("source: {} and {}", service.source(), prometheus.source());
  auto shared = shared_networks(s, p);
  const std::string* compose_service = s.label("com.docker.compose.service");
  std::string service_name = compose_service ? *compose_service : s.name;
  if (shared.empty()) {
    std::string network = p.networks.empty() ? std::string("its network") : p.networks.front().name;
    return Cause{
        fmt::format("containers {} and {} share no network", s.name, p.name),
        fmt::format("{}\n{} is on: {}\n{} is on: {}", sources, s.name, describe_networks(s), p.name,
                    describe_networks(p)),
        fmt::format("put the service on Prometheus's network: `docker network connect --alias {} "
                    "{} {}` now, and in the Compose file under services: {}: networks:, add `- "
                    "{}` (declared under networks: as external: true when another project "
                    "created it)",
                    service_name, network, s.name, service_name, network)};
  }
  uint16_t port = context.inside().port;
  for (const auto& t : targets) {
    auto [host, target_port] = host_port_of(t.scrape_url);
    std::vector<std::string> names;
    for (const auto& n : s.networks) {
      if (n.name != shared.front()) continue;
      names = names_on_network(s, n);
      if (!n.ip_address.empty()) names.push_back(n.ip_address);
    }
    if (std::find(names.begin(), names.end(), host) == names.end()) {
      std::string known;
      for (const auto& n : names)
        known += (known.empty() ? "" : ", ") + n;
      return Cause{
          fmt::format("the target's host {} is not a name of container {} on network {}", host,
                      s.name, shared.front()),
          fmt::format("{}\non network {}, Prometheus reaches {} as: {}", sources, shared.front(),
                      s.name, known),
          fmt::format("in prometheus.yml, write the target as `{}:{}`", service_name, port)};
    }
    if (target_port != port) {
      bool published = false;
      for (const auto& b : s.published)
        published |= b.host_port == target_port && b.container_port == port;
      return Cause{
          published ? fmt::format("the target's port {} is the one published on the host; in "
                                  "container {} the service listens on {}",
                                  target_port, s.name, port)
                    : fmt::format("the target's port {} is not the port {} the service listens "
                                  "on in container {}",
                                  target_port, port, s.name),
          fmt::format("{}\npublished on the host: {}", sources, describe_published(s, port)),
          fmt::format("in prometheus.yml, write the target as `{}:{}` and reload Prometheus", host,
                      port)};
    }
  }
  return std::nullopt;
}

}  // namespace

Result check_prometheus_target(Context& context) {
  const Options& options = context.options();
  std::string origin;
  std::string api_url = context.prometheus_api(&origin);
  if (api_url.empty()) {
    const ContainerProbe& prometheus = context.prometheus_container();
    std::string why = prometheus.container
                          ? fmt::format("container {} is not running", prometheus.container->name)
                          : prometheus.not_found;
    return skip("no Prometheus server given: pass --prometheus URL",
                why.empty() ? "" : "no running Prometheus container either: " + why);
  }
  PrometheusApi api(api_url, api_options(context));
  std::vector<PrometheusTarget> targets;
  try {
    targets = api.active_targets();
  } catch (const FetchError& e) {
    return fail(fmt::format("cannot ask Prometheus at {}", api.name()), e.what(),
                "pass the server's base URL, e.g. --prometheus http://localhost:9090");
  }
  // The diagnosed URL as an endpoint: a target of the job is only this service's when it is
  // the same server (host names, loopback aliases and resolved addresses compared).
  // Prometheus in a container names targets as its network sees them (a Compose service name,
  // the port inside the service's container): that case is network_cause's, below.
  std::optional<Endpoint> wanted;
  if (context.url() && !context.prometheus_container().container) {
    wanted = Endpoint{context.url()->host, context.url()->port};
  }
  auto scrapes_url = [&](const PrometheusTarget& t) {
    if (!wanted) return Sameness::same;
    auto e = endpoint_of_url(t.scrape_url);
    return e ? compare_endpoints(*e, *wanted) : Sameness::different;
  };
  std::vector<PrometheusTarget> mine, same, maybe, elsewhere;
  std::vector<std::string> pools, other_jobs;  // other jobs, and those of them scraping the URL
  for (auto& t : targets) {
    auto job_label = t.labels.find("job");
    std::string job = job_label != t.labels.end() ? job_label->second : t.scrape_pool;
    Sameness sameness = scrapes_url(t);
    if (job == options.job) {
      if (sameness == Sameness::same)
        same.push_back(t);
      else if (sameness == Sameness::unknown)
        maybe.push_back(t);
      else
        elsewhere.push_back(t);
      mine.push_back(std::move(t));
      continue;
    }
    if (std::find(pools.begin(), pools.end(), job) == pools.end()) pools.push_back(job);
    if (sameness == Sameness::same &&
        std::find(other_jobs.begin(), other_jobs.end(), job) == other_jobs.end()) {
      other_jobs.push_back(job);
    }
  }
  std::string where = wanted ? to_string(*wanted) : std::string();
  auto listed = [](const std::vector<PrometheusTarget>& list) {
    std::string out;
    for (const auto& t : list)
      out += (out.empty() ? "" : ", ") + redact_url(t.scrape_url);
    return out;
  };
  if (same.empty() && maybe.empty() && !other_jobs.empty()) {
    // Adding a job would scrape the service twice: the job that scrapes it is the one to check.
    std::string detail = fmt::format("job {} scrapes {}", other_jobs.front(), where);
    if (!mine.empty()) detail += fmt::format("\njob {} scrapes {}", options.job, listed(mine));
    return fail(fmt::format("Prometheus scrapes {} as job {}, not as job {}", where,
                            other_jobs.front(), options.job),
                detail,
                fmt::format("pass --job {} (the document's queries and dashboards use job {}: "
                            "rename the job in prometheus.yml to keep them working)",
                            other_jobs.front(), options.job));
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
  if (same.empty() && maybe.empty()) {
    return fail(fmt::format("job {} does not scrape {}: its target(s) are {}", options.job, where,
                            listed(mine)),
                fmt::format("{} target(s) of job {}, none of them {} (compared by port, host "
                            "name, loopback alias and resolved address)",
                            mine.size(), options.job, where),
                fmt::format("if {} is the service, write its target as '{}' in job {} of "
                            "prometheus.yml and reload Prometheus; if Prometheus scrapes the "
                            "right server, diagnose that one: --url {}",
                            where, where, options.job, redact_url(mine.front().scrape_url)));
  }
  std::string match_note;
  if (!maybe.empty()) {
    match_note = fmt::format("{}: the host name does not resolve here; taken as {} by its port",
                             listed(maybe), where);
  }
  if (!elsewhere.empty()) {
    match_note +=
        fmt::format("{}other target(s) of job {}, not {}: {}", match_note.empty() ? "" : "\n",
                    options.job, where, listed(elsewhere));
  }
  std::size_t job_targets = mine.size();
  mine = same;
  mine.insert(mine.end(), maybe.begin(), maybe.end());

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
    // Go's zero time (never scraped) reads as nullopt.
    auto last = docker::parse_timestamp(t.last_scrape);
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
    PrometheusApi up_api(api_url, api_options(context));
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
      // Only comparable when every target of the job is the diagnosed one.
      if (job_targets == mine.size() && static_cast<size_t>(ones) != up.size() + stale.size() &&
          unknown.empty()) {
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
  if (!match_note.empty()) add(match_note);
  std::string of_url = wanted ? fmt::format(" for {}", where) : std::string();
  if (origin != "--prometheus") add(fmt::format("asked Prometheus at {} ({})", api.name(), origin));
  if (!down.empty()) {
    if (auto cause = network_cause(context, mine)) {
      return fail(fmt::format("{} of {} target(s) of job {}{} are down: {}", down.size(),
                              mine.size(), options.job, of_url, cause->summary),
                  detail + "\n" + cause->detail, cause->fix);
    }
    return fail(fmt::format("{} of {} target(s) of job {}{} are down", down.size(), mine.size(),
                            options.job, of_url),
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
  return pass(fmt::format("{} target(s) of job {}{} are up{}", up.size(), options.job, of_url,
                          job_targets > mine.size()
                              ? fmt::format(" ({} of the job's {})", mine.size(), job_targets)
                              : std::string()),
              detail);
}

}  // namespace e2e3d::doctor
