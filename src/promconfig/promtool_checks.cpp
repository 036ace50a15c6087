// cmd/promtool/main.go checkConfig of Prometheus 2.42, after config.LoadFile: rule files,
// credential and certificate files, file_sd files and every target, in promtool's order.
#include "promconfig/promtool_checks.hpp"

#include <glob.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/promql/parser.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/yaml_load.hpp"
#include "promconfig/go_text.hpp"
#include "promconfig/go_yaml.hpp"
#include "promconfig/targets.hpp"

namespace e2e3d::promconfig::detail {
namespace {

[[noreturn]] void refuse(std::string message, std::string file, std::string kind,
                         std::string value = {}, Position position = {}, bool exact = true) {
  Refusal r;
  r.message = std::move(message);
  r.file = std::move(file);
  r.kind = std::move(kind);
  r.value = std::move(value);
  r.position = position;
  r.exact = exact;
  throw Stop{std::move(r)};
}

// Go's syscall error strings for the errors a stat or open of a path gives.
std::string go_errno(int error) {
  switch (error) {
    case ENOENT:
      return "no such file or directory";
    case EACCES:
      return "permission denied";
    case ENOTDIR:
      return "not a directory";
    case ELOOP:
      return "too many levels of symbolic links";
    case ENAMETOOLONG:
      return "file name too long";
    case EISDIR:
      return "is a directory";
    default: {
      std::string text = std::strerror(error);
      if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
      return text;
    }
  }
}

// promtool's checkFileExists: os.Stat's error, or nothing.
std::optional<std::string> stat_error(const std::string& path) {
  if (path.empty()) return std::nullopt;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return std::nullopt;
  return fmt::format("stat {}: {}", path, go_errno(errno));
}

// filepath.Glob: the sorted matches (a pattern without wildcards matches itself if it exists).
std::vector<std::string> glob_files(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), GLOB_NOESCAPE, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i)
      out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

using Group = std::pair<std::vector<std::string>, LabelPairs>;

std::vector<Group> json_groups(const std::string& text, const std::string& file,
                               const std::string& shown) {
  auto bad = [&](std::string why, bool exact) {
    refuse(fmt::format("checking SD file {}: {}", go_quote(shown), why), file, "sd_file", {}, {},
           exact);
  };
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) bad("the file is not valid JSON", false);
  std::vector<Group> out;
  if (doc.is_null()) return out;
  if (!doc.is_array()) {
    bad("json: cannot unmarshal " + std::string(doc.is_object() ? "object" : doc.type_name()) +
            " into Go value of type []*targetgroup.Group",
        false);
  }
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& item = doc[i];
    if (item.is_null()) bad(fmt::format("nil target group item found (index {})", i), true);
    if (!item.is_object()) bad("json: cannot unmarshal into targetgroup.Group", false);
    Group g;
    for (const auto& [key, value] : item.items()) {
      // encoding/json matches field names without regard to letter case.
      std::string lower = key;
      for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "targets") {
        if (value.is_null()) continue;
        if (!value.is_array()) bad("json: cannot unmarshal targets", false);
        for (const auto& t : value) {
          if (!t.is_string()) bad("json: cannot unmarshal a target that is not a string", false);
          g.first.push_back(t.get<std::string>());
        }
      } else if (lower == "labels") {
        if (value.is_null()) continue;
        if (!value.is_object()) bad("json: cannot unmarshal labels", false);
        for (const auto& [name, v] : value.items()) {
          if (!v.is_string())
            bad("json: cannot unmarshal a label value that is not a string", false);
          if (!is_label_name(name))
            bad(fmt::format("{} is not a valid label name", go_quote(name)), true);
          g.second.emplace_back(name, v.get<std::string>());
        }
      } else {
        bad(fmt::format("json: unknown field {}", go_quote(key)), true);
      }
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<Group> yaml_groups(const std::string& text, const std::string& file,
                               const std::string& shown) {
  Decoder d(file);
  std::vector<Group> out;
  try {
    YAML::Node root;
    try {
      root = load_yaml(text);
    } catch (const YAML::Exception& e) {
      refuse(fmt::format("checking SD file {}: yaml: line {}: {}", go_quote(shown), e.mark.line + 1,
                         e.msg),
             file, "sd_file", {}, {}, false);
    }
    Kind k = d.kind(root);
    if (k == Kind::null) return out;
    if (k != Kind::sequence) {
      d.type_error(root, "[]*targetgroup.Group");
      d.throw_type_errors();
    }
    std::size_t index = 0;
    for (const auto& item : root) {
      if (d.kind(item) == Kind::null) {
        d.throw_type_errors();
        refuse(fmt::format("checking SD file {}: nil target group item found (index {})",
                           go_quote(shown), index),
               file, "sd_file");
      }
      Group g;
      Fields fields(
          d, item,
          R"(struct { Targets []string "yaml:\"targets\""; Labels model.LabelSet "yaml:\"labels\"" })");
      for (const auto& e : fields.entries()) {
        if (!fields.first(e)) continue;
        if (e.key == "targets")
          d.strings(e.value, g.first);
        else if (e.key == "labels")
          d.label_set(e.value, g.second);
        else
          fields.unknown(e);
      }
      out.push_back(std::move(g));
      ++index;
    }
    d.throw_type_errors();
  } catch (Stop& stop) {
    if (stop.refusal.message.starts_with("checking SD file")) throw;
    stop.refusal.message =
        fmt::format("checking SD file {}: {}", go_quote(shown), stop.refusal.message);
    throw;
  }
  return out;
}

