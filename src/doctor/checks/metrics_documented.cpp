// metrics.documented: every metric the document lists is exposed, with the documented type
// and labels. The Python client exposes a counter created as `x` as `x_total`: the document's
// queries and alert rules then name series that do not exist. That drift is reported with the
// exposed name and the rewritten queries and rules, ready to paste.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "checks.hpp"
#include "e2e3d/catalog.hpp"

namespace e2e3d::doctor {
namespace {

std::set<std::string> label_names_of(const Scrape& scrape, std::string_view sample_name) {
  std::set<std::string> names;
  for (uint32_t index : scrape.series_named(sample_name)) {
    for (const auto& label : scrape.labels(scrape.series(index))) {
      names.insert(std::string(scrape.str(label.name)));
    }
  }
  return names;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "none" : out;
}

bool mentions(std::string_view expr, const std::vector<catalog::ResolvedName>& renamed) {
  auto rewritten = catalog::rewrite_expression(expr, renamed);
  return rewritten != expr;
}

}  // namespace

Result check_metrics_documented(Context& context) {
  const ScrapeProbe& probe = context.scrape();
  if (!probe.scrape) return fail("no scrape to inspect", probe.error, "see exposition.valid");
  const Scrape& scrape = *probe.scrape;
  auto resolved = catalog::resolve_names(scrape);

  std::vector<std::string> missing_jobs, missing_process, wrong, renamed_lines;
  std::vector<catalog::ResolvedName> renamed;
  for (const auto& name : resolved) {
    const auto* doc = catalog::find_metric(name.documented);
    if (!name.exposed) {
      (doc->group == catalog::MetricGroup::jobs ? missing_jobs : missing_process)
          .push_back(std::string(name.documented));
      continue;
    }
    if (name.renamed()) {
      renamed.push_back(name);
      renamed_lines.push_back(fmt::format("{} is exposed as {}", name.documented, *name.exposed));
    }
    const Series& first = scrape.series(scrape.series_named(*name.exposed).front());
    MetricType type = scrape.families()[first.family].type;
    if (type != doc->type) {
      wrong.push_back(fmt::format("{} is a {}, documented as a {}", *name.exposed,
                                  metric_type_name(type), metric_type_name(doc->type)));
    }
    std::set<std::string> want(doc->labels.begin(), doc->labels.end());
    auto have = label_names_of(scrape, *name.exposed);
    if (have != want) {
      wrong.push_back(fmt::format("{} has labels {{{}}}, documented {{{}}}", *name.exposed,
                                  join(have), join(want)));
    }
  }

  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& l : renamed_lines)
    add(l);
  for (const auto& w : wrong)
    add(w);
  for (const auto& m : missing_jobs)
    add(fmt::format("{} is not exposed", m));
  for (const auto& m : missing_process)
    add(fmt::format("{} is not exposed", m));

  std::string fix;
  if (!renamed.empty()) {
    fix = "use the exposed names in queries and alert rules:";
    for (const auto& q : catalog::queries()) {
      if (mentions(q.expr, renamed)) {
        fix += fmt::format("\n  {}: {}", q.title, catalog::rewrite_expression(q.expr, renamed));
      }
    }
    for (const auto& a : catalog::alerts()) {
      if (mentions(a.expr, renamed)) {
        fix += fmt::format("\n  alert {}: expr: {}", a.name,
                           catalog::rewrite_expression(a.expr, renamed));
      }
    }
  }

  if (!missing_jobs.empty() || !wrong.empty()) {
    std::string summary =
        !missing_jobs.empty()
            ? fmt::format("{} of {} documented job metrics are not exposed", missing_jobs.size(),
                          std::count_if(
                              catalog::metrics().begin(), catalog::metrics().end(),
                              [](const auto& m) { return m.group == catalog::MetricGroup::jobs; }))
            : fmt::format("{} metric(s) differ from the document", wrong.size());
    std::string fail_fix =
        !missing_jobs.empty()
            ? "this is not the E2E3D service's exporter, or its metrics are registered in "
              "another process (a worker) than the one serving /metrics"
            : "the exporter defines the metric differently from the document: align the "
              "definition or the queries";
    if (!fix.empty()) fail_fix += "\n" + fix;
    return fail(summary, detail, fail_fix);
  }
  if (!renamed.empty()) {
    std::string names;
    for (const auto& r : renamed)
      names += fmt::format("{}{}", names.empty() ? "" : ", ", *r.exposed);
    return warn(fmt::format("{} documented name(s) are exposed under another name ({}): the "
                            "document's queries and alerts find nothing",
                            renamed.size(), names),
                detail + "\n(the Python client adds _total to every counter)", fix);
  }
  if (!missing_process.empty()) {
    return warn(fmt::format("{} process metric(s) are not exposed", missing_process.size()), detail,
                "the Python client exposes process_* metrics on Linux only; other clients "
                "need their process collector registered");
  }
  return pass(fmt::format("all {} documented metrics are exposed as documented",
                          catalog::metrics().size()));
}

}  // namespace e2e3d::doctor
