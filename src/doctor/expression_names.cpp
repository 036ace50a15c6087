#include "expression_names.hpp"

#include <algorithm>
#include <cctype>

namespace e2e3d::doctor {
namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool is_name_char(char c) {
  return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

// Words that are operators or modifiers where a name could stand.
bool is_keyword(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "and",  "or",     "unless", "by",  "without", "on",  "ignoring", "group_left", "group_right",
      "bool", "offset", "atan2",  "inf", "nan",     "Inf", "NaN",      "start",      "end"};
  return std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
}

// Words after which a parenthesised list of label names follows.
bool takes_label_list(std::string_view word) {
  return word == "by" || word == "without" || word == "on" || word == "ignoring" ||
         word == "group_left" || word == "group_right";
}

size_t skip_string(std::string_view s, size_t i) {
  char quote = s[i++];
  while (i < s.size() && s[i] != quote) {
    if (s[i] == '\\' && quote != '`') ++i;
    ++i;
  }
  return std::min(s.size(), i + 1);
}

}  // namespace

std::vector<std::string> expression_metric_names(std::string_view s) {
  std::vector<std::string> names;
  auto add = [&](std::string name) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  };
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '"' || c == '\'' || c == '`') {
      i = skip_string(s, i);
    } else if (c == '#') {  // comment to end of line
      while (i < s.size() && s[i] != '\n')
        ++i;
    } else if (c == '{') {
      // Label matchers: only __name__="x" names a metric.
      size_t close = i + 1;
      while (close < s.size() && s[close] != '}') {
        if (s[close] == '"' || s[close] == '\'' || s[close] == '`')
          close = skip_string(s, close);
        else
          ++close;
      }
      std::string_view body = s.substr(i + 1, close - i - 1);
      auto at = body.find("__name__");
      if (at != std::string_view::npos) {
        auto q = body.find_first_of("\"'`", at);
        auto eq = body.find_first_not_of(" \t", at + 8);
        if (q != std::string_view::npos && eq != std::string_view::npos && body[eq] == '=' &&
            body.substr(eq, 2) != "=~") {
          auto end = body.find(body[q], q + 1);
          if (end != std::string_view::npos) add(std::string(body.substr(q + 1, end - q - 1)));
        }
      }
      i = std::min(s.size(), close + 1);
    } else if (c == '[') {  // range or subquery durations
      while (i < s.size() && s[i] != ']')
        ++i;
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() &&
                std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      // A number or duration (5m, 1e3, 0x1F): letters glued to it belong to it.
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.'))
        ++i;
    } else if (is_name_start(c)) {
      size_t start = i;
      while (i < s.size() && is_name_char(s[i]))
        ++i;
      std::string_view word = s.substr(start, i - start);
      size_t next = i;
      while (next < s.size() && std::isspace(static_cast<unsigned char>(s[next])))
        ++next;
      if (takes_label_list(word)) {
        if (next < s.size() && s[next] == '(') {
          while (next < s.size() && s[next] != ')')
            ++next;
          i = std::min(s.size(), next + 1);
        }
        continue;
      }
      if (is_keyword(word)) continue;
      if (next < s.size() && s[next] == '(') continue;  // a function or aggregation
      // `sum by (x) (...)`: an aggregation with its modifier first.
      size_t word_end = next;
      while (word_end < s.size() && is_name_char(s[word_end]))
        ++word_end;
      std::string_view following = s.substr(next, word_end - next);
      if (following == "by" || following == "without") continue;
      add(std::string(word));
    } else {
      ++i;
    }
  }
  return names;
}

}  // namespace e2e3d::doctor
