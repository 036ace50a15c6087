#include "cli/global_options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "cli/numeric_options.hpp"
#include "e2e3d/catalog.hpp"

namespace e2e3d::cli {

void add_global_options(CLI::App& app, GlobalOptions& o) {
  o.url = std::string(catalog::kDefaultUrl);
  auto* url = app.add_option("--url", o.url, "Metrics endpoint to scrape")
                  ->envname("E2E3D_METRICS_URL")
                  ->capture_default_str()
                  ->group("Target");
  auto* file = app.add_option("--file", o.file, "Read the exposition from a file ('-': stdin)")
                   ->envname("E2E3D_METRICS_FILE")
                   ->group("Target");
  url->excludes(file);
  app.add_option("--timeout", o.timeout_seconds, "Total time allowed for the fetch, in seconds")
      ->envname("E2E3D_METRICS_TIMEOUT")
      ->capture_default_str()
      ->check(number_between(0.001, 86400, "a number of seconds"))
      ->group("Target");
  app.add_option("--connect-timeout", o.connect_timeout_seconds,
                 "Time allowed to connect, in seconds")
      ->envname("E2E3D_METRICS_CONNECT_TIMEOUT")
      ->capture_default_str()
      ->check(number_between(0.001, 86400, "a number of seconds"))
      ->group("Target");
  // allow_extra_args(false): one value per occurrence, so `query -H 'A: b' EXPR` leaves EXPR
  // to the command.
  app.add_option("-H,--header", o.headers, "Extra HTTP header 'Name: value' (repeatable)")
      ->allow_extra_args(false)
      ->envname("E2E3D_METRICS_HEADER")
      ->group("Target");
  app.add_option("--bearer-token-file", o.bearer_token_file,
                 "Send the token in this file as 'Authorization: Bearer'")
      ->envname("E2E3D_METRICS_BEARER_TOKEN_FILE")
      ->check(CLI::ExistingFile)
      ->group("Target");
  app.add_option("--user", o.user, "Basic auth credentials USER:PASSWORD")
      ->envname("E2E3D_METRICS_USER")
      ->group("Target");
  app.add_option("--cacert", o.cacert, "CA bundle to verify the server's certificate")
      ->envname("E2E3D_METRICS_CACERT")
      ->check(CLI::ExistingFile)
      ->group("Target");
  app.add_flag("--insecure", o.insecure, "Do not verify TLS certificates (testing only)")
      ->envname("E2E3D_METRICS_INSECURE")
      ->group("Target");
  app.add_option("--max-bytes", o.max_bytes,
                 "Largest body accepted, in bytes (for a fleet: all targets' bodies together)")
      ->envname("E2E3D_METRICS_MAX_BYTES")
      ->capture_default_str()
      ->check(whole_number_between(1, std::numeric_limits<uint64_t>::max(), "a number of bytes"))
      ->group("Target");
  auto* target = app.add_option("--target", o.targets,
                                "A target URL: repeat for several targets (show, query, "
                                "doctor), each labelled instance and job as Prometheus does")
                     ->allow_extra_args(false)
                     ->group("Targets");
  auto* targets_file =
      app.add_option("--targets-file", o.targets_file,
                     "Targets from a file: one URL per line, or Prometheus file_sd JSON/YAML")
          ->envname("E2E3D_METRICS_TARGETS_FILE")
          ->check(CLI::ExistingFile)
          ->group("Targets");
  auto* from_prometheus =
      app.add_option("--from-prometheus", o.from_prometheus,
                     "Discover the targets of --job from this Prometheus server's "
                     "/api/v1/targets, then scrape them directly")
          ->envname("E2E3D_METRICS_FROM_PROMETHEUS")
          ->group("Targets");
  o.job = std::string(catalog::kScrapeJob);
  app.add_option("--job", o.job,
                 "The service's scrape job: the targets' job label, the job --from-prometheus "
                 "discovers, the job doctor looks for in Prometheus")
      ->envname("E2E3D_METRICS_JOB")
      ->capture_default_str()
      ->group("Targets");
  app.add_option("--parallel", o.parallel, "Targets scraped at once")
      ->envname("E2E3D_METRICS_PARALLEL")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024))
      ->group("Targets");
  for (auto* fleet : {target, targets_file, from_prometheus}) {
    fleet->excludes(file);
    fleet->excludes(url);
  }
  from_prometheus->excludes(target);
  from_prometheus->excludes(targets_file);
  app.add_option("-o,--output", o.output, "Output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "junit", "nagios"}))
      ->group("Output");
  app.add_option("--color", o.color, "Colour: auto (terminal only, honours NO_COLOR)")
      ->envname("E2E3D_METRICS_COLOR")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->group("Output");
  app.add_flag("-v,--verbose", o.verbose, "Trace the fetch on stderr (credentials masked)")
      ->group("Output");
  app.add_flag("-q,--quiet", o.quiet, "Print nothing but errors; the exit code tells")
      ->group("Output");
}

ScrapeSource scrape_source(const GlobalOptions& o) {
  ScrapeSource source;
  if (!o.file.empty()) source.file = o.file;
  FetchOptions& f = source.fetch;
  f.url = o.url;
  f.timeout_seconds = o.timeout_seconds;
  f.connect_timeout_seconds = std::min(o.connect_timeout_seconds, o.timeout_seconds);
  f.headers = o.headers;
  if (!o.bearer_token_file.empty()) f.bearer_token_file = o.bearer_token_file;
  if (!o.user.empty()) f.user = o.user;
  if (!o.cacert.empty()) f.cacert = o.cacert;
  f.insecure = o.insecure;
  f.max_bytes = o.max_bytes;
  if (o.verbose) {
    f.trace = [](std::string_view line) { fmt::print(stderr, "{}\n", line); };
  }
  return source;
}

bool use_color(const GlobalOptions& o, std::FILE* stream) {
  if (o.color == "always") return true;
  if (o.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fileno(stream)) != 0;
}

void require_output(const GlobalOptions& o, std::initializer_list<std::string_view> allowed) {
  for (auto format : allowed) {
    if (o.output == format) return;
  }
  std::string list;
  for (auto format : allowed) {
    if (!list.empty()) list += ", ";
    list += format;
  }
  throw CLI::ValidationError(
      "--output", fmt::format("'{}' is not supported by this command (use: {})", o.output, list));
}

}  // namespace e2e3d::cli
