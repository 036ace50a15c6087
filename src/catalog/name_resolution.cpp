// Documented names versus exposed names. The Python client exposes a counter created as `x` as
// `x_total` (and adds `x_created`), so the document's queries name series that do not exist.
#include <cctype>

#include "e2e3d/catalog.hpp"

namespace e2e3d::catalog {
namespace {

constexpr std::string_view kTotal = "_total";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool is_name_char(char c) {
  return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

}  // namespace

std::vector<std::string> candidate_names(std::string_view documented) {
  std::vector<std::string> out{std::string(documented)};
  if (ends_with(documented, kTotal)) {
    out.emplace_back(documented.substr(0, documented.size() - kTotal.size()));
  } else {
    out.push_back(std::string(documented) + std::string(kTotal));
  }
  return out;
}

std::vector<ResolvedName> resolve_names(const Scrape& scrape) {
  std::vector<ResolvedName> out;
  for (const auto& metric : metrics()) {
    ResolvedName resolved{metric.name, std::nullopt};
    for (const auto& candidate : candidate_names(metric.name)) {
      if (!scrape.series_named(candidate).empty()) {
        resolved.exposed = candidate;
        break;
      }
    }
    out.push_back(std::move(resolved));
  }
  return out;
}

// A small PromQL-aware scan rather than the full parser: it must rewrite the document's
// expressions even where the expression would not evaluate, and keep the user's spacing.
std::string rewrite_expression(std::string_view expr, const std::vector<ResolvedName>& names) {
  std::string out;
  out.reserve(expr.size() + 16);
  bool label_list_next = false;  // after by/without/on/ignoring/group_*: a list of label names
  int label_depth = 0;           // inside {...} or a label list: names are labels, not metrics
  size_t i = 0;
  while (i < expr.size()) {
    char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') {
      size_t j = i + 1;
      while (j < expr.size() && expr[j] != c)
        j += (expr[j] == '\\' && c != '`') ? 2 : 1;
      j = std::min(j + 1, expr.size());
      out.append(expr.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '#') {  // comment to end of line
      size_t j = expr.find('\n', i);
      if (j == std::string_view::npos) j = expr.size();
      out.append(expr.substr(i, j - i));
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < expr.size() &&
         std::isdigit(static_cast<unsigned char>(expr[i + 1])))) {
      size_t j = i;  // numbers and durations: 1e3, 0x1f, 5m, 1h30m
      while (j < expr.size() && (is_name_char(expr[j]) || expr[j] == '.'))
        ++j;
      out.append(expr.substr(i, j - i));
      i = j;
      continue;
    }
    if (is_name_start(c)) {
      size_t j = i;
      while (j < expr.size() && is_name_char(expr[j]))
        ++j;
      std::string_view word = expr.substr(i, j - i);
      size_t k = j;
      while (k < expr.size() && std::isspace(static_cast<unsigned char>(expr[k])))
        ++k;
      bool is_call = k < expr.size() && expr[k] == '(';
      if (word == "by" || word == "without" || word == "on" || word == "ignoring" ||
          word == "group_left" || word == "group_right") {
        label_list_next = true;
        out.append(word);
      } else if (label_depth == 0 && !is_call) {
        std::string_view replacement = word;
        for (const auto& n : names) {
          if (n.documented == word && n.exposed) replacement = *n.exposed;
        }
        out.append(replacement);
      } else {
        out.append(word);
      }
      i = j;
      continue;
    }
    if (c == '{' || (c == '(' && label_list_next)) {
      ++label_depth;
      label_list_next = false;
    } else if ((c == '}' || c == ')') && label_depth > 0) {
      --label_depth;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      label_list_next = false;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace e2e3d::catalog
