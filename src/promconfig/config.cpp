// The whole of prometheus.yml: config.Load (the sections in document order, then
// Config.UnmarshalYAML's defaults and checks across jobs), then the checks `promtool check
// config` adds (promtool_checks.cpp).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/yaml_load.hpp"
#include "promconfig/decode.hpp"
#include "promconfig/go_text.hpp"
#include "promconfig/promtool_checks.hpp"

namespace e2e3d::promconfig {
namespace detail {
namespace {

// patRulePath: ^[^*]*(\*[^/]*)?$
bool valid_rule_path(std::string_view path) {
  auto star = path.find('*');
  if (star == std::string_view::npos) return true;
  std::string_view after = path.substr(star + 1);
  return after.find('*') == std::string_view::npos && after.find('/') == std::string_view::npos;
}

void decode_config(Decoder& d, const YAML::Node& root, Loaded& out) {
  Config& config = out.config;
  Fields fields(d, root, "config.plain");
  std::vector<YAML::Node> rule_file_nodes;
  Remotes writes, reads;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "global") {
      if (d.kind(e.value) != Kind::null) decode_global(d, e.value, config);
    } else if (e.key == "alerting") {
      decode_alerting(d, e.value, out.alertmanagers);
    } else if (e.key == "rule_files") {
      d.strings(e.value, config.rule_files);
      rule_file_nodes.clear();
      if (e.value.IsSequence()) {
        for (const auto& item : e.value)
          rule_file_nodes.push_back(item);
      }
    } else if (e.key == "scrape_configs") {
      Kind k = d.kind(e.value);
      if (k == Kind::null) continue;
      if (k != Kind::sequence) {
        d.type_error(e.value, "[]*config.ScrapeConfig");
        continue;
      }
      config.jobs.clear();
      out.jobs.clear();
      for (const auto& item : e.value) {
        Job job;
        JobDetail detail;
        try {
          decode_scrape_config(d, item, job, detail);
        } catch (Stop& stop) {
          stop.refusal.job = job.name;
          throw;
        }
        config.jobs.push_back(std::move(job));
        out.jobs.push_back(std::move(detail));
      }
    } else if (e.key == "storage") {
      decode_storage(d, e.value);
    } else if (e.key == "tracing") {
      decode_tracing(d, e.value);
    } else if (e.key == "remote_write") {
      decode_remote_write(d, e.value, writes);
    } else if (e.key == "remote_read") {
      decode_remote_read(d, e.value, reads);
    } else {
      fields.unknown(e);
    }
  }
  d.throw_type_errors();

