#pragma once
// Alert annotation and label templates, expanded as Prometheus expands them: Go text/template
// syntax with Prometheus's data ($labels, $value, $externalLabels, $externalURL) and functions.
//
// Supported: text and {{ }} actions with {{- -}} trimming and {{/* comments */}}; pipelines
// (`$value | humanize`); variables and fields ($labels.job, .Labels.job, .Value); string and
// number literals; parentheses; `$x := ...`; the functions humanize, humanize1024,
// humanizeDuration, humanizePercentage, humanizeTimestamp, printf, print, index, len, toUpper,
// toLower, title. Control structures (if, range, with, define) are reported as unsupported.

#include <map>
#include <string>
#include <string_view>

namespace e2e3d::rules {

struct TemplateData {
  std::map<std::string, std::string> labels;  // the alert's series labels
  double value = 0;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
};

// The expanded text. Throws Error(eval) with Prometheus-like wording when the template does not
// parse or a function fails (e.g. humanize of a string that is not a number).
std::string expand_template(std::string_view text, const TemplateData& data,
                            std::string_view name = "template");

// What Prometheus puts into an alert when expansion fails: the text, or
// "<error expanding template: ...>".
std::string expand_alert_template(std::string_view text, const TemplateData& data,
                                  std::string_view name);

}  // namespace e2e3d::rules
