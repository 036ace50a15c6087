#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "e2e3d/promql/lexer.hpp"

using e2e3d::promql::lex;
using e2e3d::promql::Tok;

namespace {
std::vector<Tok> kinds(const std::string& input) {
  std::vector<Tok> out;
  for (const auto& t : lex(input))
    out.push_back(t.type);
  return out;
}
}  // namespace

TEST_CASE("lexer: keywords are case-insensitive, metric names may contain colons") {
  CHECK(kinds("SUM by Without") == std::vector<Tok>{Tok::sum, Tok::by, Tok::without, Tok::eof});
  CHECK(kinds("a:b c") == std::vector<Tok>{Tok::metric_identifier, Tok::identifier, Tok::eof});
  CHECK(kinds("Inf NaN") == std::vector<Tok>{Tok::number, Tok::number, Tok::eof});
}

TEST_CASE("lexer: numbers and durations") {
  CHECK(kinds("1 0x1f .5 1e-3 5m 1h30m 10ms") ==
        std::vector<Tok>{Tok::number, Tok::number, Tok::number, Tok::number, Tok::duration,
                         Tok::duration, Tok::duration, Tok::eof});
  CHECK(kinds("foo[5m:1m]") == std::vector<Tok>{Tok::identifier, Tok::left_bracket, Tok::duration,
                                                Tok::colon, Tok::duration, Tok::right_bracket,
                                                Tok::eof});
}

TEST_CASE("lexer: inside braces everything alphabetic is an identifier") {
  CHECK(kinds("{by=\"x\", on!~'y'}") ==
        std::vector<Tok>{Tok::left_brace, Tok::identifier, Tok::eql, Tok::string, Tok::comma,
                         Tok::identifier, Tok::neq_regex, Tok::string, Tok::right_brace, Tok::eof});
}

TEST_CASE("lexer: errors stop the token stream at the failing token's start") {
  auto toks = lex("foo{a=\"b\" ! }");
  REQUIRE(toks.back().type == Tok::error);
  CHECK(toks.back().error == "unexpected character after '!' inside braces: ' '");
  CHECK(toks.back().pos == 10);
  toks = lex("1 $");
  CHECK(toks.back().error == "unexpected character: '$'");
  toks = lex("\"abc");
  CHECK(toks.back().error == "unterminated quoted string");
  CHECK(toks.back().pos == 0);
  toks = lex("`abc");
  CHECK(toks.back().error == "unterminated raw string");
}

TEST_CASE("lexer: token descriptions match Prometheus's") {
  auto d = [](const std::string& input) { return e2e3d::promql::describe(lex(input).front()); };
  CHECK(d("foo") == "identifier \"foo\"");
  CHECK(d("a:b") == "metric identifier \"a:b\"");
  CHECK(d("42") == "number \"42\"");
  CHECK(d("\"a long string value\"") == "string \"\\\"a long st\"...");
  CHECK(d("+") == "<op:+>");
  CHECK(d("sum") == "<aggr:sum>");
  CHECK(d("by") == "<by>");
  CHECK(d("(") == "\"(\"");
  CHECK(d("") == "end of input");
}
