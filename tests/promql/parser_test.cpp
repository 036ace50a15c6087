// Parser structure: precedence, associativity, modifiers, literals.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "e2e3d/promql/parser.hpp"

using e2e3d::promql::parse;
using e2e3d::promql::to_debug_string;

namespace {
std::string tree(const std::string& expr) {
  return to_debug_string(*parse(expr));
}
double number(const std::string& expr) {
  auto e = parse(expr);
  return std::get<e2e3d::promql::NumberLiteral>(e->node).value;
}
}  // namespace

TEST_CASE("binary operator precedence follows Prometheus") {
  CHECK(tree("a + b * c") == "(a + (b * c))");
  CHECK(tree("a * b + c") == "((a * b) + c)");
  CHECK(tree("a - b - c") == "((a - b) - c)");
  CHECK(tree("a / b % c") == "((a / b) % c)");
  CHECK(tree("a ^ b ^ c") == "(a ^ (b ^ c))");
  CHECK(tree("a * b ^ c") == "(a * (b ^ c))");
  CHECK(tree("a + b > c") == "((a + b) > c)");
  CHECK(tree("a > b and c") == "((a > b) and c)");
  CHECK(tree("a and b or c and d") == "((a and b) or (c and d))");
  CHECK(tree("a unless b and c") == "((a unless b) and c)");
  CHECK(tree("a or b unless c") == "(a or (b unless c))");
  CHECK(tree("a atan2 b + c") == "((a atan2 b) + c)");
  CHECK(tree("a == b != c") == "((a == b) != c)");
}

TEST_CASE("unary minus binds like multiplication, below power") {
  CHECK(tree("-a ^ b") == "-(a ^ b)");
  CHECK(tree("-a * b") == "(-a * b)");
  CHECK(tree("-a + b") == "(-a + b)");
  CHECK(tree("a ^ -b") == "(a ^ -b)");
  CHECK(number("-2") == -2);
  CHECK(number("+2") == 2);
  CHECK(tree("-2 ^ 2") == "-(2 ^ 2)");
  CHECK(tree("- - 1") == "1");
}

TEST_CASE("vector matching modifiers") {
  CHECK(tree("a + on(x, y) b") == "(a + on(x, y) b)");
  CHECK(tree("a * ignoring(x) group_left(y) b") == "(a * ignoring(x) group_left(y) b)");
  CHECK(tree("a / on(x) group_right b") == "(a / on(x) group_right() b)");
  CHECK(tree("a > bool b") == "(a > bool b)");
  CHECK(tree("a == bool on(x) b") == "(a == bool on(x) b)");
  CHECK(tree("a and on() b") == "(a and on() b)");
}

TEST_CASE("aggregations take their modifier before or after the arguments") {
  CHECK(tree("sum by (a, b) (foo)") == "sum by (a, b) (foo)");
  CHECK(tree("sum(foo) by (a, b,)") == "sum by (a, b) (foo)");
  CHECK(tree("avg without (a) (foo)") == "avg without (a) (foo)");
  CHECK(tree("topk(3, foo)") == "topk (3, foo)");
  CHECK(tree("count_values(\"v\", foo)") == "count_values (\"v\", foo)");
  CHECK(tree("SUM(foo) BY (le)") == "sum by (le) (foo)");
  CHECK(tree("sum by (by, sum) (foo)") == "sum by (by, sum) (foo)");
}

TEST_CASE("selectors, ranges, subqueries and modifiers") {
  CHECK(tree("foo{a=\"1\", b!=\"2\", c=~\"3\", d!~\"4\"}") ==
        "foo{a=\"1\", b!=\"2\", c=~\"3\", d!~\"4\"}");
  CHECK(tree("{__name__=\"foo\"}") == "{__name__=\"foo\"}");
  CHECK(tree("foo[5m]") == "foo[300000ms]");
  CHECK(tree("foo[1h30m]") == "foo[5400000ms]");
  CHECK(tree("foo[5m:1m]") == "foo[300000ms:60000ms]");
  CHECK(tree("foo[5m:]") == "foo[300000ms:0ms]");
  CHECK(tree("foo offset 5m") == "foo offset");
  CHECK(tree("foo @ 100") == "foo @");
  CHECK(tree("foo @ start()") == "foo @");
  CHECK(tree("rate(foo[5m] offset 1w)") == "rate(foo offset[300000ms])");
  CHECK(tree("a:b:c") == "a:b:c");
  CHECK(tree("foo # trailing comment") == "foo");
}

TEST_CASE("number literals parse as Go's ParseInt(…, 0) then ParseFloat") {
  CHECK(number("0x3d") == 61);
  CHECK(number("0X1F") == 31);
  CHECK(number("010") == 8);   // octal, as strconv.ParseInt base 0
  CHECK(number("089") == 89);  // not octal: ParseFloat
  CHECK(number(".5") == 0.5);
  CHECK(number("5.") == 5);
  CHECK(number("1e3") == 1000);
  CHECK(number("1.5E-3") == 0.0015);
  CHECK(std::isinf(number("Inf")));
  CHECK(number("-inf") < 0);
  CHECK(std::isnan(number("NaN")));
  CHECK(std::isnan(number("nan")));
}

TEST_CASE("strings unquote with Go escapes") {
  auto str = [](const std::string& e) {
    return std::get<e2e3d::promql::StringLiteral>(parse(e)->node).value;
  };
  CHECK(str(R"("a\"b")") == "a\"b");
  CHECK(str(R"('it\'s')") == "it's");
  CHECK(str(R"("tab\tnew\nline")") == "tab\tnew\nline");
  CHECK(str(R"("\x41\101\u00e9\U0001F600")") == "AA\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(str(R"(`raw \n "quoted"`)") == R"(raw \n "quoted")");
  CHECK(str("\"caf\xc3\xa9\"") == "caf\xc3\xa9");
}

TEST_CASE("hostile nesting is refused before it can overflow the stack") {
  for (const std::string& expr :
       {std::string(5000, '(') + "1" + std::string(5000, ')'), std::string(5000, '-') + "1", [] {
          std::string s = "1";
          for (int i = 0; i < 5000; ++i)
            s += "^1";
          return s;
        }()}) {
    INFO(expr.substr(0, 10));
    try {
      parse(expr);
      FAIL("parsed");
    } catch (const e2e3d::ParseError& e) {
      CHECK(std::string(e.what()).find("nested more than 2000 levels") != std::string::npos);
    }
  }
  CHECK(parse(std::string(1000, '(') + "7" + std::string(1000, ')'))->depth == 1001);
}
