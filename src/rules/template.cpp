// A small Go text/template interpreter for alert templates. It parses each action into tokens,
// evaluates pipelines left to right (a piped value becomes the last argument, as in Go) and
// formats values with Go's fmt rules so the text matches what Prometheus sends.
#include "e2e3d/rules/template.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "e2e3d/error.hpp"
#include "rules/go_format.hpp"

namespace e2e3d::rules {
namespace {

// The template's root data (Prometheus's struct with Labels, ExternalLabels, Value, ...).
struct Root {};
using Value = std::variant<double, std::string, std::map<std::string, std::string>, Root>;

struct TemplateFailure {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw TemplateFailure{std::move(message)};
}

enum class T { variable, field, dot, ident, string, number, pipe, lparen, rparen, declare, assign };

struct Token {
  T type;
  std::string text;  // variable: with '$'; field: without '.'; string: unquoted
  double number = 0;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string unquote_go(std::string_view body, char quote) {
  if (quote == '`') return std::string(body);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) fail("unterminated quoted string");
    switch (body[i]) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case '\\':
      case '"':
      case '\'':
        out.push_back(body[i]);
        break;
      default:
        fail(fmt::format("invalid syntax in string: \\{}", body[i]));
    }
  }
  return out;
}

std::vector<Token> lex_action(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '|') {
      tokens.push_back({T::pipe, "|"});
      ++i;
    } else if (c == '(') {
      tokens.push_back({T::lparen, "("});
      ++i;
    } else if (c == ')') {
      tokens.push_back({T::rparen, ")"});
      ++i;
    } else if (c == ':' && i + 1 < s.size() && s[i + 1] == '=') {
      tokens.push_back({T::declare, ":="});
      i += 2;
    } else if (c == '=') {
      tokens.push_back({T::assign, "="});
      ++i;
    } else if (c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != c)
        j += (s[j] == '\\' && c == '"') ? 2 : 1;
      if (j >= s.size()) fail("unterminated quoted string");
      tokens.push_back({T::string, unquote_go(s.substr(i + 1, j - i - 1), c)});
      i = j + 1;
    } else if (c == '$') {
      size_t j = i + 1;
      while (j < s.size() && is_word(s[j]))
        ++j;
      tokens.push_back({T::variable, std::string(s.substr(i, j - i))});
      i = j;
    } else if (c == '.') {
      size_t j = i + 1;
      while (j < s.size() && is_word(s[j]))
        ++j;
      if (j == i + 1) {
        tokens.push_back({T::dot, "."});
      } else {
        tokens.push_back({T::field, std::string(s.substr(i + 1, j - i - 1))});
      }
      i = j;
    } else if ((c >= '0' && c <= '9') ||
               ((c == '-' || c == '+') && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9')) {
      size_t j = i + 1;
      while (j < s.size() &&
             (is_word(s[j]) || s[j] == '.' ||
              ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
        ++j;
      std::string text(s.substr(i, j - i));
      double v = 0;
      std::string_view digits = text;
      if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        fail(fmt::format("bad number syntax: \"{}\"", text));
      }
      tokens.push_back({T::number, text, v});
      i = j;
    } else if (is_word(c)) {
      size_t j = i;
      while (j < s.size() && is_word(s[j]))
        ++j;
      tokens.push_back({T::ident, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      fail(fmt::format("unexpected \"{}\" in command", c));
    }
  }
  return tokens;
}

double to_float(const Value& v, std::string_view function) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const std::string* s = std::get_if<std::string>(&v)) {
    std::string_view text = *s;
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
      negative = text.front() == '-';
      text.remove_prefix(1);
    }
    double out = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      fail(fmt::format("error calling {}: strconv.ParseFloat: parsing \"{}\": invalid syntax",
                       function, *s));
    }
    return negative ? -out : out;
  }
  fail(fmt::format("error calling {}: can't convert {} to float", function,
                   v.index() == 2 ? "map[string]string" : "struct"));
}

std::string to_string_arg(const Value& v, std::string_view function) {
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  fail(fmt::format("wrong type for value in {}; expected string; got {}", function,
                   v.index() == 0 ? "float64" : "map[string]string"));
}

TemplateValue plain(const Value& v) {
  switch (v.index()) {
    case 0:
      return std::get<0>(v);
    case 1:
      return std::get<1>(v);
    case 2:
      return std::get<2>(v);
    default:
      return std::string("{...}");
  }
}

std::string g4(double v) {
  return go_sprintf("%.4g", {v});
}

