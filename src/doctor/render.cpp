// Machine-readable reports. The JSON shape is a contract (ARCHITECTURE.md); JUnit XML is what
// CI systems (GitLab, Jenkins, GitHub test reporters) display natively.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "e2e3d/doctor/doctor.hpp"
#include "rules/xml.hpp"

namespace e2e3d::doctor {
namespace {

// One XML escaper for every JUnit writer (it also repairs invalid UTF-8).
using rules::xml_escape;

std::string body_of(const Result& r) {
  std::string out = r.detail;
  if (!r.fix.empty()) out += (out.empty() ? "" : "\n") + std::string("fix: ") + r.fix;
  return out;
}

}  // namespace

std::string to_json(const Report& report) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& r : report.results) {
    checks.push_back({{"id", r.id},
                      {"status", status_name(r.status)},
                      {"summary", r.summary},
                      {"detail", r.detail},
                      {"fix", r.fix}});
  }
  nlohmann::ordered_json out = {
      {"status", status_name(report.status)}, {"exit_code", report.exit_code}, {"checks", checks}};
  // Replace invalid UTF-8 (a body quoted in a detail) rather than failing the report.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_junit(const Report& report) {
  int failures = 0, skipped = 0;
  for (const auto& r : report.results) {
    failures += r.status == Status::fail;
    skipped += r.status == Status::skip;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"e2e3d-metrics doctor\" tests=\"{0}\" failures=\"{1}\" errors=\"0\" "
      "skipped=\"{2}\" time=\"{3:.3f}\">\n"
      "  <testsuite name=\"doctor\" tests=\"{0}\" failures=\"{1}\" errors=\"0\" skipped=\"{2}\" "
      "time=\"{3:.3f}\">\n",
      report.results.size(), failures, skipped, report.seconds);
  for (const auto& r : report.results) {
    out += fmt::format("    <testcase classname=\"doctor\" name=\"{}\"", xml_escape(r.id));
    switch (r.status) {
      case Status::pass:
        out += "/>\n";
        break;
      case Status::warn:
        out += fmt::format(">\n      <system-out>WARNING: {}\n{}</system-out>\n    </testcase>\n",
                           xml_escape(r.summary), xml_escape(body_of(r)));
        break;
      case Status::fail:
        out += fmt::format(
            ">\n      <failure message=\"{}\" type=\"fail\">{}</failure>\n    </testcase>\n",
            xml_escape(r.summary), xml_escape(body_of(r)));
        break;
      case Status::skip:
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                           xml_escape(r.summary));
        break;
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace e2e3d::doctor
