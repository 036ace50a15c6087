#pragma once
// Alert annotation and label templates, expanded as Prometheus expands them: Go text/template
// syntax with Prometheus's data ($labels, $value, $externalLabels, $externalURL) and functions.
//
// Supported: text and {{ }} actions with {{- -}} trimming and {{/* comments */}}; pipelines
// (`$value | humanize`); variables and fields ($labels.job, .Labels.job, .Value); string and
// number literals; parentheses; `$x := ...`; the functions humanize, humanize1024,
// humanizeDuration, humanizePercentage, humanizeTimestamp, printf, print, index, len, toUpper,
// toLower, title. Control structures (if, range, with, define) are reported as unsupported.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace e2e3d::rules {

// What a template may cost. Go's templates have no bounds, so `{{$x = print $x $x}}` forty
// times, or `printf "%999999v"` three hundred times, would take gigabytes; ours stop with an
// error (the "<error expanding template: ...>" Prometheus puts into an alert).
struct TemplateLimits {
  std::size_t max_output = 64 * 1024;       // bytes of one expansion, and of any value in it
  std::size_t max_work = 16 * 1024 * 1024;  // bytes of values made or copied in one expansion
};

// The work all the expansions of one run may do together (an alert rule matching 100,000
// series expands its annotations 100,000 times). Shared by reference; not thread-safe.
class TemplateBudget {
 public:
  explicit TemplateBudget(std::size_t bytes = 256 * 1024 * 1024) : left_(bytes), total_(bytes) {}
  // False once `bytes` more would pass the budget (which then stays spent).
  bool spend(std::size_t bytes) {
    if (bytes > left_) {
      left_ = 0;
      return false;
    }
    left_ -= bytes;
    return true;
  }
  std::size_t total() const { return total_; }

 private:
  std::size_t left_;
  std::size_t total_;
};

struct TemplateData {
  std::map<std::string, std::string> labels;  // the alert's series labels
  double value = 0;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
};

// The expanded text. Throws Error(eval) with Prometheus-like wording when the template does not
// parse or a function fails (e.g. humanize of a string that is not a number).
// Throws the same, naming the limit, when the expansion passes `limits` or `budget`.
std::string expand_template(std::string_view text, const TemplateData& data,
                            std::string_view name = "template", TemplateBudget* budget = nullptr,
                            const TemplateLimits& limits = {});

// What Prometheus puts into an alert when expansion fails: the text, or
// "<error expanding template: ...>".
std::string expand_alert_template(std::string_view text, const TemplateData& data,
                                  std::string_view name, TemplateBudget* budget = nullptr);

}  // namespace e2e3d::rules