// checkSDFile: the groups of one file_sd file.
std::vector<Group> read_sd_file(const std::string& file, const std::string& shown) {
  std::string text;
  try {
    text = sys::read_bounded_file(file, {"the file_sd file", sys::kMaxConfigBytes});
  } catch (const Error& e) {
    refuse(fmt::format("checking SD file {}: {}", go_quote(shown), e.what()), file, "sd_file", {},
           {}, false);
  }
  std::string ext;
  auto dot = file.rfind('.');
  auto slash = file.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
    ext = file.substr(dot);
  std::string lower = ext;
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == ".json") return json_groups(text, file, shown);
  if (lower == ".yml" || lower == ".yaml") return yaml_groups(text, file, shown);
  refuse(fmt::format("checking SD file {}: invalid file extension: {}", go_quote(shown),
                     go_quote(ext)),
         file, "sd_file");
}

// The URL scrape.Target.URL builds from the labels.
std::string scrape_url(const std::map<std::string, std::string>& labels) {
  auto get = [&](const std::string& name) {
    auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
  };
  std::string path = get("__metrics_path__");
  if (!path.empty() && path.front() != '/') path = "/" + path;
  std::string query;
  for (const auto& [name, value] : labels) {
    if (!name.starts_with("__param_")) continue;
    query += fmt::format("{}{}={}", query.empty() ? "?" : "&", name.substr(8), value);
  }
  return fmt::format("{}://{}{}{}", get("__scheme__"), get("__address__"), path, query);
}

void check_target(Target& target, const Job& job, const JobDetail& detail, std::size_t index,
                  const std::string& group) {
  Populated p = populate_labels(target, job, detail.relabel);
  if (!p.error) {
    if (!p.dropped && !p.not_followed) target.scrape_url = scrape_url(p.labels);
    return;
  }
  Refusal r;
  r.job = job.name;
  r.message = fmt::format("instance {} in group {}: {}", index, group, *p.error);
  r.file = target.file;
  r.position = target.position;
  r.kind = "target";
  r.value = target.address;
  throw Stop{std::move(r)};
}

void check_tls(const TlsFiles& tls, bool files_here) {
  if (!tls.cert_file.empty() && tls.key_file.empty()) {
    refuse(fmt::format("client cert file {} specified without client key file",
                       go_quote(tls.cert_file)),
           tls.cert_file, "tls");
  }
  if (!tls.key_file.empty() && tls.cert_file.empty()) {
    refuse(fmt::format("client key file {} specified without client cert file",
                       go_quote(tls.key_file)),
           tls.key_file, "tls");
  }
  if (!files_here) return;
  if (auto e = stat_error(tls.cert_file)) {
    refuse(fmt::format("error checking client cert file {}: {}", go_quote(tls.cert_file), *e),
           tls.cert_file, "file");
  }
  if (auto e = stat_error(tls.key_file)) {
    refuse(fmt::format("error checking client key file {}: {}", go_quote(tls.key_file), *e),
           tls.key_file, "file");
  }
}

}  // namespace

