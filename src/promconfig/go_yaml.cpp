#include "promconfig/go_yaml.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "e2e3d/rules/duration.hpp"
#include "promconfig/go_text.hpp"

namespace e2e3d::promconfig::detail {
namespace {

bool one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), text) != words.end();
}

// yaml.v2's resolve table for YAML 1.1 booleans.
std::optional<bool> yaml_bool(std::string_view text) {
  if (one_of(text, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    return true;
  }
  if (one_of(text, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    return false;
  }
  return std::nullopt;
}

// Go's strconv.ParseInt(text, 0, 64) / ParseUint: optional sign, 0x / 0o / 0b / 0 prefixes.
// (yaml.v2 has removed underscores already.)
struct GoInt {
  bool ok = false;
  bool negative = false;
  uint64_t magnitude = 0;
};
GoInt go_parse_int(std::string_view text) {
  GoInt out;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    out.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 1 && text[0] == '0') {
    char p = static_cast<char>(std::tolower(static_cast<unsigned char>(text[1])));
    if (p == 'x') {
      base = 16;
      text.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      text.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      text.remove_prefix(2);
    } else {
      base = 8;
      text.remove_prefix(1);
    }
  }
  if (text.empty()) return out;
  uint64_t value = 0;
  for (char c : text) {
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'z' ? c - 'a' + 10
                : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                                       : 99;
    if (digit >= base) return out;
    if (value > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(digit)) /
                    static_cast<uint64_t>(base)) {
      return out;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  out.ok = true;
  out.magnitude = value;
  return out;
}

// yaml.v2's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// A resolved plain scalar's value, for the numeric decoders.
struct Number {
  Kind kind = Kind::string;
  GoInt integer;
  double floating = 0;
};

Number resolve_number(std::string_view text) {
  Number n;
  if (one_of(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    n.kind = Kind::floating;
    n.floating = std::numeric_limits<double>::infinity();
    return n;
  }
  if (one_of(text, {"-.inf", "-.Inf", "-.INF"})) {
    n.kind = Kind::floating;
    n.floating = -std::numeric_limits<double>::infinity();
    return n;
  }
  if (one_of(text, {".nan", ".NaN", ".NAN"})) {
    n.kind = Kind::floating;
    n.floating = std::nan("");
    return n;
  }
  if (text.empty()) return n;
  char first = text[0];
  if (first == '.') {
    // Only a float can start so (Go's ParseFloat of the text as it is).
    if (yaml_style_float(text)) {
      n.kind = Kind::floating;
      n.floating = std::strtod(std::string(text).c_str(), nullptr);
    }
    return n;
  }
  if (!(first == '+' || first == '-' || (first >= '0' && first <= '9'))) return n;
  std::string plain(text);
  plain.erase(std::remove(plain.begin(), plain.end(), '_'), plain.end());
  GoInt integer = go_parse_int(plain);
  bool fits = integer.ok && (integer.negative ? integer.magnitude <= uint64_t{1} << 63
                                              : true);  // ParseUint takes what ParseInt cannot
  if (fits) {
    n.kind = Kind::integer;
    n.integer = integer;
    return n;
  }
  if (yaml_style_float(plain)) {
    errno = 0;
    double value = std::strtod(plain.c_str(), nullptr);
    if (errno != ERANGE) {
      n.kind = Kind::floating;
      n.floating = value;
    }
  }
  return n;
}

std::string_view short_tag(Kind kind) {
  switch (kind) {
    case Kind::null:
      return "!!null";
    case Kind::boolean:
      return "!!bool";
    case Kind::integer:
      return "!!int";
    case Kind::floating:
      return "!!float";
    case Kind::string:
      return "!!str";
    case Kind::sequence:
      return "!!seq";
    case Kind::mapping:
      return "!!map";
  }
  return "!!str";
}

Position position_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {};
  return {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
}

}  // namespace

Kind Decoder::kind(const YAML::Node& node) const {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return Kind::sequence;
    case YAML::NodeType::Map:
      return Kind::mapping;
    case YAML::NodeType::Scalar:
      break;
    default:
      return Kind::null;
  }
  const std::string& tag = node.Tag();
  if (tag == "tag:yaml.org,2002:str" || tag == "!") return Kind::string;
  if (tag == "tag:yaml.org,2002:int") return Kind::integer;
  if (tag == "tag:yaml.org,2002:float") return Kind::floating;
  if (tag == "tag:yaml.org,2002:bool") return Kind::boolean;
  if (tag == "tag:yaml.org,2002:null") return Kind::null;
  const std::string& text = node.Scalar();
  if (yaml_bool(text)) return Kind::boolean;
  return resolve_number(text).kind;
}

bool Decoder::type_error(const YAML::Node& node, std::string_view go_type) {
  Kind k = kind(node);
  std::string value;
  if (k != Kind::sequence && k != Kind::mapping) {
    const std::string& text = node.IsScalar() ? node.Scalar() : std::string();
    // yaml.v2 shows ten bytes at most.
    value =
        text.size() > 10 ? fmt::format(" `{}...`", text.substr(0, 7)) : fmt::format(" `{}`", text);
  }
  type_errors_.push_back(fmt::format("line {}: cannot unmarshal {}{} into {}",
                                     position_of(node).line, short_tag(k), value, go_type));
  if (type_errors_.size() == 1) first_error_at_ = position_of(node);
  return false;
}

void Decoder::field_error(const YAML::Node& key, std::string_view text) {
  type_errors_.push_back(fmt::format("line {}: {}", position_of(key).line, text));
  if (type_errors_.size() == 1) first_error_at_ = position_of(key);
}

void Decoder::throw_type_errors() const {
  if (type_errors_.empty()) return;
  std::string message = "yaml: unmarshal errors:";
  for (const auto& e : type_errors_)
    message += "\n  " + e;
  Refusal r;
  r.message = std::move(message);
  r.file = file_;
  r.position = first_error_at_;
  r.kind = "type";
  r.value = type_errors_.front();
  throw Stop{std::move(r)};
}

void Decoder::fail(const YAML::Node* at, std::string message, std::string kind,
                   std::string value) const {
  Refusal r;
  r.message = std::move(message);
  r.file = file_;
  if (at) r.position = position_of(*at);
  r.kind = std::move(kind);
  r.value = std::move(value);
  throw Stop{std::move(r)};
}

bool Decoder::string(const YAML::Node& node, std::string& out) {
  switch (kind(node)) {
    case Kind::null:
      out.clear();
      return true;
    case Kind::sequence:
    case Kind::mapping:
      return type_error(node, "string");
    default:
      out = node.Scalar();
      return true;
  }
}

bool Decoder::boolean(const YAML::Node& node, bool& out) {
  Kind k = kind(node);
  if (k == Kind::null) {
    out = false;
    return true;
  }
  if (k != Kind::boolean) return type_error(node, "bool");
  auto value = yaml_bool(node.Scalar());
  out = value.value_or(node.Scalar() == "true");
  return true;
}

bool Decoder::unsigned_int(const YAML::Node& node, uint64_t& out, std::string_view go_type) {
  Kind k = kind(node);
  if (k == Kind::null) {
    out = 0;
    return true;
  }
  if (k == Kind::integer) {
    GoInt i = go_parse_int([&] {
      std::string plain = node.Scalar();
      plain.erase(std::remove(plain.begin(), plain.end(), '_'), plain.end());
      return plain;
    }());
    if (i.ok && (!i.negative || i.magnitude == 0)) {
      out = i.magnitude;
      return true;
    }
    return type_error(node, go_type);
  }
  if (k == Kind::floating) {
    Number n = resolve_number(node.Scalar());
    // Go converts and checks only the upper bound, as yaml.v2 does.
    if (n.floating <= 18446744073709551615.0 && !std::isnan(n.floating)) {
      out = n.floating < 0 ? 0 : static_cast<uint64_t>(n.floating);
      return true;
    }
  }
  return type_error(node, go_type);
}

bool Decoder::signed_int(const YAML::Node& node, int64_t& out, std::string_view go_type) {
  Kind k = kind(node);
  if (k == Kind::null) {
    out = 0;
    return true;
  }
  if (k == Kind::integer) {
    std::string plain = node.Scalar();
    plain.erase(std::remove(plain.begin(), plain.end(), '_'), plain.end());
    GoInt i = go_parse_int(plain);
    uint64_t limit = i.negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (i.ok && i.magnitude <= limit) {
      out = i.negative ? static_cast<int64_t>(0 - i.magnitude) : static_cast<int64_t>(i.magnitude);
      return true;
    }
    return type_error(node, go_type);
  }
  if (k == Kind::floating) {
    Number n = resolve_number(node.Scalar());
    if (n.floating <= 9223372036854775807.0 && n.floating >= -9223372036854775808.0) {
      out = static_cast<int64_t>(n.floating);
      return true;
    }
  }
  return type_error(node, go_type);
}

bool Decoder::floating(const YAML::Node& node, double& out) {
  Kind k = kind(node);
  if (k == Kind::null) {
    out = 0;
    return true;
  }
  if (k == Kind::integer) {
    int64_t i = 0;
    if (signed_int(node, i)) out = static_cast<double>(i);
    return true;
  }
  if (k == Kind::floating) {
    out = resolve_number(node.Scalar()).floating;
    return true;
  }
  return type_error(node, "float64");
}

bool Decoder::strings(const YAML::Node& node, std::vector<std::string>& out,
                      std::string_view go_type) {
  out.clear();
  Kind k = kind(node);
  if (k == Kind::null) return true;
  if (k != Kind::sequence) return type_error(node, go_type);
  bool good = true;
  for (const auto& item : node) {
    std::string s;
    good &= string(item, s);
    out.push_back(std::move(s));
  }
  return good;
}

bool Decoder::string_map(const YAML::Node& node,
                         std::vector<std::pair<std::string, std::string>>& out,
                         std::string_view go_type) {
  out.clear();
  Kind k = kind(node);
  if (k == Kind::null) return true;
  if (k != Kind::mapping) return type_error(node, go_type);
  bool good = true;
  for (const auto& entry : node) {
    std::string key, value;
    if (!string(entry.first, key) || !string(entry.second, value)) {
      good = false;
      continue;
    }
    auto same =
        std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == key; });
    if (same != out.end()) {
      field_error(entry.first, fmt::format("key {} already set in map", go_quote(key)));
      good = false;
      continue;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return good;
}

bool Decoder::duration(const YAML::Node& node, int64_t& milliseconds) {
  Kind k = kind(node);
  if (k == Kind::null) {
    milliseconds = 0;  // unset: the default applies
    return true;
  }
  std::string text;
  if (!string(node, text)) return false;
  if (text.empty()) fail(&node, "empty duration string", "duration", text);
  auto parsed = rules::parse_duration(text);
  if (!parsed) {
    fail(&node, fmt::format("not a valid duration string: {}", go_quote(text)), "duration", text);
  }
  milliseconds = *parsed;
  return true;
}

bool Decoder::label_set(const YAML::Node& node,
                        std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  Kind k = kind(node);
  if (k == Kind::null) return true;
  if (k != Kind::mapping) return type_error(node, "model.LabelSet");
  bool good = true;
  for (const auto& entry : node) {
    std::string name, value;
    if (!string(entry.first, name)) {
      good = false;
      continue;
    }
    if (!is_label_name(name)) {
      fail(&entry.first, fmt::format("{} is not a valid label name", go_quote(name)), "label_name",
           name);
    }
    if (!string(entry.second, value)) {
      good = false;
      continue;
    }
    auto same =
        std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == name; });
    if (same != out.end()) {
      field_error(entry.first, fmt::format("key {} already set in map", go_quote(name)));
      good = false;
      continue;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return good;
}

Fields::Fields(Decoder& decoder, const YAML::Node& node, std::string go_type)
    : decoder_(decoder), go_type_(std::move(go_type)) {
  Kind k = decoder.kind(node);
  if (k == Kind::null) return;
  if (k != Kind::mapping) {
    ok_ = decoder.type_error(node, go_type_);
    return;
  }
  for (const auto& entry : node) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    // A plain `<<` is YAML 1.1's merge key; a quoted or !!str-tagged one is an ordinary key.
    const std::string& tag = entry.first.Tag();
    if (key == "<<" && tag != "!" && tag != "tag:yaml.org,2002:str") {
      // A merge: the merged mappings' entries come here, the first mapping of a list winning.
      std::vector<YAML::Node> merged;
      if (entry.second.IsMap()) {
        merged.push_back(entry.second);
      } else if (entry.second.IsSequence()) {
        for (std::size_t i = entry.second.size(); i-- > 0;)
          merged.push_back(entry.second[i]);
      } else {
        decoder.fail(&entry.second, "map merge requires map or sequence of maps as the value",
                     "yaml");
      }
      for (const auto& m : merged) {
        if (!m.IsMap()) {
          decoder.fail(&m, "map merge requires map or sequence of maps as the value", "yaml");
        }
        for (const auto& inner : m) {
          entries_.push_back({inner.first.IsScalar() ? inner.first.Scalar() : std::string(),
                              inner.first, inner.second, true});
        }
      }
      continue;
    }
    entries_.push_back({std::move(key), entry.first, entry.second, false});
  }
}

bool Fields::first(const Entry& entry) {
  if (entry.merged) return true;
  if (std::find(done_.begin(), done_.end(), entry.key) != done_.end()) {
    decoder_.field_error(entry.key_node,
                         fmt::format("field {} already set in type {}", entry.key, go_type_));
    return false;
  }
  done_.push_back(entry.key);
  return true;
}

void Fields::unknown(const Entry& entry) {
  decoder_.field_error(entry.key_node,
                       fmt::format("field {} not found in type {}", entry.key, go_type_));
}

}  // namespace e2e3d::promconfig::detail
