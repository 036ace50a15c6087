// alerts.rules: an alert whose expression selects a series the target does not expose returns
// nothing, so it can never fire, and Prometheus says nothing about it. The document's own
// rules do exactly that against the Python client (reconstruction_failure is exposed as
// reconstruction_failure_total). Each such rule is named, with the expression rewritten to
// the exposed names, and every alert's condition is evaluated on the scrape. An alert that
// compares counters' lifetime totals (the document's HighFailureRate) is named with its rewrite
// over a window: on totals, one bad hour after a month hardly moves the ratio and a bad start
// keeps it high for days.
#include <variant>

#include <fmt/format.h>

#include "checks.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/rules/windowed.hpp"

namespace e2e3d::doctor {
namespace {

bool contains_word(std::string_view expr, std::string_view word) {
  size_t pos = 0;
  while ((pos = expr.find(word, pos)) != std::string_view::npos) {
    bool left = pos == 0 ||
                !(std::isalnum(static_cast<unsigned char>(expr[pos - 1])) || expr[pos - 1] == '_');
    size_t end = pos + word.size();
    bool right = end >= expr.size() ||
                 !(std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '_');
    if (left && right) return true;
    pos = end;
  }
  return false;
}

}  // namespace

Result check_alerts_rules(Context& context) {
  const ScrapeProbe& probe = context.scrape();
  if (!probe.scrape)
    return fail("no scrape to check the rules on", probe.error, "see exposition.valid");
  const Scrape& scrape = *probe.scrape;
  const Options& options = context.options();

  // The same reader as `alerts`, so both commands accept and reject exactly the same files.
  rules::RuleFile file;
  std::string source;
  if (options.rules_file) {
    try {
      file = rules::load_rule_file(*options.rules_file);
    } catch (const Error& e) {
      return fail("the rule file cannot be used", e.what(),
                  "fix the file; `promtool check rules FILE` shows the same problems");
    }
    source = *options.rules_file;
  } else {
    file = rules::documented_rule_file();
    source = "the document's alert rules";
  }
  std::vector<const rules::Rule*> rules;
  for (const auto& group : file.groups) {
    for (const auto& rule : group.rules)
      rules.push_back(&rule);
  }
  if (rules.empty()) return skip(fmt::format("{} has no rules", source));

  std::vector<std::string> never, partial, fine, rewritten, broken, firing, quiet, unjudged;
  std::vector<std::string> lifetime, windowed;
  const int64_t now_ms = static_cast<int64_t>(context.now_unix_seconds() * 1000);
  for (const rules::Rule* rule_ptr : rules) {
    const rules::Rule& rule = *rule_ptr;
    std::string label = options.rules_file
                            ? fmt::format("{} ({}:{})", rule.name, source, rule.position.line)
                            : rule.name;
    std::vector<std::string> names;
    try {
      names = promql::selector_names(rule.expr);
    } catch (const Error& e) {
      broken.push_back(fmt::format("{}: `{}` does not parse: {}", label, rule.expr, e.what()));
      continue;
    }
    std::vector<std::string> missing;
    std::vector<std::pair<std::string, std::string>> swaps;  // documented -> exposed
    for (const auto& name : names) {
      if (!scrape.series_named(name).empty()) continue;
      missing.push_back(name);
      for (const auto& candidate : catalog::candidate_names(name)) {
        if (candidate != name && !scrape.series_named(candidate).empty()) {
          swaps.emplace_back(name, candidate);
          break;
        }
      }
    }
    std::string rewrite;
    if (!swaps.empty()) {
      std::vector<catalog::ResolvedName> resolved;
      for (const auto& [from, to] : swaps)
        resolved.push_back({from, to});
      rewrite = catalog::rewrite_expression(rule.expr, resolved);
      rewritten.push_back(fmt::format("{}: expr: {}", rule.name, rewrite));
    }

    if (auto totals =
            rules::find_lifetime_comparison(rule, rewrite.empty() ? rule.expr : rewrite, &scrape)) {
      std::string counters;
      for (const auto& c : totals->counters)
        counters += (counters.empty() ? "" : ", ") + c;
      lifetime.push_back(
          fmt::format("{} compares lifetime totals of {} (since the process "
                      "started: one bad hour after a month hardly moves them, a "
                      "bad start keeps them high for days)",
                      label, counters));
      windowed.push_back(fmt::format("{}: expr: {}", rule.name, totals->windowed_expr));
    }

    // The verdict on this scrape: of the expression as written, or, when it selects names
    // that are exposed under another name, of the rewritten one (and says so).
    if (rule.kind == rules::RuleKind::alerting) {
      const std::string& judged = rewrite.empty() ? rule.expr : rewrite;
      std::string as = rewrite.empty() ? "" : " (with the exposed names)";
      try {
        auto value = promql::evaluate(scrape, judged, {now_ms});
        const auto* vector = std::get_if<promql::Vector>(&value);
        if (vector && !vector->empty()) {
          const auto& first = vector->front();
          std::string series =
              first.metric.empty() ? "value" : promql::format_series(first.metric) + " =";
          firing.push_back(fmt::format(
              "{}: the condition holds now{}: {} {}{}", rule.name, as, series,
              promql::format_value(first.value),
              rule.for_text.empty() ? ""
                                    : fmt::format("; fires if it holds for {}", rule.for_text)));
        } else {
          quiet.push_back(rule.name + as);
        }
      } catch (const Error& e) {
        unjudged.push_back(fmt::format("{}: {}", rule.name, e.what()));
      }
    }

    if (missing.empty()) {
      fine.push_back(label);
      continue;
    }
    std::string what;
    for (const auto& m : missing) {
      auto swap =
          std::find_if(swaps.begin(), swaps.end(), [&](const auto& s) { return s.first == m; });
      what += fmt::format("{}{} is not exposed{}", what.empty() ? "" : "; ", m,
                          swap == swaps.end() ? "" : fmt::format(" (it is {})", swap->second));
    }
    if (contains_word(rule.expr, "absent") || contains_word(rule.expr, "absent_over_time")) {
      fine.push_back(fmt::format("{} (uses absent(): {})", label, what));
    } else if (contains_word(rule.expr, "or") || contains_word(rule.expr, "unless")) {
      partial.push_back(fmt::format("{}: part of `{}` never matches: {}", label, rule.expr, what));
    } else {
      never.push_back(fmt::format("{} can never fire: {}", label, what));
    }
  }

  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& l : broken)
    add(l);
  for (const auto& l : never)
    add(l);
  for (const auto& l : partial)
    add(l);
  if (!fine.empty()) {
    std::string list;
    for (const auto& f : fine)
      list += (list.empty() ? "" : ", ") + f;
    add("select only exposed series: " + list);
  }
  for (const auto& l : firing)
    add(l);
  if (!quiet.empty()) {
    std::string list;
    for (const auto& q : quiet)
      list += (list.empty() ? "" : ", ") + q;
    add("the condition does not hold now: " + list);
  }
  for (const auto& l : unjudged)
    add("not evaluated on one scrape: " + l);
  for (const auto& l : lifetime)
    add(l);
  std::string over_window;
  if (!windowed.empty()) {
    over_window = "alert on a window, not on lifetime totals:";
    for (const auto& w : windowed)
      over_window += "\n  " + w;
  }
  std::string fix;
  if (!rewritten.empty()) {
    fix = "use the exposed names:";
    for (const auto& r : rewritten)
      fix += "\n  " + r;
  } else if (!never.empty() || !partial.empty()) {
    fix = "make the rules select series the target exposes (see metrics.documented)";
  }
  if (!over_window.empty()) fix += (fix.empty() ? "" : "\n") + over_window;
  if (!broken.empty()) {
    auto summary = fmt::format("{} rule(s) in {} do not parse", broken.size(), source);
    if (fix.empty()) fix = "fix the expression; `promtool check rules FILE` shows the same error";
    return fail(summary, detail, fix);
  }
  if (!never.empty()) {
    auto summary =
        fmt::format("{} of {} rule(s) in {} can never fire", never.size(), rules.size(), source);
    // The document's rules are a suggestion the user may not have deployed: a warning. The
    // user's own rule file is what Prometheus runs: a failure.
    if (options.rules_file) return fail(summary, detail, fix);
    return warn(summary + " if deployed as written", detail, fix);
  }
  if (!partial.empty()) {
    return warn(
        fmt::format("{} rule(s) in {} select series that are not exposed", partial.size(), source),
        detail, fix);
  }
  if (!firing.empty()) {
    std::string look =
        "the service is in the state the alert describes: look at the failing jobs "
        "(e2e3d_job_duration_seconds by status) or the load";
    return warn(fmt::format("{} alert condition(s) hold now: {}", firing.size(),
                            firing.front().substr(0, firing.front().find(':'))),
                detail, over_window.empty() ? look : look + "\n" + over_window);
  }
  if (!lifetime.empty()) {
    return warn(fmt::format("{} alert rule(s) in {} compare lifetime counter totals where a rate "
                            "was meant",
                            lifetime.size(), source),
                detail, fix);
  }
  return pass(fmt::format("all {} rule(s) in {} select exposed series", rules.size(), source),
              detail);
}

}  // namespace e2e3d::doctor