void run_promtool_checks(Loaded& loaded, const std::string& name, bool files_here) {
  Config& config = loaded.config;
  std::vector<std::string> rule_files;
  if (!files_here && !config.rule_files.empty()) {
    config.not_checked.push_back("rule_files (they are not on this machine)");
  }
  for (const auto& rf : files_here ? config.rule_files : std::vector<std::string>{}) {
    auto found = glob_files(rf);
    if (rf.find('*') == std::string::npos) {
      if (found.empty()) {
        refuse(fmt::format("{} does not point to an existing file", go_quote(rf)), name,
               "rule_file", rf);
      }
      if (auto e = stat_error(found.front())) {
        refuse(fmt::format("error checking rule file {}: {}", go_quote(found.front()), *e), name,
               "rule_file", rf);
      }
    }
    rule_files.insert(rule_files.end(), found.begin(), found.end());
  }

  for (std::size_t j = 0; j < config.jobs.size(); ++j) {
    Job& job = config.jobs[j];
    JobDetail& detail = loaded.jobs[j];
    if (detail.http.authorization && files_here) {
      if (auto e = stat_error(detail.http.credentials_file)) {
        refuse(fmt::format("error checking authorization credentials or bearer token file {}: {}",
                           go_quote(detail.http.credentials_file), *e),
               name, "file", detail.http.credentials_file, job.position);
      }
    }
    check_tls(detail.http.tls, files_here);
    if (!files_here && !job.file_sd.empty()) {
      config.not_checked.push_back(
          fmt::format("file_sd_configs of job {} (the files are not on this machine)", job.name));
    }
    for (auto& sd : files_here ? job.file_sd : std::vector<FileSd>{}) {
      sd.files = glob_files(sd.path);
      if (sd.files.empty()) {
        config.warnings.push_back(fmt::format("file {} for file_sd in scrape job {} does not exist",
                                              go_quote(sd.path), go_quote(job.name)));
        continue;
      }
      for (const auto& file : sd.files) {
        for (const auto& [targets, labels] : read_sd_file(file, sd.path)) {
          std::size_t i = 0;
          for (const auto& address : targets) {
            Target t;
            t.address = address;
            for (const auto& [k, v] : labels)
              t.labels[k] = v;
            t.file = file;
            check_target(t, job, detail, i++, "");
            job.targets.push_back(std::move(t));
          }
        }
      }
    }
    std::size_t group_index = 0, target_index = 0;
    for (const auto& group : detail.discovery.static_groups) {
      std::size_t i = 0;
      for (std::size_t k = 0; k < group.targets.size(); ++k) {
        check_target(job.targets[target_index + k], job, detail, i++, std::to_string(group_index));
      }
      target_index += group.targets.size();
      ++group_index;
    }
    for (const auto& kind : detail.discovery.not_checked)
      config.not_checked.push_back(fmt::format("{} of job {}", kind, job.name));
  }

  for (auto& am : loaded.alertmanagers) {
    auto check_group = [&](const std::vector<std::string>& targets,
                           const LabelPairs& group_labels) {
      for (const auto& address : targets) {
        std::map<std::string, std::string> labels;
        for (const auto& [k, v] : group_labels)
          labels[k] = v;
        labels["__address__"] = address;
        labels["__scheme__"] = am.scheme;
        bool not_followed = false;
        if (!relabel_process(am.relabel, labels, not_followed) || not_followed) continue;
        std::string addr = labels.count("__address__") ? labels["__address__"] : "";
        if (addr.find('/') != std::string::npos) {
          refuse(fmt::format("{} is not a valid hostname", go_quote(addr)), name, "target", addr);
        }
      }
    };
    for (auto& sd : am.discovery.file_sd) {
      sd.files = glob_files(sd.path);
      if (sd.files.empty()) {
        config.warnings.push_back(fmt::format(
            "file {} for file_sd in alertmanager config does not exist", go_quote(sd.path)));
        continue;
      }
      for (const auto& file : sd.files) {
        for (const auto& [targets, labels] : read_sd_file(file, sd.path))
          check_group(targets, labels);
      }
    }
    for (const auto& group : am.discovery.static_groups) {
      std::vector<std::string> targets;
      for (const auto& t : group.targets)
        targets.push_back(t.first);
      check_group(targets, group.labels);
    }
  }

  // promtool's checkRules: the file's shape, then every expression through the PromQL parser.
  for (const auto& rf : rule_files) {
    rules::RuleFile file;
    try {
      file = rules::load_rule_file(rf);
    } catch (const Error& e) {
      refuse(e.what(), rf, "rules", rf, {}, false);
    }
    for (const auto& group : file.groups) {
      for (std::size_t i = 0; i < group.rules.size(); ++i) {
        const auto& rule = group.rules[i];
        try {
          promql::parse(rule.expr);
        } catch (const ParseError& e) {
          refuse(fmt::format("{}: {}:{}: group {}, rule {}, {}: could not parse expression: {}", rf,
                             rule.expr_position.line, rule.expr_position.column,
                             go_quote(group.name), i + 1, go_quote(rule.name), e.what()),
                 rf, "rules", rf, rule.expr_position, false);
        }
      }
    }
  }
}

}  // namespace e2e3d::promconfig::detail