  // Config.UnmarshalYAML, after every section has decoded.
  for (std::size_t i = 0; i < config.rule_files.size(); ++i) {
    if (!valid_rule_path(config.rule_files[i])) {
      d.fail(i < rule_file_nodes.size() ? &rule_file_nodes[i] : nullptr,
             fmt::format("invalid rule file path {}", go_quote(config.rule_files[i])), "rule_file",
             config.rule_files[i]);
    }
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < config.jobs.size(); ++i) {
    Job& job = config.jobs[i];
    if (out.jobs[i].null) d.fail(nullptr, "empty or null scrape config section", "job");
    if (job.scrape_interval_ms == 0) job.scrape_interval_ms = config.scrape_interval_ms;
    if (job.scrape_timeout_ms > job.scrape_interval_ms) {
      Refusal r;
      r.message = fmt::format(
          "scrape timeout greater than scrape interval for scrape config with job name {}",
          go_quote(job.name));
      r.file = d.file();
      r.position = job.position;
      r.kind = "timeout";
      r.value = job.name;
      r.job = job.name;
      throw Stop{std::move(r)};
    }
    if (job.scrape_timeout_ms == 0) {
      job.scrape_timeout_ms = std::min(config.scrape_timeout_ms, job.scrape_interval_ms);
    }
    if (std::find(names.begin(), names.end(), job.name) != names.end()) {
      Refusal r;
      r.message = fmt::format("found multiple scrape configs with job name {}", go_quote(job.name));
      r.file = d.file();
      r.position = job.position;
      r.kind = "job_name";
      r.value = job.name;
      r.job = job.name;
      throw Stop{std::move(r)};
    }
    names.push_back(job.name);
  }
  auto check_remotes = [&](const Remotes& remotes, std::string_view what) {
    if (remotes.any_null) {
      d.fail(nullptr, fmt::format("empty or null remote {} config section", what), "remote");
    }
    for (std::size_t i = 0; i < remotes.names.size(); ++i) {
      const std::string& name = remotes.names[i];
      if (name.empty()) continue;
      auto end = remotes.names.begin() + static_cast<std::ptrdiff_t>(i);
      if (std::find(remotes.names.begin(), end, name) != end) {
        d.fail(
            nullptr,
            fmt::format("found multiple remote {} configs with job name {}", what, go_quote(name)),
            "remote", name);
      }
    }
  };
  check_remotes(writes, "write");
  check_remotes(reads, "read");
}

// config.JoinDir: relative paths are taken from the configuration's directory.
std::string join_dir(const std::string& directory, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  std::string joined =
      (std::filesystem::path(directory.empty() ? "." : directory) / path).lexically_normal();
  while (joined.size() > 1 && joined.back() == '/')
    joined.pop_back();
  return joined;
}

void set_directory(Loaded& loaded) {
  const std::string& dir = loaded.directory;
  for (auto& rf : loaded.config.rule_files)
    rf = join_dir(dir, rf);
  auto client = [&](HttpClient& c) {
    c.credentials_file = join_dir(dir, c.credentials_file);
    c.bearer_token_file = join_dir(dir, c.bearer_token_file);
    c.basic_password_file = join_dir(dir, c.basic_password_file);
    c.tls.cert_file = join_dir(dir, c.tls.cert_file);
    c.tls.key_file = join_dir(dir, c.tls.key_file);
  };
  auto discovery = [&](Discovery& disc) {
    for (auto& f : disc.file_sd)
      f.path = join_dir(dir, f.pattern);
    for (auto& c : disc.sd_clients)
      client(c);
  };
  for (std::size_t i = 0; i < loaded.jobs.size(); ++i) {
    client(loaded.jobs[i].http);
    discovery(loaded.jobs[i].discovery);
    loaded.config.jobs[i].file_sd = loaded.jobs[i].discovery.file_sd;
  }
  for (auto& am : loaded.alertmanagers) {
    client(am.http);
    discovery(am.discovery);
  }
}

Refusal yaml_syntax_refusal(const std::string& name, const YAML::Exception& e) {
  Refusal r;
  r.file = name;
  r.position = {static_cast<uint32_t>(std::max(0, e.mark.line) + 1),
                static_cast<uint32_t>(std::max(0, e.mark.column) + 1)};
  r.message = fmt::format("yaml: line {}: {}", r.position.line, e.msg);
  r.kind = "yaml";
  r.exact = false;  // yaml-cpp's words, not Go's
  return r;
}

}  // namespace
}  // namespace detail

const Job* Checked::job(std::string_view name) const {
  for (const auto& j : config.jobs) {
    if (j.name == name) return &j;
  }
  return nullptr;
}

Checked check_config(std::string_view text, const std::string& name, const std::string& directory,
                     bool files_here) {
  using namespace detail;
  Checked out;
  Loaded loaded;
  loaded.directory = directory;
  Decoder d(name);
  bool loaded_ok = false;
  try {
    YAML::Node root;
    try {
      root = load_yaml(text);
    } catch (const YAML::Exception& e) {
      throw Stop{yaml_syntax_refusal(name, e)};
    }
    decode_config(d, root, loaded);
    loaded_ok = true;
    set_directory(loaded);
    run_promtool_checks(loaded, name, files_here);
  } catch (const Stop& stop) {
    out.refusal = stop.refusal;
    out.refusal->promtool =
        loaded_ok ? out.refusal->message
                  : fmt::format("parsing YAML file {}: {}", name, out.refusal->message);
  } catch (const YAML::Exception& e) {
    // A node of a shape yaml-cpp itself refuses to walk.
    out.refusal = yaml_syntax_refusal(name, e);
    out.refusal->promtool = fmt::format("parsing YAML file {}: {}", name, out.refusal->message);
  }
  out.config = std::move(loaded.config);
  return out;
}

Checked check_config_file(const std::string& path) {
  std::string text;
  try {
    text = sys::read_bounded_file(path, {"the Prometheus configuration", sys::kMaxConfigBytes});
  } catch (const Error& e) {
    Checked out;
    Refusal r;
    r.file = path;
    r.message = e.what();
    r.promtool = r.message;
    r.kind = "read";
    r.exact = false;  // BoundedFile's words: promtool says "open PATH: ..."
    out.refusal = std::move(r);
    return out;
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  return check_config(text, path, directory);
}

}  // namespace e2e3d::promconfig
