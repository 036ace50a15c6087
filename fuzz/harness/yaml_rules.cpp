// The Prometheus rule-file reader (`alerts --rules FILE`) on arbitrary bytes, then, as `alerts`
// does next, the PromQL parser on every rule's expression and, when it is built, the template
// expander on every annotation.
#include <string>
#include <string_view>

#include "e2e3d/promql/parser.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "support.hpp"
#if __has_include("e2e3d/rules/template.hpp")
#include "e2e3d/rules/template.hpp"
#define E2E3D_FUZZ_HAVE_TEMPLATE 1
#endif

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_yaml_rules";

template <typename F>
void expect_only_errors(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    check_error_message(e, kTarget);
  }
}

}  // namespace

void yaml_rules_input(std::string_view data) {
  rules::RuleFile file;
  try {
    file = rules::parse_rule_file(data, "fuzz.yml");
  } catch (const Error& e) {
    check_error_message(e, kTarget);
    return;
  }
  for (const auto& group : file.groups) {
    for (const auto& rule : group.rules) {
      expect_only_errors([&] { (void)promql::parse(rule.expr); });
#ifdef E2E3D_FUZZ_HAVE_TEMPLATE
      rules::TemplateData template_data{{{"job", "e2e3d"}}, 42.5, {{"env", "fuzz"}}, "http://x/"};
      // Not a structured binding: clang 14 cannot capture those in a lambda.
      for (const auto& annotation : rule.annotations) {
        const std::string& name = annotation.first;
        const std::string& text = annotation.second;
        expect_only_errors([&] { (void)rules::expand_template(text, template_data, name); });
        (void)rules::expand_alert_template(text, template_data, name);
      }
#endif
    }
  }
}

}  // namespace e2e3d::fuzz
