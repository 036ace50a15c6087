// scrape.PopulateLabels of Prometheus 2.42: the labels a target gets from its job, its relabel
// rules (relabel.Process), the port its scheme implies, and the checks that refuse it.
#include "promconfig/targets.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "e2e3d/promql/regex.hpp"
#include "e2e3d/rules/duration.hpp"
#include "promconfig/go_text.hpp"

namespace e2e3d::promconfig::detail {
namespace {

using Labels = std::map<std::string, std::string>;

std::string get(const Labels& labels, const std::string& name) {
  auto it = labels.find(name);
  return it == labels.end() ? std::string() : it->second;
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; a name that is not a group
// (or an unmatched group) expands to nothing.
std::string expand(const re2::RE2& re, std::string_view tmpl,
                   const std::vector<std::string_view>& groups) {
  const auto& named = re.NamedCapturingGroups();
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out += tmpl[i++];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    std::string_view name;
    std::size_t next = i + 1;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (tmpl[next] == '{') {
      std::size_t close = tmpl.find('}', next);
      std::size_t k = next + 1;
      while (k < tmpl.size() && word(tmpl[k]))
        ++k;
      if (close == std::string_view::npos || k != close || k == next + 1) {
        out += tmpl[i++];  // not a reference: the dollar is literal
        continue;
      }
      name = tmpl.substr(next + 1, k - next - 1);
      next = close + 1;
    } else {
      std::size_t k = next;
      while (k < tmpl.size() && word(tmpl[k]))
        ++k;
      if (k == next) {
        out += tmpl[i++];
        continue;
      }
      name = tmpl.substr(next, k - next);
      next = k;
    }
    int index = -1;
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      index = name.size() < 9 ? std::stoi(std::string(name)) : -1;
    } else if (auto it = named.find(std::string(name)); it != named.end()) {
      index = it->second;
    }
    if (index >= 0 && static_cast<std::size_t>(index) < groups.size()) {
      out.append(groups[static_cast<std::size_t>(index)]);
    }
    i = next;
  }
  return out;
}

// Matches `text` against the anchored rule regex; the groups ($0 first) when it matches.
std::optional<std::vector<std::string_view>> match(const re2::RE2& re, std::string_view text) {
  int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(n));
  if (!re.Match(text, 0, text.size(), re2::RE2::ANCHOR_BOTH, pieces.data(), n)) return std::nullopt;
  std::vector<std::string_view> groups;
  for (const auto& p : pieces)
    groups.emplace_back(p.data() ? std::string_view(p.data(), p.size()) : std::string_view());
  return groups;
}

std::string ascii_case(std::string text, bool upper) {
  for (auto& c : text)
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                : std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// relabel.relabel for one rule; false when the target is dropped.
bool apply(const RelabelRule& rule, Labels& labels) {
  std::string error;
  auto re = promql::compile_anchored(rule.regex, error);
  if (!re) return true;  // refused when the configuration was read
  std::string value;
  for (std::size_t i = 0; i < rule.source_labels.size(); ++i) {
    if (i > 0) value += rule.separator;
    value += get(labels, rule.source_labels[i]);
  }
  const std::string& a = rule.action;
  if (a == "drop") return !match(*re, value);
  if (a == "keep") return match(*re, value).has_value();
  if (a == "dropequal") return get(labels, rule.target_label) != value;
  if (a == "keepequal") return get(labels, rule.target_label) == value;
  Labels before = labels;
  if (a == "replace") {
    auto groups = match(*re, value);
    if (!groups) return true;
    std::string target = expand(*re, rule.target_label, *groups);
    if (!is_label_name(target)) {
      labels.erase(rule.target_label);
      return true;
    }
    std::string result = expand(*re, rule.replacement, *groups);
    if (result.empty()) {
      labels.erase(rule.target_label);
      return true;
    }
    labels[target] = result;
  } else if (a == "lowercase" || a == "uppercase") {
    labels[rule.target_label] = ascii_case(value, a == "uppercase");
  } else if (a == "labelmap") {
    for (const auto& [name, v] : before) {
      if (auto groups = match(*re, name)) labels[expand(*re, rule.replacement, *groups)] = v;
    }
  } else if (a == "labeldrop" || a == "labelkeep") {
    for (const auto& [name, v] : before) {
      bool matched = match(*re, name).has_value();
      if (matched == (a == "labeldrop")) labels.erase(name);
    }
  }
  // An empty value is no label, as in labels.Builder.
  for (auto it = labels.begin(); it != labels.end();) {
    it = it->second.empty() ? labels.erase(it) : std::next(it);
  }
  return true;
}

}  // namespace

