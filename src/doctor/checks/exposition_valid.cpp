// exposition.valid: the body parses as the Prometheus text format or OpenMetrics; a parse
// error names its line and column, because Prometheus rejects the whole scrape for one bad line.
#include <fmt/format.h>

#include "checks.hpp"
#include "e2e3d/exposition_lint.hpp"

namespace e2e3d::doctor {

Result check_exposition_valid(Context& context) {
  const HttpProbe& h = context.http();
  if (h.failure) {
    return fail("nothing to parse", h.error,
                h.from_file ? "pass a readable file with --file" : "see http.endpoint");
  }
  const ScrapeProbe& s = context.scrape();
  if (!s.scrape) {
    std::string where =
        s.position.line ? fmt::format(" at line {}, column {}", s.position.line, s.position.column)
                        : "";
    return fail(fmt::format("the response does not parse{}", where), s.error,
                "Prometheus drops the whole scrape for one bad line: fix the exporter's output "
                "at that place (a hand-written metric, a label value with an unescaped quote "
                "or newline, a duplicate TYPE line)");
  }
  const Scrape& scrape = *s.scrape;
  std::string summary = fmt::format("{} families, {} series ({})", scrape.families().size(),
                                    scrape.series_count(), exposition_format_name(scrape.format()));
  auto findings = lint(scrape);
  if (findings.empty()) return pass(summary);
  std::string detail;
  for (const auto& f : findings) {
    detail +=
        fmt::format("{}{}: {} [{}]", detail.empty() ? "" : "\n", f.metric, f.message, f.check);
  }
  return warn(fmt::format("{}; {} lint finding(s): {} {}", summary, findings.size(),
                          findings.front().metric, findings.front().message),
              detail,
              "Prometheus accepts these, but they break conventions queries rely on (a counter "
              "without _total, missing HELP); `promtool check metrics` reports the same");
}

}  // namespace e2e3d::doctor
