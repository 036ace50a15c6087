// prometheus.config: `cat prometheus.yml | grep reconstruction`, done properly. The file is
// loaded as Prometheus 2.42 loads it (e2e3d/prometheus_config.hpp: the refusals of `promtool
// check config`, the defaults Prometheus applies), then the job that should scrape the service
// is compared with the URL being diagnosed: its targets' ports, metrics_path and scheme.
#include <set>

#include <fmt/format.h>

#include <filesystem>

#include "checks.hpp"
#include "doctor/containers_detail.hpp"
#include "doctor/duration.hpp"
#include "doctor/endpoint_match.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/prometheus_config.hpp"
#include "e2e3d/sys/bounded_file.hpp"

namespace e2e3d::doctor {
namespace {

using promconfig::Job;
using promconfig::Refusal;

std::string at(const std::string& file, Position position) {
  if (position.line == 0) return file;
  return fmt::format("{}:{}", file, position.line);
}

std::string seconds(int64_t milliseconds) {
  return format_duration(static_cast<double>(milliseconds) / 1000.0);
}

std::string job_yaml(const std::string& job, const std::string& target, const std::string& scheme,
                     const std::string& path) {
  std::string out = fmt::format("scrape_configs:\n  - job_name: '{}'\n    scrape_interval: {}\n",
                                job, catalog::kScrapeInterval);
  if (scheme != "http") out += fmt::format("    scheme: {}\n", scheme);
  if (path != catalog::kMetricsPath) out += fmt::format("    metrics_path: {}\n", path);
  out += fmt::format("    static_configs:\n      - targets: ['{}']", target);
  return out;
}

// The job the document writes, pointed at the URL being diagnosed where there is one.
std::string documented_job(Context& context) {
  const auto& url = context.url();
  std::string target = fmt::format("{}:{}", catalog::kServiceName, catalog::kPort);
  if (!url)
    return job_yaml(context.options().job, target, "http", std::string(catalog::kMetricsPath));
  Endpoint e{url->host, url->port};
  return job_yaml(context.options().job, to_string(e), url->scheme, url->path);
}

// A target written as a URL ("http://host:9101/metrics"): host:port, and the scheme and path
// the job needs to scrape the same URL.
std::string url_target_fix(const std::string& value) {
  std::string scheme = "http";
  std::string rest = value;
  if (auto p = rest.find("://"); p != std::string::npos) {
    scheme = rest.substr(0, p);
    rest = rest.substr(p + 3);
  }
  auto slash = rest.find('/');
  std::string address = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  std::string out = fmt::format("targets are host:port; write\n      - targets: ['{}']", address);
  if (scheme != "http") out += fmt::format("\nand set `scheme: {}` in the job", scheme);
  if (!path.empty() && path != catalog::kMetricsPath) {
    out += fmt::format("\nand set `metrics_path: {}` in the job", path);
  }
  return out;
}

Result refused(const std::string& path, const Refusal& refusal) {
  std::string place = at(refusal.file.empty() ? path : refusal.file, refusal.position);
  if (refusal.position.column > 0) place += fmt::format(":{}", refusal.position.column);
  std::string detail = fmt::format("{}: {}\npromtool check config says: FAILED: {}", place,
                                   refusal.message, refusal.promtool);
  if (!refusal.exact) {
    detail += "\n(found by doctor's own reader: promtool words this refusal differently)";
  }
  std::string fix;
  if (refusal.kind == "target") {
    fix = url_target_fix(refusal.value);
  } else if (refusal.kind == "timeout") {
    fix =
        "make scrape_timeout at most scrape_interval (or drop it: Prometheus then uses the "
        "global timeout, capped by the interval)";
  } else if (refusal.kind == "duration") {
    fix =
        "write durations as Prometheus does: a number and a unit, largest unit first "
        "(15s, 1m30s, 500ms)";
  } else if (refusal.kind == "label_name") {
    fix = "label names are [a-zA-Z_][a-zA-Z0-9_]*";
  } else if (refusal.kind == "yaml") {
    fix = "fix the YAML at that place (indentation is the usual cause)";
  } else if (refusal.kind == "read") {
    fix =
        "pass the path of the prometheus.yml Prometheus loads (docker cp "
        "e2e3d-prometheus:/etc/prometheus/prometheus.yml .)";
  } else {
    fix = "fix the configuration at that place";
  }
  if (refusal.kind != "read") {
    fix += fmt::format(
        "; `promtool check config {}` then prints SUCCESS, and Prometheus loads "
        "it at its next start or reload",
        path);
  }
  return fail(fmt::format("Prometheus refuses {}: {}", path, refusal.message), detail, fix);
}

// Where the service is, seen from Prometheus's container: the names it has on its networks and
// the port it listens on there (not the one published on the host).
struct ServiceInContainer {
  std::set<std::string> names;  // container name, aliases (the Compose service), addresses
  uint16_t port = 0;
  std::set<uint16_t> published;  // host ports
  std::string container;
};

std::optional<ServiceInContainer> service_in_container(Context& context) {
  const ContainerProbe& probe = context.service_container();
  if (!probe.container) return std::nullopt;
  ServiceInContainer out;
  const docker::Container& c = *probe.container;
  out.container = c.name;
  out.port = context.inside().port;
  for (const auto& n : c.networks) {
    for (auto& name : names_on_network(c, n))
      out.names.insert(name);
    if (!n.ip_address.empty()) out.names.insert(n.ip_address);
  }
  for (const auto& b : c.published) {
    if (b.container_port == out.port) out.published.insert(static_cast<uint16_t>(b.host_port));
  }
  return out;
}

// One problem of the job: where, what, and its own fix.
struct Finding {
  std::string where;
  std::string text;
  std::string fix;
  std::string line() const { return where.empty() ? text : where + ": " + text; }
};

// Jobs other than `name` with a target on the URL's endpoint (or, for a host name this machine
// cannot resolve, on its port).
std::vector<std::string> jobs_scraping_url(Context& context, const promconfig::Config& config,
                                           const std::string& name) {
  std::vector<std::string> out;
  const auto& url = context.url();
  std::optional<Endpoint> wanted;
  if (url) wanted = Endpoint{url->host, url->port};
  for (const auto& job : config.jobs) {
    if (job.name == name) continue;
    for (const auto& t : job.targets) {
      auto e = endpoint_of_target(t.address, job.scheme);
      if (!e) continue;
      bool match = wanted ? compare_endpoints(*e, *wanted) != Sameness::different
                          : e->port == catalog::kPort;
      if (match) {
        out.push_back(fmt::format("{} ({})", job.name, t.address));
        break;
      }
    }
  }
  return out;
}

Result judge_job(Context& context, const std::string& path, const std::string& source,
                 bool prometheus_in_container, const promconfig::Checked& checked, const Job& job) {
  const auto& url = context.url();
  auto service = service_in_container(context);
  std::set<uint16_t> ports{catalog::kPort};
  if (url) ports.insert(url->port);
  if (service) {
    ports.insert(service->port);
    ports.insert(service->published.begin(), service->published.end());
  }
  std::string ports_text;
  for (auto p : ports)
    ports_text += fmt::format("{}{}", ports_text.empty() ? "" : " or ", p);

  std::vector<Finding> failures, warnings;
  std::vector<std::string> good;
  for (const auto& t : job.targets) {
    auto e = endpoint_of_target(t.address, job.scheme);
    std::string where = at(t.file, t.position);
    if (!e) {
      failures.push_back({where, fmt::format("target `{}` is not host:port", t.address),
                          url_target_fix(t.address)});
      continue;
    }
    if (service && service->names.count(e->host) && e->port != service->port) {
      std::string corrected = to_string(Endpoint{e->host, service->port});
      failures.push_back(
          {where,
           service->published.count(e->port)
               ? fmt::format("target `{}` uses the port container {} is published on, on the "
                             "host ({}); on the container network it listens on {}: write `{}`",
                             t.address, service->container, e->port, service->port, corrected)
               : fmt::format("target `{}` uses port {}: in container {} the metrics server "
                             "listens on {}: write `{}`",
                             t.address, e->port, service->container, service->port, corrected),
           fmt::format("write the target as the container network sees it:\n      - targets: "
                       "['{}']",
                       corrected)});
      continue;
    }
    if (prometheus_in_container && (e->host == "localhost" || is_loopback_address(e->host))) {
      std::string corrected =
          fmt::format("{}:{}", catalog::kServiceName, service ? service->port : catalog::kPort);
      failures.push_back(
          {where,
           fmt::format("target `{}`: inside Prometheus's container, {} is Prometheus's own "
                       "container, not the service; write `{}`",
                       t.address, e->host, corrected),
           fmt::format("write the service's name on the container network:\n      - targets: "
                       "['{}']",
                       corrected)});
      continue;
    }
    if (!ports.count(e->port)) {
      std::string corrected = to_string(Endpoint{e->host, url ? url->port : catalog::kPort});
      bool written = t.address.find(':') != std::string::npos;
      failures.push_back(
          {where,
           written ? fmt::format("target `{}` uses port {}: the metrics server listens on {}",
                                 t.address, e->port, ports_text)
                   : fmt::format("target `{}` has no port: Prometheus uses {} for {}; the "
                                 "metrics server listens on {}",
                                 t.address, e->port, job.scheme, ports_text),
           fmt::format("write the target with the metrics port:\n      - targets: ['{}']",
                       corrected)});
      continue;
    }
    good.push_back(t.address);
  }
  if (job.targets.empty() && job.discovery.empty()) {
    if (job.file_sd.empty()) {
      failures.push_back({at(path, job.position), fmt::format("job {} has no targets", job.name),
                          "add the target:\n" + documented_job(context)});
    }
  }
  for (const auto& w : checked.config.warnings) {
    warnings.push_back({"", fmt::format("promtool warns: {}", w),
                        "create the file_sd file (Prometheus scrapes nothing of it until it "
                        "exists), or correct its path in files:"});
  }
  if (job.targets.empty() && !job.discovery.empty()) {
    warnings.push_back(
        {at(path, job.position),
         fmt::format("job {} finds its targets with {}: doctor cannot see which; "
                     "prometheus.target asks the live server",
                     job.name, job.discovery.front()),
         "pass --prometheus URL so that prometheus.target checks the targets Prometheus found"});
  }
  std::string expected_path = url ? url->path : std::string(catalog::kMetricsPath);
  if (job.metrics_path != expected_path) {
    failures.push_back(
        {at(path, job.metrics_path_position.value_or(job.position)),
         fmt::format("metrics_path {} but the metrics are at {}", job.metrics_path, expected_path),
         fmt::format("set `metrics_path: {}` in job {}", expected_path, job.name)});
  }
  std::string want_scheme = url ? url->scheme : "http";
  if (job.scheme != want_scheme) {
    failures.push_back(
        {at(path, job.scheme_position.value_or(job.position)),
         fmt::format("scheme {} but the metrics server speaks {}", job.scheme, want_scheme),
         fmt::format("set `scheme: {}` in job {}", want_scheme, job.name)});
  }
  if (job.scrape_interval_ms > 120'000) {
    warnings.push_back(
        {at(path, job.position),
         fmt::format("scrape_interval {} is long: series go stale after 5m without a sample, so "
                     "queries and alerts see gaps; the document uses {}",
                     seconds(job.scrape_interval_ms), catalog::kScrapeInterval),
         fmt::format("set `scrape_interval: {}` in job {}", catalog::kScrapeInterval, job.name)});
  }

  std::string targets_text;
  for (const auto& t : good)
    targets_text += (targets_text.empty() ? "" : ", ") + t;
  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& f : failures)
    add(f.line());
  for (const auto& w : warnings)
    add(w.line());
  add("source: " + source);
  add(fmt::format("job {} ({}): interval {}{}, timeout {}{}, targets: {}", job.name,
                  at(path, job.position), seconds(job.scrape_interval_ms),
                  job.interval_set ? "" : " (global)", seconds(job.scrape_timeout_ms),
                  job.timeout_set ? "" : " (default: the global timeout, capped by the interval)",
                  targets_text.empty() ? "none usable" : targets_text));
  for (const auto& n : checked.config.not_checked)
    add(fmt::format("not validated by doctor as Prometheus would: {}", n));
  if (!failures.empty()) return fail(failures.front().text, detail, failures.front().fix);
  if (!warnings.empty()) return warn(warnings.front().text, detail, warnings.front().fix);
  return pass(fmt::format("job {} scrapes {} every {} (timeout {})", job.name,
                          targets_text.empty() ? "discovered targets" : targets_text,
                          seconds(job.scrape_interval_ms), seconds(job.scrape_timeout_ms)),
              detail);
}

}  // namespace

