#include "cli/show_text.hpp"

#include <fmt/format.h>

#include "cli/human_units.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::cli {
namespace {

constexpr int kLabelWidth = 22;

class Table {
 public:
  explicit Table(const Style& style) : style_(style) {}

  void heading(std::string_view title) {
    if (!out_.empty()) out_ += "\n";
    out_ += style_.bold(title) + "\n";
  }
  // An unknown value is said to be unknown, with the reason, never shown as 0.
  void row(std::string_view label, const std::optional<std::string>& value,
           std::string_view unknown_reason = "unknown", int indent = 2) {
    std::string padded = fmt::format("{:{}}{:<{}}", "", indent, label, kLabelWidth - indent);
    out_ += padded + " " + (value ? *value : style_.yellow(unknown_reason)) + "\n";
  }
  void line(std::string_view text) { out_ += std::string(text) + "\n"; }
  std::string str() const { return out_; }

 private:
  const Style& style_;
  std::string out_;
};

template <typename F>
std::optional<std::string> fmt_opt(const std::optional<double>& v, F&& format) {
  if (!v) return std::nullopt;
  return format(*v);
}

std::string source_line(const ShowReport& report, const FetchInfo& info) {
  std::string format = info.format ? std::string(exposition_format_name(*info.format)) : "text";
  return fmt::format("{} ({}, {}, {:.0f} ms)", report.source, format,
                     human_bytes(static_cast<double>(info.bytes)), info.seconds * 1000);
}

}  // namespace

std::string render_show_text(const ShowReport& report, const FetchInfo& info, const Style& style) {
  Table t(style);
  t.heading("Source");
  t.line("  " + source_line(report, info));
  for (const auto& r : report.resolved) {
    if (r.renamed()) {
      t.line(fmt::format("  {} {} -> {} (the document's name; the client adds _total)",
                         style.dim("name"), r.documented, *r.exposed));
    }
  }
  for (const auto& name : report.missing) {
    t.line(fmt::format("  {} {} is not exposed by the target", style.yellow("missing"), name));
  }

  const JobFigures& j = report.jobs;
  auto count = [](double v) { return human_count(v); };
  auto percent = [](double v) { return human_percent(v); };
  auto seconds = [](double v) { return human_duration(v); };
  t.heading("Jobs");
  t.row("total", fmt_opt(j.total, count));
  t.row("success", fmt_opt(j.success, count));
  t.row("failure", fmt_opt(j.failure, count));
  t.row("active", fmt_opt(j.active, count));
  bool no_jobs = j.total && *j.total == 0;
  std::string_view rate_reason = no_jobs ? "unknown (no jobs yet)" : "unknown";
  t.row("success rate", fmt_opt(j.success_rate_percent, percent), rate_reason);
  t.row("failure rate", fmt_opt(j.failure_rate_percent, percent), rate_reason);
  t.row("average duration", fmt_opt(j.average_duration_seconds, seconds), rate_reason);
  if (j.duration_seconds_by_status && !j.duration_seconds_by_status->empty()) {
    t.row("duration by status", std::string());
    for (const auto& [status, secs] : *j.duration_seconds_by_status) {
      t.row(status.empty() ? "(no status)" : one_line(status), human_duration(secs), "unknown", 4);
    }
  } else {
    t.row("duration by status", std::nullopt);
  }
  t.row("job series", fmt_opt(j.series, count));

  const ProcessFigures& p = report.process;
  t.heading("Process");
  t.row("cpu", fmt_opt(p.cpu_seconds_total, seconds));
  t.row("resident memory", fmt_opt(p.resident_memory_bytes, human_bytes));
  t.row("virtual memory", fmt_opt(p.virtual_memory_bytes, human_bytes));
  std::optional<std::string> fds;
  if (p.open_fds && p.max_fds) {
    fds = fmt::format("{} / {}", human_count(*p.open_fds), human_count(*p.max_fds));
    if (p.open_fds_percent) *fds += fmt::format(" ({})", human_percent(*p.open_fds_percent));
  } else if (p.open_fds) {
    fds = human_count(*p.open_fds);
  }
  t.row("open fds", fds);
  t.row("uptime", fmt_opt(p.uptime_seconds, seconds));

  for (const auto& q : report.queries) {
    if (q.error) t.line(fmt::format("{} {}: {}", style.red("error"), q.id, *q.error));
  }
  return t.str();
}

}  // namespace e2e3d::cli
