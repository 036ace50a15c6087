#include "cli/doctor_text.hpp"

#include <fmt/format.h>

namespace e2e3d::cli {
namespace {

// Continuation lines of a multi-line text, indented under the check.
std::string indented(std::string_view text, std::string_view indent) {
  std::string out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    out += fmt::format("{}{}\n", indent, text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::string doctor_verdict(doctor::Status status, const Style& s) {
  switch (status) {
    case doctor::Status::fail:
      return s.red(s.bold("✖ FAIL"));
    case doctor::Status::warn:
      return s.yellow(s.bold("⚠ WARN"));
    default:
      return s.green(s.bold("✔ PASS"));
  }
}

std::string doctor_text_report(const doctor::Report& report, const std::string& target,
                               const Style& s, bool verbose) {
  std::string out = fmt::format("{} {}\n", s.bold("e2e3d-metrics doctor:"), target);
  size_t width = 0;
  for (const auto& r : report.results)
    width = std::max(width, r.id.size());
  int counts[4] = {0, 0, 0, 0};
  for (const auto& r : report.results) {
    counts[static_cast<int>(r.status)]++;
    std::string mark;
    switch (r.status) {
      case doctor::Status::pass:
        mark = s.green("✔");
        break;
      case doctor::Status::warn:
        mark = s.yellow("⚠");
        break;
      case doctor::Status::fail:
        mark = s.red("✖");
        break;
      case doctor::Status::skip:
        mark = s.dim("–");
        break;
    }
    std::string id = fmt::format("{:<{}}", r.id, width);
    out += fmt::format("  {} {}  {}\n", mark, r.status == doctor::Status::skip ? s.dim(id) : id,
                       r.status == doctor::Status::skip ? s.dim(r.summary) : r.summary);
    bool troubled = r.status == doctor::Status::fail || r.status == doctor::Status::warn;
    std::string indent(width + 6, ' ');
    if ((troubled || verbose) && !r.detail.empty()) out += s.dim(indented(r.detail, indent));
    if (troubled && !r.fix.empty()) {
      std::string fix = indented(r.fix, indent);
      fix.replace(indent.size(), 0, s.bold("fix: "));
      out += fix;
    }
  }
  std::string verdict = doctor_verdict(report.status, s);
  out += fmt::format("{}: {} failed, {} warning(s), {} passed, {} skipped in {:.0f} ms\n", verdict,
                     counts[2], counts[1], counts[0], counts[3], report.seconds * 1000);
  return out;
}

}  // namespace e2e3d::cli
