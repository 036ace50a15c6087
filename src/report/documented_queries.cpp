// Interim: the documented queries computed directly, until the PromQL engine lands; then this
// file becomes a call to promql::evaluate(scrape, evaluated_expr) and nothing else changes.
#include "report/documented_queries.hpp"

#include <cmath>
#include <map>

namespace e2e3d {
namespace {

// The exposed name the rewritten expression selects for a documented name.
std::string exposed_in(const std::string& expr, std::string_view documented) {
  for (const auto& candidate : catalog::candidate_names(documented)) {
    auto at = expr.find(candidate);
    while (at != std::string::npos) {
      size_t end = at + candidate.size();
      bool whole = (at == 0 || !(std::isalnum(static_cast<unsigned char>(expr[at - 1])) ||
                                 expr[at - 1] == '_')) &&
                   (end == expr.size() ||
                    !(std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '_'));
      if (whole) return candidate;
      at = expr.find(candidate, at + 1);
    }
  }
  return std::string(documented);
}

std::vector<QueryRow> instant(const Scrape& scrape, const std::string& name) {
  std::vector<QueryRow> rows;
  for (uint32_t index : scrape.series_named(name)) {
    const Series& s = scrape.series(index);
    QueryRow row{{}, s.value};
    for (const auto& l : scrape.labels(s))
      row.labels[std::string(scrape.str(l.name))] = scrape.str(l.value);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<QueryRow> ratio_percent(const Scrape& scrape, const std::string& a,
                                    const std::string& b) {
  auto x = instant(scrape, a);
  auto y = instant(scrape, b);
  if (x.size() != 1 || y.size() != 1) return {};
  return {{{}, x[0].value / y[0].value * 100.0}};
}

}  // namespace

std::vector<QueryRow> evaluate_documented_query(const Scrape& scrape,
                                                const catalog::DocumentedQuery& query,
                                                const std::string& evaluated_expr) {
  auto name = [&](std::string_view documented) { return exposed_in(evaluated_expr, documented); };
  if (query.id == "total") return instant(scrape, name("reconstruction_total"));
  if (query.id == "active") return instant(scrape, name("e2e3d_active_jobs"));
  if (query.id == "success_rate_percent")
    return ratio_percent(scrape, name("reconstruction_success"), name("reconstruction_total"));
  if (query.id == "failure_rate_percent")
    return ratio_percent(scrape, name("reconstruction_failure"), name("reconstruction_total"));
  auto durations = instant(scrape, name("e2e3d_job_duration_seconds"));
  if (query.id == "average_duration_seconds") {
    if (durations.empty()) return {};
    double sum = 0;
    for (const auto& r : durations)
      sum += r.value;
    return {{{}, sum / static_cast<double>(durations.size())}};
  }
  if (query.id == "duration_seconds_by_status") {
    std::map<std::string, double> by;
    for (const auto& r : durations) {
      auto it = r.labels.find("status");
      by[it == r.labels.end() ? "" : it->second] += r.value;
    }
    std::vector<QueryRow> rows;
    for (const auto& [status, v] : by)
      rows.push_back({{{"status", status}}, v});
    return rows;
  }
  return {};
}

}  // namespace e2e3d
