// The outputs of `check`: text lines for people, JSON for scripts, JUnit XML for CI systems,
// the Monitoring Plugins line for Nagios and its relatives.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/check.hpp"
#include "e2e3d/rules/threshold.hpp"
#include "rules/xml.hpp"

namespace e2e3d::rules {
namespace {

constexpr size_t kShownSeries = 5;

std::string sample_text(const promql::Sample& s) {
  std::string series = promql::format_series(s.metric);
  return series == "{}" ? promql::format_value(s.value)
                        : fmt::format("{} {}", series, promql::format_value(s.value));
}

std::string values_text(const promql::Vector& v) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < kShownSeries; ++i)
    out += (i ? ", " : "") + sample_text(v[i]);
  if (v.size() > kShownSeries) out += fmt::format(", and {} more", v.size() - kShownSeries);
  return out;
}

std::string reason(const ExpressionCheck& c) {
  std::string out = c.message;
  for (const auto& h : c.hints)
    out += "; " + h;
  return out;
}

size_t count(const CheckReport& r, CheckStatus s) {
  return std::count_if(r.checks.begin(), r.checks.end(),
                       [&](const ExpressionCheck& c) { return c.status == s; });
}

nlohmann::json samples_json(const promql::Vector& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : v) {
    nlohmann::json metric = nlohmann::json::object();
    for (const auto& [k, val] : s.metric)
      metric[k] = val;
    out.push_back({{"metric", metric}, {"value", promql::format_value(s.value)}});
  }
  return out;
}

std::string overall(const CheckReport& r) {
  switch (r.exit_code()) {
    case 0:
      return "pass";
    case 2:
      return "fail";
    default:
      return "unknown";
  }
}

}  // namespace

std::string check_text(const CheckReport& report) {
  std::string out;
  if (report.target_error) {
    out += fmt::format("UNKNOWN  {}\n", *report.target_error);
  } else {
    for (const auto& c : report.checks) {
      switch (c.status) {
        case CheckStatus::pass:
          out += fmt::format("PASS  {}  => {}\n", one_line(c.expr), values_text(c.result));
          break;
        case CheckStatus::fail:
          out += fmt::format("FAIL  {}  => {}\n", one_line(c.expr), one_line(reason(c)));
          break;
        case CheckStatus::error:
          out += fmt::format("ERROR {}  => {}\n", one_line(c.expr), one_line(c.message));
          break;
      }
    }
  }
  std::string waited = report.attempts > 1 ? fmt::format(" after {} attempts in {:.1f} s",
                                                         report.attempts, report.seconds)
                                           : "";
  if (report.target_error) {
    out += fmt::format("{} expressions not evaluated: the target could not be scraped{}\n",
                       report.checks.size(), waited);
  } else {
    out += fmt::format("{} of {} expressions hold{}\n", count(report, CheckStatus::pass),
                       report.checks.size(), waited);
  }
  return out;
}

std::string check_json(const CheckReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : report.checks) {
    nlohmann::json j = {{"expr", c.expr},
                        {"status", report.target_error ? "error" : check_status_name(c.status)},
                        {"result", samples_json(c.result)}};
    if (report.target_error) {
      j["message"] = *report.target_error;
    } else if (c.status != CheckStatus::pass) {
      j["message"] = c.message;
    }
    if (!c.hints.empty()) j["hints"] = c.hints;
    checks.push_back(std::move(j));
  }
  nlohmann::json out = {{"status", overall(report)}, {"exit_code", report.exit_code()},
                        {"source", report.source},   {"attempts", report.attempts},
                        {"seconds", report.seconds}, {"checks", checks}};
  if (report.target_error) out["error"] = *report.target_error;
  return out.dump(2);
}

std::string check_junit(const CheckReport& report) {
  size_t failures = report.target_error ? 0 : count(report, CheckStatus::fail);
  size_t errors = report.target_error ? report.checks.size() : count(report, CheckStatus::error);
  std::string cases;
  for (const auto& c : report.checks) {
    cases +=
        fmt::format("    <testcase classname=\"e2e3d-metrics.check\" name=\"{}\" time=\"{:.6f}\"",
                    xml_escape(c.expr), c.seconds);
    if (report.target_error) {
      cases += fmt::format(">\n      <error type=\"target\" message=\"{}\"/>\n    </testcase>\n",
                           xml_escape(*report.target_error));
    } else if (c.status == CheckStatus::pass) {
      cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                           xml_escape(values_text(c.result)));
    } else if (c.status == CheckStatus::fail) {
      cases += fmt::format(
          ">\n      <failure type=\"empty\" message=\"{}\">{}</failure>\n    </testcase>\n",
          xml_escape(c.message), xml_escape(reason(c)));
    } else {
      cases +=
          fmt::format(">\n      <error type=\"evaluation\" message=\"{}\"/>\n    </testcase>\n",
                      xml_escape(c.message));
    }
  }
  std::string suite = fmt::format(
      "  <testsuite name=\"e2e3d-metrics check\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "time=\"{:.6f}\">\n    <properties>\n      <property name=\"source\" value=\"{}\"/>\n"
      "      <property name=\"attempts\" value=\"{}\"/>\n    </properties>\n{}  </testsuite>\n",
      report.checks.size(), failures, errors, report.seconds, xml_escape(report.source),
      report.attempts, cases);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"e2e3d-metrics\" tests=\"{}\" "
      "failures=\"{}\" errors=\"{}\" time=\"{:.6f}\">\n{}</testsuites>\n",
      report.checks.size(), failures, errors, report.seconds, suite);
}

std::string check_plugin_line(const CheckReport& report) {
  if (report.target_error) return "E2E3D-METRICS UNKNOWN - " + plugin_text(*report.target_error);
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::error) {
      return fmt::format("E2E3D-METRICS UNKNOWN - `{}`: {}", plugin_text(c.expr),
                         plugin_text(c.message));
    }
  }
  size_t failed = count(report, CheckStatus::fail);
  if (failed == 0) {
    return fmt::format("E2E3D-METRICS OK - {} of {} expressions hold", report.checks.size(),
                       report.checks.size());
  }
  std::string which;
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::fail) which += (which.empty() ? "" : ", ") + c.expr;
  }
  return fmt::format("E2E3D-METRICS CRITICAL - {} of {} expressions returned nothing: {}", failed,
                     report.checks.size(), plugin_text(which));
}

std::string threshold_line(const ThresholdCheck& check) {
  return plugin_line(check.status, check.values, check.warning ? &*check.warning : nullptr,
                     check.critical ? &*check.critical : nullptr,
                     check.values.empty() ? std::string_view(check.message) : std::string_view());
}

std::string threshold_json(const ThresholdCheck& check) {
  nlohmann::json values = nlohmann::json::array();
  for (size_t i = 0; i < check.values.size(); ++i) {
    values.push_back(
        {{"label", check.values[i].label},
         {"value", promql::format_value(check.values[i].value)},
         {"status", i < check.per_value.size() ? std::string(plugin_status_name(check.per_value[i]))
                                               : "UNKNOWN"}});
  }
  nlohmann::json out = {
      {"status", plugin_status_name(check.status)},
      {"exit_code", check.exit_code()},
      {"expr", check.expr},
      {"warning", check.warning ? nlohmann::json(check.warning->text) : nullptr},
      {"critical", check.critical ? nlohmann::json(check.critical->text) : nullptr},
      {"values", values},
      {"line", threshold_line(check)}};
  if (!check.message.empty()) out["message"] = check.message;
  return out.dump(2);
}

}  // namespace e2e3d::rules
