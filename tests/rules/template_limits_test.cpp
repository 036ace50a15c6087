// Templates are bounded: one expansion's output and values, the work of one expansion, and the
// work of a whole run. Each case here took gigabytes before.
#include <catch2/catch.hpp>
#include <string>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/template.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

std::string repeat(std::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i)
    out += text;
  return out;
}

std::string expand(const std::string& text, TemplateBudget* budget = nullptr) {
  return expand_template(text, TemplateData{}, "__alert_Test", budget);
}

// Runs `f`, which must throw Error containing `what`. The limits count bytes made, so reaching
// one bounds the work done; no wall-clock check, which would only measure the machine.
template <typename F>
void refused(F&& f, const std::string& what) {
  REQUIRE_THROWS_WITH(f(), Catch::Contains(what));
}

}  // namespace

TEST_CASE("a variable that doubles forty times stops at the output limit") {
  std::string text = "{{$x := \"ab\"}}" + repeat("{{$x = print $x $x}}", 40) + "{{$x}}";
  refused([&] { return expand(text); },
          "the expansion would be longer than 65536 bytes, the limit of a template's "
          "output");
  // Within the limit it is a plain doubling.
  std::string ok = "{{$x := \"ab\"}}" + repeat("{{$x = print $x $x}}", 10) + "{{$x}}";
  CHECK(expand(ok) == repeat("ab", 1024));
}

TEST_CASE("widths of a million are padded only up to the limit") {
  refused([&] { return expand(repeat("{{printf \"%999999v\" 1}}", 300)); },
          "longer than 65536 bytes");
  refused([&] { return expand("{{printf \"" + repeat("%999999v", 300) + "\" 1}}"); },
          "longer than 65536 bytes");
  CHECK(expand("{{printf \"%5v|%-4s|\" 1 \"a\"}}") == "    1|a   |");
}

TEST_CASE("copying big values over and over stops at the work limit of one expansion") {
  std::string text = "{{$x := printf \"%60000v\" 1}}" + repeat("{{$y := $x}}", 400);
  refused([&] { return expand(text); }, "the template made more than 16777216 bytes");
}

TEST_CASE("all the expansions of a run share one budget") {
  TemplateBudget budget(1'000'000);
  std::string text = "{{printf \"%60000v\" 1}}";
  int expanded = 0;
  try {
    for (; expanded < 100; ++expanded)
      expand(text, &budget);
    FAIL("the budget never ran out");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("the templates of this run made more than 1000000 bytes") !=
          std::string::npos);
  }
  CHECK(expanded >= 7);
  CHECK(expanded <= 16);
  // As an alert's annotation: Prometheus's error text, not an exception.
  CHECK(expand_alert_template(text, TemplateData{}, "__alert_Test", &budget)
            .starts_with("<error expanding template: "));
}
