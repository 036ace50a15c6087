#pragma once
// prometheus.yml as Prometheus 2.42 loads it: the same fields, the same defaults (a job's
// scrape_timeout from the global one, capped by its interval), and the same refusals, in the
// words `promtool check config` prints, plus the checks promtool makes of the files the
// configuration names (rule files, file_sd files, credential and certificate files) and of every
// static and file_sd target. Where Prometheus is silent about the place, the refusal still has
// one: the line and column of the node at fault.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/error.hpp"

namespace e2e3d::promconfig {

// A refusal: the configuration Prometheus would not load (and promtool check config rejects).
struct Refusal {
  // promtool's message after "FAILED: " with the "parsing YAML file NAME: " prefix when
  // promtool writes one, e.g. `parsing YAML file prometheus.yml: "a:1/metrics" is not a valid
  // hostname`.
  std::string promtool;
  // The same without the prefix: what is wrong, in Prometheus's words.
  std::string message;
  std::string file;   // the file at fault: the configuration, a file_sd file, a rule file
  Position position;  // in `file`; 0 when not known
  // What the refusal is about, for a caller that proposes the fix: "target", "duration",
  // "field", "label_name", "timeout", "job_name", "yaml", "file", ... and the value at fault.
  std::string kind;
  std::string value;
  std::string job;  // the scrape job at fault, when it is one
  // Whether `promtool` is byte for byte what promtool prints. YAML syntax errors are found by
  // another parser than Go's, with other words: only where the line is the same.
  bool exact = true;
};

// One target as the scrape manager builds it: the address and labels of its group.
struct Target {
  std::string address;  // __address__ as written ("reconstruction-service:9101")
  std::map<std::string, std::string> labels;
  std::string file;  // the configuration, or the file_sd file that lists it
  Position position;
  // The URL Prometheus scrapes (scheme://address/metrics_path?params) once the job's relabel
  // rules have run; empty when a rule drops the target or cannot be followed here (hashmod).
  std::string scrape_url;
};

struct FileSd {
  std::string pattern;             // as written
  std::string path;                // joined with the configuration's directory
  std::vector<std::string> files;  // the files the pattern matches now
  Position position;
};

struct Job {
  std::string name;
  Position position;               // of the job's mapping
  int64_t scrape_interval_ms = 0;  // after defaulting
  int64_t scrape_timeout_ms = 0;   // after defaulting
  bool interval_set = false;       // written in the job
  bool timeout_set = false;
  std::string metrics_path = "/metrics";
  std::optional<Position> metrics_path_position;
  std::string scheme = "http";
  std::optional<Position> scheme_position;
  std::map<std::string, std::vector<std::string>> params;
  std::vector<Target> targets;  // static_configs, then file_sd files, in order
  std::vector<FileSd> file_sd;
  std::vector<std::string> discovery;  // other service discovery kinds ("docker_sd_configs")
  bool relabels = false;               // relabel_configs given: targets may change
};

struct Config {
  int64_t scrape_interval_ms = 60'000;  // global, after defaulting
  int64_t scrape_timeout_ms = 10'000;
  int64_t evaluation_interval_ms = 60'000;
  bool global_interval_set = false;
  bool global_timeout_set = false;
  std::vector<Job> jobs;
  std::vector<std::string> rule_files;  // joined with the configuration's directory
  // promtool's WARNING lines ("file \"x.json\" for file_sd in scrape job \"e2e3d\" does not
  // exist"): the configuration loads, but something it names is missing.
  std::vector<std::string> warnings;
  // What this reader does not validate as Prometheus would ("kubernetes_sd_configs of job
  // k8s"): say so rather than claim the configuration is right.
  std::vector<std::string> not_checked;
};

struct Checked {
  Config config;  // what was read before a refusal, complete without one
  std::optional<Refusal> refusal;
  const Job* job(std::string_view name) const;
};

// `text` is the configuration read from `name` (a path, or a description such as
// "container:/etc/prometheus/prometheus.yml"); relative paths in it are taken from `directory`
// as Prometheus takes them from the configuration file's directory. Never throws for bad input.
// `files_here` false: the configuration was read from elsewhere (a container), so the files it
// names (rule files, file_sd files, credentials) are not looked for here but listed in
// Config::not_checked.
Checked check_config(std::string_view text, const std::string& name, const std::string& directory,
                     bool files_here = true);

// Reads `path` (bounded) and checks it. A file that cannot be read is a refusal too.
Checked check_config_file(const std::string& path);

// Go's net.SplitHostPort: host and port of "host:port" / "[v6]:port", or Go's error text.
struct HostPort {
  std::string host;
  std::string port;
  std::string error;  // empty when it split
};
HostPort split_host_port(std::string_view address);

}  // namespace e2e3d::promconfig
