// Text an expression makes is bounded: label_replace() and label_join() that multiply a label's
// value fail with a clear error instead of growing into gigabytes (issue 16, item 12).
#include <catch2/catch.hpp>

#include <string>

#include "e2e3d/error.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/promql/engine.hpp"

using namespace e2e3d;
using namespace e2e3d::promql;

namespace {

std::string nested_label_replace(int depth) {
  std::string expr = "g";
  for (int i = 0; i < depth; ++i)
    expr = "label_replace(" + expr + ", \"a\", \"$1$1\", \"a\", \"(.*)\")";
  return expr;
}

}  // namespace

TEST_CASE("nested label_replace doubling a value stops at the bound of one label value") {
  Scrape scrape = parse_exposition("g{a=\"0123456789\"} 1\n");
  // Ten levels: 10 KiB, fine.
  auto v = std::get<Vector>(evaluate(scrape, nested_label_replace(10), EvalOptions{0}));
  REQUIRE(v.size() == 1);
  CHECK(v[0].metric[1].second.size() == 10u << 10);
  try {
    evaluate(scrape, nested_label_replace(40), EvalOptions{0});
    FAIL("40 levels evaluated");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::eval);
    CHECK_THAT(e.what(), Catch::Contains("label_replace() would make a label value longer than "
                                         "1048576 bytes"));
  }
}

TEST_CASE("label_join of a long value many times stops at the same bound") {
  Scrape scrape = parse_exposition("g{a=\"0123456789\"} 1\n");
  std::string expr = nested_label_replace(16);  // 640 KiB
  expr = "label_join(" + expr + ", \"b\", \"\", \"a\", \"a\")";
  REQUIRE_THROWS_WITH(evaluate(scrape, expr, EvalOptions{0}),
                      Catch::StartsWith("1:1: label_join() would make a label value longer"));
}

TEST_CASE("the label text one query makes is bounded in total") {
  // 200 series, each given a 1 MiB value: past 128 MiB the query stops.
  std::string body;
  for (int i = 0; i < 200; ++i)
    body += "g{a=\"" + std::string(1024, 'x') + "\",i=\"" + std::to_string(i) + "\"} 1\n";
  Scrape scrape = parse_exposition(body);
  std::string expr = "g";
  for (int i = 0; i < 10; ++i)
    expr = "label_replace(" + expr + ", \"a\", \"$1$1\", \"a\", \"(.*)\")";
  REQUIRE_THROWS_WITH(evaluate(scrape, expr, EvalOptions{0}),
                      Catch::Contains("more than 128 MiB of label text"));
}
