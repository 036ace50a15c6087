// relabel.Config as Prometheus 2.42 reads it (model/relabel/relabel.go UnmarshalYAML): the
// action, the regex compiled as Go compiles it, and what each action requires.
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "e2e3d/promql/regex.hpp"
#include "promconfig/decode.hpp"
#include "promconfig/go_text.hpp"

namespace e2e3d::promconfig::detail {
namespace {

constexpr std::string_view kActions[] = {"replace",   "keep",      "drop",      "hashmod",
                                         "labelmap",  "labeldrop", "labelkeep", "lowercase",
                                         "uppercase", "keepequal", "dropequal"};

// relabelTarget: ^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$
bool valid_relabel_target(const std::string& text) {
  static const RE2 pattern(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return RE2::FullMatch(text, pattern);
}

void decode_rule(Decoder& d, const YAML::Node& node, RelabelRule& rule) {
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "relabel.plain");
  bool regex_given = false, source_given = false;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "source_labels") {
      source_given = d.kind(e.value) != Kind::null;
      if (!d.strings(e.value, rule.source_labels, "model.LabelNames")) continue;
      for (const auto& item : e.value) {
        std::string name = item.Scalar();
        if (!is_label_name(name)) {
          d.fail(&item, fmt::format("{} is not a valid label name", go_quote(name)), "label_name",
                 name);
        }
      }
    } else if (e.key == "separator") {
      d.string(e.value, rule.separator);
    } else if (e.key == "regex") {
      regex_given = true;
      if (d.kind(e.value) == Kind::null) {
        rule.regex.clear();
        continue;
      }
      if (!d.string(e.value, rule.regex)) continue;
      std::string error;
      if (!promql::compile_anchored(rule.regex, error))
        d.fail(&e.value, error, "regex", rule.regex);
    } else if (e.key == "modulus") {
      d.unsigned_int(e.value, rule.modulus, "uint64");
    } else if (e.key == "target_label") {
      d.string(e.value, rule.target_label);
    } else if (e.key == "replacement") {
      d.string(e.value, rule.replacement);
    } else if (e.key == "action") {
      if (d.kind(e.value) == Kind::null) {
        rule.action.clear();
        continue;
      }
      std::string action;
      if (!d.string(e.value, action)) continue;
      std::string lower = action;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(std::begin(kActions), std::end(kActions), lower) == std::end(kActions)) {
        d.fail(&e.value, fmt::format("unknown relabel action {}", go_quote(action)), "relabel",
               action);
      }
      rule.action = lower;
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;

  const std::string& a = rule.action;
  auto refuse = [&](std::string message) { d.fail(&node, std::move(message), "relabel", a); };
  if (a.empty()) refuse("relabel action cannot be empty");
  if (rule.modulus == 0 && a == "hashmod") {
    refuse("relabel configuration for hashmod requires non-zero modulus");
  }
  bool needs_target = a == "replace" || a == "hashmod" || a == "lowercase" || a == "uppercase" ||
                      a == "keepequal" || a == "dropequal";
  if (needs_target && rule.target_label.empty()) {
    refuse(fmt::format("relabel configuration for {} action requires 'target_label' value", a));
  }
  bool templated_target = a == "replace" || a == "lowercase" || a == "uppercase" ||
                          a == "keepequal" || a == "dropequal";
  if (templated_target && !valid_relabel_target(rule.target_label)) {
    refuse(
        fmt::format("{} is invalid 'target_label' for {} action", go_quote(rule.target_label), a));
  }
  bool fixed_replacement =
      a == "lowercase" || a == "uppercase" || a == "keepequal" || a == "dropequal";
  if (fixed_replacement && rule.replacement != "$1") {
    refuse(fmt::format("'replacement' can not be set for {} action", a));
  }
  if (a == "labelmap" && !valid_relabel_target(rule.replacement)) {
    refuse(fmt::format("{} is invalid 'replacement' for {} action", go_quote(rule.replacement), a));
  }
  if (a == "hashmod" && !is_label_name(rule.target_label)) {
    refuse(
        fmt::format("{} is invalid 'target_label' for {} action", go_quote(rule.target_label), a));
  }
  // Go compares the regex by pointer: any regex written differs from the default.
  if ((a == "dropequal" || a == "keepequal") &&
      (regex_given || rule.modulus != 0 || rule.separator != ";" || rule.replacement != "$1")) {
    refuse(fmt::format(
        "{} action requires only 'source_labels' and `target_label`, and no other fields", a));
  }
  if ((a == "labeldrop" || a == "labelkeep") &&
      (source_given || !rule.target_label.empty() || rule.modulus != 0 || rule.separator != ";" ||
       rule.replacement != "$1")) {
    refuse(fmt::format("{} action requires only 'regex', and no other fields", a));
  }
}

}  // namespace

bool relabel_rules(Decoder& d, const YAML::Node& node, std::vector<RelabelRule>& out,
                   bool& null_rule) {
  out.clear();
  Kind k = d.kind(node);
  if (k == Kind::null) return true;
  if (k != Kind::sequence) return d.type_error(node, "[]*relabel.Config");
  for (const auto& item : node) {
    if (d.kind(item) == Kind::null) {
      null_rule = true;
      continue;
    }
    RelabelRule rule;
    decode_rule(d, item, rule);
    out.push_back(std::move(rule));
  }
  return true;
}

}  // namespace e2e3d::promconfig::detail
