// Finding alerts that compare counters' lifetime totals, on the parsed expression: a counter
// selected without a range whose value reaches a comparison through arithmetic, aggregation or
// value-keeping functions. `absent(x)`, `timestamp(x)` and friends do not compare the total.
#include <algorithm>
#include <array>
#include <cctype>

#include "e2e3d/promql/lexer.hpp"
#include "e2e3d/promql/parser.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/generate.hpp"
#include "e2e3d/rules/windowed.hpp"

namespace e2e3d::rules {
namespace {

using promql::Expr;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_counter(std::string_view name, const Scrape* scrape) {
  if (ends_with(name, "_created")) return false;  // a counter's creation time, not its total
  if (scrape) {
    auto series = scrape->series_named(name);
    if (!series.empty()) {
      MetricType type = scrape->families()[scrape->series(series.front()).family].type;
      if (type != MetricType::unknown) return type == MetricType::counter;
    }
  }
  for (const auto& metric : catalog::metrics()) {
    if (metric.type != MetricType::counter) continue;
    for (const auto& candidate : catalog::candidate_names(metric.name)) {
      if (candidate == name) return true;
    }
  }
  return ends_with(name, "_total");
}

// Functions whose result is their argument's values, changed but still the same quantity.
bool keeps_values(std::string_view function) {
  static constexpr std::array<std::string_view, 17> kKeeping = {
      "abs",  "ceil",  "floor", "round", "clamp", "clamp_min", "clamp_max",     "exp",       "ln",
      "log2", "log10", "sqrt",  "sgn",   "sort",  "sort_desc", "label_replace", "label_join"};
  return std::find(kKeeping.begin(), kKeeping.end(), function) != kKeeping.end();
}

struct Found {
  uint32_t pos;
  std::string name;
};

void walk(const Expr& e, bool compared, std::vector<Found>& found, const Scrape* scrape) {
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, promql::VectorSelector>) {
          if (compared && is_counter(node.name, scrape)) found.push_back({e.pos, node.name});
        } else if constexpr (std::is_same_v<T, promql::ParenExpr> ||
                             std::is_same_v<T, promql::UnaryExpr>) {
          walk(*node.expr, compared, found, scrape);
        } else if constexpr (std::is_same_v<T, promql::BinaryExpr>) {
          bool below = compared || promql::is_comparison(node.op);
          walk(*node.lhs, below, found, scrape);
          walk(*node.rhs, below, found, scrape);
        } else if constexpr (std::is_same_v<T, promql::AggregateExpr>) {
          walk(*node.expr, compared, found, scrape);
        } else if constexpr (std::is_same_v<T, promql::Call>) {
          if (node.func && keeps_values(node.func->name) && !node.args.empty())
            walk(*node.args.front(), compared, found, scrape);
        }
        // Range selectors and subqueries are windows already; literals compare nothing.
      },
      e.node);
}

// Where the selector that starts at byte `pos` ends: its name, its {matchers}, then any
// `offset` and `@` modifiers, which must move inside the range function with it.
size_t selector_end(const std::vector<promql::Token>& tokens, uint32_t pos) {
  using promql::Tok;
  size_t i = 0;
  while (i < tokens.size() && tokens[i].pos < pos)
    ++i;
  auto end_of = [&](size_t k) { return tokens[k].pos + tokens[k].text.size(); };
  size_t last = i;
  if (i < tokens.size() &&
      (tokens[i].type == Tok::identifier || tokens[i].type == Tok::metric_identifier)) {
    last = i++;
  }
  if (i < tokens.size() && tokens[i].type == Tok::left_brace) {
    while (i < tokens.size() && tokens[i].type != Tok::right_brace && tokens[i].type != Tok::eof)
      ++i;
    last = i++;
  }
  for (;;) {
    if (i < tokens.size() && tokens[i].type == Tok::offset) {
      ++i;
      if (i < tokens.size() && (tokens[i].type == Tok::sub || tokens[i].type == Tok::add)) ++i;
      last = i++;
    } else if (i < tokens.size() && tokens[i].type == Tok::at) {
      ++i;
      if (i < tokens.size() && (tokens[i].type == Tok::start || tokens[i].type == Tok::end)) {
        i += 2;  // start ( )
      } else if (i < tokens.size() && (tokens[i].type == Tok::sub || tokens[i].type == Tok::add)) {
        ++i;
      }
      last = i++;
    } else {
      break;
    }
  }
  return end_of(std::min(last, tokens.size() - 1));
}

std::string squeezed(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// The document's windowed form when `expr` is a document alert under some naming.
std::optional<std::string> documented_windowed(const Rule& rule, std::string_view expr,
                                               const Scrape* scrape, int64_t window_ms) {
  for (const auto& alert : catalog::alerts()) {
    if (alert.name != rule.name || !catalog::find_windowed_alert(alert.name)) continue;
    std::vector<std::vector<catalog::ResolvedName>> namings = {documented_names(),
                                                               python_client_names()};
    if (scrape) namings.push_back(catalog::resolve_names(*scrape));
    for (const auto& names : namings) {
      if (squeezed(catalog::rewrite_expression(alert.expr, names)) == squeezed(expr))
        return windowed_alert_expression(alert.name, names, window_ms);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<LifetimeComparison> find_lifetime_comparison(const Rule& rule, std::string_view expr,
                                                           const Scrape* scrape) {
  if (rule.kind != RuleKind::alerting) return std::nullopt;
  promql::ExprPtr tree = promql::parse(expr);
  std::vector<Found> found;
  walk(*tree, false, found, scrape);
  if (found.empty()) return std::nullopt;

  LifetimeComparison out;
  out.window_ms = default_window_ms(rule);
  for (const auto& f : found) {
    if (std::find(out.counters.begin(), out.counters.end(), f.name) == out.counters.end())
      out.counters.push_back(f.name);
  }
  if (auto documented = documented_windowed(rule, expr, scrape, out.window_ms)) {
    out.windowed_expr = *documented;
    return out;
  }
  // Rewritten from the end, so earlier positions stay valid.
  std::vector<promql::Token> tokens = promql::lex(expr);
  std::string rewritten(expr);
  std::string window = format_duration(out.window_ms);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.pos > b.pos; });
  for (const auto& f : found) {
    size_t end = selector_end(tokens, f.pos);
    std::string selector = rewritten.substr(f.pos, end - f.pos);
    std::string modifiers;
    // `x offset 1h` becomes `increase(x[15m] offset 1h)`: modifiers follow the range.
    size_t name_end = selector.find_first_of(" \t\n@");
    size_t brace = selector.rfind('}');
    size_t split = brace != std::string::npos ? brace + 1 : name_end;
    if (split != std::string::npos && split < selector.size()) {
      modifiers = selector.substr(split);
      selector.resize(split);
    }
    rewritten.replace(f.pos, end - f.pos,
                      "increase(" + selector + "[" + window + "]" + modifiers + ")");
  }
  out.windowed_expr = rewritten;
  return out;
}

}  // namespace e2e3d::rules