Result check_prometheus_config(Context& context) {
  const Options& options = context.options();
  // The file given, else the one Prometheus's container loads (read through the Docker API).
  std::string path, text, source, directory;
  bool in_container = false;
  if (options.prometheus_config) {
    path = *options.prometheus_config;
    try {
      text = sys::read_bounded_file(path, {"the Prometheus configuration", sys::kMaxConfigBytes});
    } catch (const Error& e) {
      return fail(fmt::format("{} cannot be read", path), e.what(),
                  "pass the path of the prometheus.yml Prometheus loads (docker cp "
                  "e2e3d-prometheus:/etc/prometheus/prometheus.yml .)");
    }
    source = path + " (--prometheus-config)";
    directory = std::filesystem::path(path).parent_path().string();
  } else if (const ContainerProbe& prometheus = context.prometheus_container();
             prometheus.container) {
    const PrometheusFileProbe& file = context.prometheus_file();
    const std::string& name = prometheus.container->name;
    if (!file.text) {
      return fail(fmt::format("the configuration of container {} cannot be read", name),
                  fmt::format("{} (found: {})", file.error, prometheus.found_by),
                  "pass a copy with --prometheus-config FILE (docker cp " + name + ":" + file.path +
                      " prometheus.yml)");
    }
    path = fmt::format("{}:{}", name, file.path);
    text = *file.text;
    source = fmt::format("{} in container {}, its --config.file ({}; {}; found: {})", file.path,
                         name, file.how, prometheus.source(), prometheus.found_by);
    in_container = true;
  } else {
    std::string why = prometheus.not_found.empty() ? prometheus.error : prometheus.not_found;
    return skip("no Prometheus configuration given: pass --prometheus-config FILE",
                why.empty() ? "" : "no Prometheus container either: " + why);
  }
  // The files a container's configuration names are in the container, not here.
  auto checked = promconfig::check_config(text, path, directory, !in_container);
  if (checked.refusal) return refused(path, *checked.refusal);

  const Job* job = checked.job(options.job);
  if (!job) {
    std::string jobs;
    for (const auto& j : checked.config.jobs)
      jobs += (jobs.empty() ? "" : ", ") + j.name;
    auto others = jobs_scraping_url(context, checked.config, options.job);
    if (!others.empty()) {
      std::string other = others.front().substr(0, others.front().find(" ("));
      return fail(
          fmt::format("no job named {}; job {} scrapes the service", options.job, others.front()),
          fmt::format("jobs in {}: {}", path, jobs),
          fmt::format("pass --job {} to check that job, or rename it to {} (the name the "
                      "document's queries and dashboards use)",
                      other, options.job));
    }
    return fail(fmt::format("no job named {} in {}: Prometheus does not scrape the service",
                            options.job, path),
                fmt::format("jobs in {}: {}", path, jobs.empty() ? "none" : jobs),
                "add the job under scrape_configs:\n" + documented_job(context));
  }
  return judge_job(context, path, source, in_container, checked, *job);
}

}  // namespace e2e3d::doctor
