// Parse errors: every message and position below was produced by a real Prometheus 2.42
// (/api/v1/query on the Debian package) for the same expression.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "e2e3d/promql/parser.hpp"

namespace {
struct Case {
  std::string expr;
  std::string message;
};

const std::vector<Case> kPrometheusErrors = {
    {R"q(abs(1 2))q", R"q(1:7: parse error: unexpected number "2")q"},
    {R"q(abs(1,))q", R"q(1:6: parse error: trailing commas not allowed in function call args)q"},
    {R"q(sum foo)q", R"q(1:5: parse error: unexpected identifier "foo")q"},
    {R"q(sum by foo (x))q",
     R"q(1:8: parse error: unexpected identifier "foo" in grouping opts, expected "(")q"},
    {R"q(foo{a})q",
     R"q(1:6: parse error: unexpected "}" in label matching, expected label matching operator)q"},
    {R"q(foo{a=b})q",
     R"q(1:7: parse error: unexpected identifier "b" in label matching, expected string)q"},
    {R"q(foo{a="b" c="d"})q",
     R"q(1:11: parse error: unexpected identifier "c" in label matching, expected "," or "}")q"},
    {R"q(foo{=})q",
     R"q(1:5: parse error: unexpected "=" in label matching, expected identifier or "}")q"},
    {R"q(foo offset x)q",
     R"q(1:12: parse error: unexpected identifier "x" in offset, expected duration)q"},
    {R"q(1 +)q", R"q(1:4: parse error: unexpected end of input)q"},
    {R"q((1)q", R"q(1:3: parse error: unclosed left parenthesis)q"},
    {R"q(1))q", R"q(1:3: parse error: unexpected right parenthesis ')')q"},
    {R"q(foo[5m)q", R"q(1:7: parse error: unclosed left bracket)q"},
    {R"q(foo{)q", R"q(1:5: parse error: unexpected end of input inside braces)q"},
    {R"q("abc)q", R"q(1:1: parse error: unterminated quoted string)q"},
    {R"q(foo bar)q", R"q(1:5: parse error: unexpected identifier "bar")q"},
    {R"q(sum(foo) by)q",
     R"q(1:12: parse error: unexpected end of input in grouping opts, expected "(")q"},
    {R"q(1 == 1)q", R"q(1:3: parse error: comparisons between scalars must use BOOL modifier)q"},
    {R"q(foo and 1)q",
     R"q(1:1: parse error: set operator "and" not allowed in binary scalar expression)q"},
    {R"q(foo + bool bar)q",
     R"q(1:5: parse error: bool modifier can only be used on comparison operators)q"},
    {R"q(rate(foo))q",
     R"q(1:6: parse error: expected type range vector in call to function "rate", got instant vector)q"},
    {R"q(abs())q", R"q(1:1: parse error: expected 1 argument(s) in call to "abs", got 0)q"},
    {R"q(foo{a=~"("})q",
     R"q(1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`)q"},
    {R"q({a=""})q",
     R"q(1:1: parse error: vector selector must contain at least one non-empty matcher)q"},
    {R"q(foo{__name__="bar"})q",
     R"q(1:1: parse error: metric name must not be set twice: "foo" or "bar")q"},
    {R"q(sum(1,2))q",
     R"q(1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2)q"},
    {R"q(topk(foo))q",
     R"q(1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1)q"},
    {R"q(xyz(1))q", R"q(1:1: parse error: unknown function with name "xyz")q"},
    {R"q(-"a")q",
     R"q(1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string")q"},
    {R"q(foo @ bar)q",
     R"q(1:7: parse error: unexpected identifier "bar" in @, expected timestamp)q"},
    {R"q((foo)[5m])q", R"q(1:6: parse error: ranges only allowed for vector selectors)q"},
    {R"q(sum(foo) offset 5m)q",
     R"q(1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery)q"},
    {R"q(foo[0s])q", R"q(1:5: parse error: duration must be greater than 0)q"},
    {R"q(1 + foo[5m])q",
     R"q(1:5: parse error: binary expression must contain only scalar and instant vector types)q"},
    {R"q(foo on(a) bar)q", R"q(1:5: parse error: unexpected <on>)q"},
    {R"q(a + on(b) group_left(b) c)q",
     R"q(1:3: parse error: label "b" must not occur in ON and GROUP clause at once)q"},
    {R"q(a and on(b) group_left c)q",
     R"q(1:1: parse error: no grouping allowed for "and" operation)q"},
    {R"q(a + bool 1)q",
     R"q(1:3: parse error: bool modifier can only be used on comparison operators)q"},
    {R"q(foo{a!b})q", R"q(1:6: parse error: unexpected character after '!' inside braces: 'b')q"},
    {R"q(foo ! bar)q", R"q(1:5: parse error: unexpected character after '!': ' ')q"},
    {R"q(foo =~ bar)q", R"q(1:5: parse error: unexpected character after '=': '~')q"},
    {R"q(0x)q",
     R"q(1:1: parse error: error parsing number: strconv.ParseFloat: parsing "0x": invalid syntax)q"},
    {R"q(1e)q",
     R"q(1:1: parse error: error parsing number: strconv.ParseFloat: parsing "1e": invalid syntax)q"},
    {R"q(1.2.3)q", R"q(1:4: parse error: unexpected number ".3")q"},
    {R"q(5mm)q", R"q(1:1: parse error: bad number or duration syntax: "5mm")q"},
    {R"q(foo[5])q", R"q(1:5: parse error: missing unit character in duration)q"},
    {R"q(label_join(foo))q",
     R"q(1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1)q"},
    {R"q(count_values(1, foo))q",
     R"q(1:14: parse error: expected type string in aggregation parameter, got scalar)q"},
    {R"q(topk("a", foo))q",
     R"q(1:6: parse error: expected type scalar in aggregation parameter, got string)q"},
    {R"q(vector(1) offset -5m)q",
     R"q(1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery)q"},
    {R"q(atan2)q", R"q(1:1: parse error: unexpected <op:atan2>)q"},
    {R"q('a\q')q", R"q(1:1: parse error: unknown escape sequence U+0071 'q')q"},
    {R"q("\xZZ")q", R"q(1:1: parse error: illegal character U+005A 'Z' in escape sequence)q"},
    {R"q("\u12")q", R"q(1:1: parse error: illegal character U+0022 '"' in escape sequence)q"},
    {R"q(foo{a="\400"})q",
     R"q(1:7: parse error: escape sequence is an invalid Unicode code point)q"},
    {R"q(sum by (a))q", R"q(1:11: parse error: unexpected end of input in aggregation)q"},
    {R"q(sum(foo) by (a)q", R"q(1:15: parse error: unclosed left parenthesis)q"},
    {R"q(sum())q", R"q(1:1: parse error: no arguments for aggregate expression provided)q"},
    {R"q(foo[5m:1m:])q", R"q(1:10: parse error: unexpected colon ':')q"},
    {R"q(foo[5m:x])q", R"q(1:8: parse error: unexpected colon 'x')q"},
    {R"q(foo[x])q", R"q(1:5: parse error: bad duration syntax: "")q"},
    {R"q(foo{a="b",,})q",
     R"q(1:11: parse error: unexpected "," in label matching, expected identifier or "}")q"},
    {R"q({})q",
     R"q(1:1: parse error: vector selector must contain at least one non-empty matcher)q"},
    {R"q(foo + group_left bar)q", R"q(1:7: parse error: unexpected <group_left>)q"},
    {R"q((1 + 2)q", R"q(1:7: parse error: unclosed left parenthesis)q"},
    {R"q(1 +* 2)q", R"q(1:4: parse error: unexpected <op:*>)q"},
    {R"q(foo{a="b"} offset 5m offset 1m)q",
     R"q(1:1: parse error: offset may not be set multiple times)q"},
    {R"q(1[5m:])q",
     R"q(1:1: parse error: subquery is only allowed on instant vector, got scalar instead)q"},
    {R"q(foo[5m][1m])q", R"q(1:8: parse error: ranges only allowed for vector selectors)q"},
    {R"q(histogram_quantile(0.9))q",
     R"q(1:1: parse error: expected 2 argument(s) in call to "histogram_quantile", got 1)q"},
    {R"q(round(foo, 1, 2))q",
     R"q(1:1: parse error: expected at most 2 argument(s) in call to "round", got 3)q"},
    {R"q(label_replace(foo, "a", "b", "c"))q",
     R"q(1:1: parse error: expected 5 argument(s) in call to "label_replace", got 4)q"},
    {R"q(time(1))q", R"q(1:1: parse error: expected 0 argument(s) in call to "time", got 1)q"},
    {R"q(scalar(1))q",
     R"q(1:8: parse error: expected type instant vector in call to function "scalar", got scalar)q"},
    {R"q(foo @ start()q", R"q(1:13: parse error: unclosed left parenthesis)q"},
    {R"q(foo @ 1 @ 2)q", R"q(1:1: parse error: @ <timestamp> may not be set multiple times)q"},
    {R"q(sum(foo) by (a) without (b))q", R"q(1:17: parse error: unexpected <without>)q"},
    {R"q(count_values("x"))q",
     R"q(1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1)q"},
    {R"q(quantile(foo, 1))q",
     R"q(1:15: parse error: expected type instant vector in aggregation expression, got scalar)q"},
    {R"q(-foo[5m])q",
     R"q(1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector")q"},
    {R"q(@)q", R"q(1:1: parse error: unexpected "<Item 57385>" <op:@>)q"},
    {R"q(foo offset 5)q",
     R"q(1:12: parse error: unexpected number "5" in offset, expected duration)q"},
    {R"q(sum(x) by (__name__, a:b))q",
     R"q(1:22: parse error: unexpected metric identifier "a:b" in grouping opts, expected label)q"},
    {R"q(é)q", R"q(1:1: parse error: unexpected character: 'é')q"},
    {R"q(foo{é="a"})q", R"q(1:5: parse error: unexpected character inside braces: 'é')q"},
    {R"q(foo ~ bar)q", R"q(1:5: parse error: unexpected character: '~')q"},
    {R"q(`abc)q", R"q(1:1: parse error: unterminated raw string)q"},
    {R"q("a)q", R"q(1:1: parse error: unterminated quoted string)q"},
    {R"q(b")q", R"q(1:2: parse error: unterminated quoted string)q"},
    {R"q(max_over_time(foo))q",
     R"q(1:15: parse error: expected type range vector in call to function "max_over_time", got instant vector)q"},
    {R"q(abs(1) + )q", R"q(1:10: parse error: unexpected end of input)q"},
};
}  // namespace

TEST_CASE("parse errors carry Prometheus's position and wording") {
  for (const auto& c : kPrometheusErrors) {
    INFO("expression: " << c.expr);
    try {
      e2e3d::promql::parse(c.expr);
      FAIL("parsed without error");
    } catch (const e2e3d::ParseError& e) {
      CHECK(std::string(e.what()) == c.message);
    }
  }
}

TEST_CASE("parse errors report line and column separately") {
  try {
    e2e3d::promql::parse("sum(foo)\n  + bar{");
    FAIL("parsed");
  } catch (const e2e3d::ParseError& e) {
    CHECK(e.position().line == 2);
    CHECK(e.position().column == 9);
    CHECK(std::string(e.what()) == "2:9: parse error: unexpected end of input inside braces");
  }
}
