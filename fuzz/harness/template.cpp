// The alert template expander on arbitrary bytes as a template: it may refuse with an Error,
// but never grows past its limits (the output of one expansion, its work, the run's budget).
#include <string>
#include <string_view>

#include "e2e3d/rules/template.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {

void template_input(std::string_view data) {
  constexpr std::string_view kTarget = "fuzz_template";
  rules::TemplateData template_data{
      {{"job", "e2e3d"}, {"instance", "a|b;c\n\x1b[2J"}}, 1e300, {{"env", "fuzz"}}, "http://x/"};
  rules::TemplateLimits limits;
  limits.max_output = 4096;  // small, so inputs reach it
  limits.max_work = 1 << 20;
  rules::TemplateBudget budget(2 << 20);
  for (int round = 0; round < 2; ++round) {
    try {
      std::string out = rules::expand_template(data, template_data, "fuzz", &budget, limits);
      if (out.size() > limits.max_output) {
        throw Finding(kTarget, "an expansion longer than its limit: " + std::to_string(out.size()) +
                                   " bytes");
      }
    } catch (const Error& e) {
      check_error_message(e, kTarget);
    }
  }
  std::string alert = rules::expand_alert_template(data, template_data, "fuzz", &budget);
  if (alert.size() > 2 * rules::TemplateLimits{}.max_output) {
    throw Finding(kTarget, "an alert expansion longer than its limit");
  }
}

}  // namespace e2e3d::fuzz
