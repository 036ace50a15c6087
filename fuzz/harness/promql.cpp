// The PromQL parser, and the evaluator when it is built, on arbitrary expressions. The scrape
// is fixed: the real capture of the E2E3D service (tests/fixtures/e2e3d_python.txt), so names
// the fuzzer finds in the dictionary select real series. Every result goes through the JSON
// writer too, since `query --output json` prints it.
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/promql/parser.hpp"
#include "support.hpp"
#if __has_include("e2e3d/promql/engine.hpp")
#include "e2e3d/promql/engine.hpp"
#define E2E3D_FUZZ_HAVE_ENGINE 1
#endif

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_promql";

#ifdef E2E3D_FUZZ_HAVE_ENGINE
const Scrape& fixture_scrape() {
  static const Scrape scrape = [] {
    std::ifstream in(E2E3D_FIXTURES_DIR "/e2e3d_python.txt", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return parse_exposition(text.str(), ExpositionFormat::prometheus_text, "e2e3d_python.txt");
  }();
  return scrape;
}
#endif

}  // namespace

void promql_input(std::string_view data) {
  try {
    (void)promql::parse(data);
  } catch (const Error& e) {
    check_error_message(e, kTarget);
    return;  // the evaluator parses the same text: it would only fail the same way
  }
#ifdef E2E3D_FUZZ_HAVE_ENGINE
  try {
    (void)promql::selector_names(data);
    // A fixed time, so a finding replays: 2026-01-01T00:00:00Z.
    promql::Value value = promql::evaluate(fixture_scrape(), data, {.time_ms = 1767225600000});
    (void)promql::to_api_json(value, 1767225600.0);
  } catch (const Error& e) {
    check_error_message(e, kTarget);
    (void)promql::error_json(e);
  }
#endif
}

}  // namespace e2e3d::fuzz