bool relabel_process(const std::vector<RelabelRule>& rules,
                     std::map<std::string, std::string>& labels, bool& not_followed) {
  for (const auto& rule : rules) {
    if (rule.action == "hashmod") {
      // The md5 of the values decides: not followed here.
      not_followed = true;
      return true;
    }
    if (!apply(rule, labels)) return false;
  }
  return true;
}

Populated populate_labels(const Target& target, const Job& job,
                          const std::vector<RelabelRule>& rules) {
  Populated out;
  Labels labels = target.labels;
  labels["__address__"] = target.address;
  auto set_default = [&](const std::string& name, const std::string& value) {
    if (get(labels, name).empty()) labels[name] = value;
  };
  set_default("job", job.name);
  set_default("__scrape_interval__", rules::format_duration(job.scrape_interval_ms));
  set_default("__scrape_timeout__", rules::format_duration(job.scrape_timeout_ms));
  set_default("__metrics_path__", job.metrics_path);
  set_default("__scheme__", job.scheme);
  for (const auto& [name, values] : job.params) {
    if (!values.empty()) labels["__param_" + name] = values.front();
  }
  for (auto it = labels.begin(); it != labels.end();) {
    it = it->second.empty() ? labels.erase(it) : std::next(it);
  }
  if (!relabel_process(rules, labels, out.not_followed)) {
    out.dropped = true;
    return out;
  }
  if (out.not_followed) return out;
  std::string addr = get(labels, "__address__");
  if (addr.empty()) {
    out.error = "no address";
    return out;
  }
  std::string scheme = get(labels, "__scheme__");
  if (!split_host_port(addr).error.empty() && split_host_port(addr + ":1234").error.empty()) {
    if (scheme == "http" || scheme.empty()) {
      addr += ":80";
    } else if (scheme == "https") {
      addr += ":443";
    } else {
      out.error = fmt::format("invalid scheme: {}", go_quote(job.scheme));
      return out;
    }
    labels["__address__"] = addr;
  }
  if (addr.find('/') != std::string::npos) {
    out.error = fmt::format("{} is not a valid hostname", go_quote(addr));
    return out;
  }
  std::string interval = get(labels, "__scrape_interval__");
  auto interval_ms = rules::parse_duration(interval);
  if (!interval_ms) {
    out.error =
        fmt::format("error parsing scrape interval: {}",
                    interval.empty() ? std::string("empty duration string")
                                     : "not a valid duration string: " + go_quote(interval));
    return out;
  }
  if (*interval_ms == 0) {
    out.error = "scrape interval cannot be 0";
    return out;
  }
  std::string timeout = get(labels, "__scrape_timeout__");
  auto timeout_ms = rules::parse_duration(timeout);
  if (!timeout_ms) {
    out.error = fmt::format("error parsing scrape timeout: {}",
                            timeout.empty() ? std::string("empty duration string")
                                            : "not a valid duration string: " + go_quote(timeout));
    return out;
  }
  if (*timeout_ms == 0) {
    out.error = "scrape timeout cannot be 0";
    return out;
  }
  if (*timeout_ms > *interval_ms) {
    out.error = fmt::format("scrape timeout cannot be greater than scrape interval ({} > {})",
                            go_quote(timeout), go_quote(interval));
    return out;
  }
  for (auto it = labels.begin(); it != labels.end();) {
    it = it->first.starts_with("__meta_") ? labels.erase(it) : std::next(it);
  }
  if (get(labels, "instance").empty()) labels["instance"] = addr;
  for (const auto& [name, value] : labels) {
    if (!is_valid_utf8(value)) {
      out.error = fmt::format("invalid label value for {}: {}", go_quote(name), go_quote(value));
      return out;
    }
  }
  out.labels = std::move(labels);
  return out;
}

}  // namespace e2e3d::promconfig::detail