std::string humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return g4(v);
  static const char* kBig[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  static const char* kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
  std::string prefix;
  if (std::fabs(v) >= 1) {
    for (const char* p : kBig) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const char* p : kSmall) {
      if (std::fabs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return g4(v) + prefix;
}

std::string humanize1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return g4(v);
  static const char* kPrefixes[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  std::string prefix;
  for (const char* p : kPrefixes) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return g4(v) + prefix;
}

std::string humanize_duration(double v) {
  if (std::isnan(v) || std::isinf(v)) return g4(v);
  if (v == 0) return g4(v) + "s";
  if (std::fabs(v) >= 1) {
    std::string sign;
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    const int64_t whole = static_cast<int64_t>(v);
    const int64_t seconds = whole % 60, minutes = (whole / 60) % 60, hours = (whole / 3600) % 24,
                  days = whole / 86400;
    if (days != 0) return fmt::format("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds);
    if (hours != 0) return fmt::format("{}{}h {}m {}s", sign, hours, minutes, seconds);
    if (minutes != 0) return fmt::format("{}{}m {}s", sign, minutes, seconds);
    return sign + g4(v) + "s";
  }
  static const char* kSmall[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
  std::string prefix;
  for (const char* p : kSmall) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return g4(v) + prefix + "s";
}

// Go's time.Time.String() in UTC at Prometheus's millisecond precision.
std::string humanize_timestamp(double v) {
  if (std::isnan(v) || std::isinf(v)) return g4(v);
  const int64_t ms = static_cast<int64_t>(v * 1e9) / 1'000'000;
  int64_t secs = ms / 1000;
  int64_t frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (frac != 0) {
    std::string f = fmt::format("{:03}", frac);
    while (f.back() == '0')
      f.pop_back();
    out += "." + f;
  }
  return out + " +0000 UTC";
}

std::string title(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = !is_word(c) && c != '\'';
  }
  return s;
}

// The bytes a value holds, for the limits.
std::size_t size_of(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return s->size();
  if (const auto* map = std::get_if<std::map<std::string, std::string>>(&v)) {
    std::size_t bytes = 0;
    for (const auto& [name, value] : *map)
      bytes += name.size() + value.size();
    return bytes;
  }
  return sizeof(double);
}

class Interpreter {
 public:
  Interpreter(const TemplateData& data, TemplateBudget* budget, const TemplateLimits& limits)
      : data_(data), budget_(budget), limits_(limits) {
    vars_["$"] = Root{};
    vars_["$labels"] = data.labels;
    vars_["$externalLabels"] = data.external_labels;
    vars_["$externalURL"] = data.external_url;
    vars_["$value"] = data.value;
  }

  // Runs one action; returns what it prints (nothing for a declaration).
  std::string action(const std::vector<Token>& tokens) {
    tokens_ = &tokens;
    pos_ = 0;
    if (tokens.empty()) fail("missing value for command");
    if (tokens[0].type == T::ident) {
      static const char* kControl[] = {"if",     "else",  "end",   "range",    "with",
                                       "define", "block", "break", "continue", "template"};
      for (const char* k : kControl) {
        if (tokens[0].text == k) {
          fail(fmt::format("'{}' is not supported by e2e3d-metrics' template subset", k));
        }
      }
    }
    std::optional<std::string> declare;
    if (tokens.size() > 2 && tokens[0].type == T::variable &&
        (tokens[1].type == T::declare || tokens[1].type == T::assign)) {
      declare = tokens[0].text;
      if (tokens[1].type == T::assign && !vars_.count(*declare)) {
        fail(fmt::format("undefined variable: {}", *declare));
      }
      pos_ = 2;
    }
    Value v = pipeline();
    if (pos_ != tokens.size()) fail(fmt::format("unexpected \"{}\" in operand", tokens[pos_].text));
    if (declare) {
      vars_[*declare] = checked(std::move(v));
      return "";
    }
    if (std::holds_alternative<Root>(v)) fail("cannot print the template's root data");
    return go_sprint(plain(v));
  }

 private:
  const Token* peek() const { return pos_ < tokens_->size() ? &(*tokens_)[pos_] : nullptr; }

  Value pipeline() {
    std::optional<Value> piped;
    while (true) {
      piped = command(piped);
      const Token* t = peek();
      if (!t || t->type != T::pipe) break;
      ++pos_;
    }
    return *piped;
  }

  Value command(const std::optional<Value>& piped) {
    const Token* head = peek();
    if (!head || head->type == T::pipe || head->type == T::rparen)
      fail("missing value for command");
    if (head->type == T::ident && head->text != "true" && head->text != "false") {
      ++pos_;
      std::vector<Value> args;
      while (const Token* t = peek()) {
        if (t->type == T::pipe || t->type == T::rparen) break;
        args.push_back(operand());
      }
      if (piped) args.push_back(checked(*piped));
      return checked(call(head->text, args));
    }
    Value v = operand();
    const Token* t = peek();
    if (piped || (t && t->type != T::pipe && t->type != T::rparen)) {
      fail(fmt::format("can't give argument to non-function {}", head->text));
    }
    return v;
  }

  Value operand() {
    const Token& t = (*tokens_)[pos_++];
    Value v;
    switch (t.type) {
      case T::variable: {
        auto it = vars_.find(t.text);
        if (it == vars_.end()) fail(fmt::format("undefined variable \"{}\"", t.text));
        v = it->second;
        break;
      }
      case T::dot:
        v = Root{};
        break;
      case T::field:
        v = field(Root{}, t.text);
        break;
      case T::string:
        v = t.text;
        break;
      case T::number:
        v = t.number;
        break;
      case T::lparen: {
        v = pipeline();
        const Token* close = peek();
        if (!close || close->type != T::rparen) fail("unclosed left paren");
        ++pos_;
        break;
      }
      case T::ident:
        if (t.text == "true" || t.text == "false") fail("booleans are not supported");
        v = call(t.text, {});
        break;
      default:
        fail(fmt::format("unexpected \"{}\" in operand", t.text));
    }
    while (const Token* f = peek()) {
      if (f->type != T::field) break;
      ++pos_;
      v = field(v, f->text);
    }
    return checked(std::move(v));
  }

  // Every value made or copied passes here: none may be longer than an expansion may be, and
  // together they may not pass the expansion's work nor the run's budget.
  Value checked(Value v) {
    std::size_t bytes = size_of(v);
    if (bytes > limits_.max_output) too_long();
    work_ += bytes;
    if (work_ > limits_.max_work) {
      fail(
          fmt::format("the template made more than {} bytes of values (a variable that "
                      "doubles in a loop?), the limit of one expansion",
                      limits_.max_work));
    }
    if (budget_ && !budget_->spend(bytes)) {
      fail(
          fmt::format("the templates of this run made more than {} bytes of values together, "
                      "the limit of one run: expand fewer or simpler templates",
                      budget_->total()));
    }
    return v;
  }

 public:
  [[noreturn]] void too_long() const {
    fail(
        fmt::format("the expansion would be longer than {} bytes, the limit of a template's "
                    "output",
                    limits_.max_output));
  }
  const TemplateLimits& limits() const { return limits_; }

 private:
  Value field(const Value& on, const std::string& name) {
    if (std::holds_alternative<Root>(on)) {
      if (name == "Labels") return data_.labels;
      if (name == "ExternalLabels") return data_.external_labels;
      if (name == "ExternalURL") return data_.external_url;
      if (name == "Value") return data_.value;
      fail(
          fmt::format("can't evaluate field {} in type struct {{ Labels map[string]string; "
                      "ExternalLabels map[string]string; ExternalURL string; Value float64 }}",
                      name));
    }
    if (const auto* map = std::get_if<std::map<std::string, std::string>>(&on)) {
      auto it = map->find(name);
      return it == map->end() ? std::string() : it->second;  // missingkey=zero
    }
    fail(fmt::format("can't evaluate field {} in type {}", name,
                     on.index() == 0 ? "float64" : "string"));
  }

  Value call(const std::string& name, const std::vector<Value>& args) {
    auto arity = [&](size_t n) {
      if (args.size() != n) {
        fail(fmt::format("wrong number of args for {}: want {} got {}", name, n, args.size()));
      }
    };
    if (name == "humanize") {
      arity(1);
      return humanize(to_float(args[0], name));
    }
    if (name == "humanize1024") {
      arity(1);
      return humanize1024(to_float(args[0], name));
    }
    if (name == "humanizeDuration") {
      arity(1);
      return humanize_duration(to_float(args[0], name));
    }
    if (name == "humanizePercentage") {
      arity(1);
      return go_sprintf("%.4g%%", {to_float(args[0], name) * 100});
    }
    if (name == "humanizeTimestamp") {
      arity(1);
      return humanize_timestamp(to_float(args[0], name));
    }
    if (name == "toUpper" || name == "toLower" || name == "title") {
      arity(1);
      std::string s = to_string_arg(args[0], name);
      if (name == "title") return title(s);
      for (char& c : s) {
        if (name == "toUpper" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (name == "toLower" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      return s;
    }
    if (name == "printf") {
      if (args.empty()) fail("wrong number of args for printf: want at least 1 got 0");
      std::string format = to_string_arg(args[0], name);
      std::vector<TemplateValue> rest;
      for (size_t i = 1; i < args.size(); ++i)
        rest.push_back(plain(args[i]));
      return go_sprintf(format, rest, limits_.max_output + 1);
    }
    if (name == "print") {
      std::string out;
      for (size_t i = 0; i < args.size(); ++i) {
        // fmt.Sprint puts a space between operands when neither is a string.
        if (i > 0 && args[i].index() != 1 && args[i - 1].index() != 1) out += " ";
        out += go_sprint(plain(args[i]));
        if (out.size() > limits_.max_output) too_long();
      }
      return out;
    }
    if (name == "index") {
      arity(2);
      const auto* map = std::get_if<std::map<std::string, std::string>>(&args[0]);
      if (!map) fail("error calling index: can't index item of this type");
      auto it = map->find(to_string_arg(args[1], name));
      return it == map->end() ? std::string() : it->second;
    }
    fail(fmt::format("function \"{}\" not defined", name));
  }

  const TemplateData& data_;
  TemplateBudget* budget_;
  TemplateLimits limits_;
  std::size_t work_ = 0;
  std::map<std::string, Value> vars_;
  const std::vector<Token>* tokens_ = nullptr;
  size_t pos_ = 0;
};

// Line and column (1-based) of byte `offset` in `text`.
std::pair<int, int> line_column(std::string_view text, size_t offset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

std::string expand_template(std::string_view text, const TemplateData& data, std::string_view name,
                            TemplateBudget* budget, const TemplateLimits& limits) {
  Interpreter interpreter(data, budget, limits);
  std::string out;
  size_t i = 0;
  size_t action_start = 0;
  try {
    while (i < text.size()) {
      size_t open = text.find("{{", i);
      if (open == std::string_view::npos) {
        out.append(text.substr(i));
        break;
      }
      action_start = open;
      std::string_view before = text.substr(i, open - i);
      size_t body = open + 2;
      // "{{- " trims the whitespace before the action.
      if (body + 1 < text.size() && text[body] == '-' && is_space(text[body + 1])) {
        while (!before.empty() && is_space(before.back()))
          before.remove_suffix(1);
        body += 2;
      }
      out.append(before);
      size_t close = std::string_view::npos;
      size_t scan = body;
      char quote = 0;
      for (; scan + 1 < text.size(); ++scan) {  // "}}" inside a string does not close
        char c = text[scan];
        if (quote) {
          if (c == '\\' && quote == '"')
            ++scan;
          else if (c == quote)
            quote = 0;
        } else if (c == '"' || c == '`') {
          quote = c;
        } else if (c == '}' && text[scan + 1] == '}') {
          close = scan;
          break;
        }
      }
      if (close == std::string_view::npos) fail("unclosed action");
      size_t end = close;
      bool trim_after = false;
      if (end >= body + 2 && text[end - 1] == '-' && is_space(text[end - 2])) {
        trim_after = true;
        end -= 1;
      }
      std::string_view inner = text.substr(body, end - body);
      size_t first = inner.find_first_not_of(" \t\r\n");
      std::string_view trimmed = first == std::string_view::npos ? "" : inner.substr(first);
      if (trimmed.substr(0, 2) == "/*") {
        size_t last = trimmed.find_last_not_of(" \t\r\n");
        if (last == std::string_view::npos || last < 3 || trimmed.substr(last - 1, 2) != "*/") {
          fail("unclosed comment");
        }
      } else {
        out += interpreter.action(lex_action(inner));
      }
      if (out.size() > limits.max_output) interpreter.too_long();
      i = close + 2;
      if (trim_after) {
        while (i < text.size() && is_space(text[i]))
          ++i;
      }
    }
  } catch (const TemplateFailure& failure) {
    auto [line, column] = line_column(text, action_start);
    throw Error(ErrorKind::eval, fmt::format("error expanding template {}: {}:{}: {}", name, line,
                                             column, failure.message));
  }
  return out;
}

std::string expand_alert_template(std::string_view text, const TemplateData& data,
                                  std::string_view name, TemplateBudget* budget) {
  try {
    return expand_template(text, data, name, budget);
  } catch (const Error& e) {
    return fmt::format("<error expanding template: {}>", e.what());
  }
}

}  // namespace e2e3d::rules
