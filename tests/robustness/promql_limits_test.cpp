// PromQL at its limits through the built binary (`query`): numbers at the edges of a double,
// nesting deep enough to overflow a recursive parser's stack, regular expressions that take
// exponential time in a backtracking engine, selectors and label values of extreme sizes.
// Each is answered or rejected with exit code 3 and one clear line, in bounded time.
#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "one_line.hpp"
#include "support/child_process.hpp"
#include "temp_file.hpp"

using namespace e2e3d::test;
using nlohmann::json;

namespace {

constexpr double kSeconds = 10.0;

RunResult query(const std::string& file, const std::string& expr) {
  return run_tool({"query", "--file", file, "--output", "json", "--", expr});
}

std::string fixture() {
  return fixture_path("e2e3d_python.txt");
}

// The value of a scalar result, or of the only sample of a vector result, as the API prints it.
std::string single_value(const RunResult& r) {
  INFO("stdout: " << r.out.substr(0, 500) << "\nstderr: " << r.err.substr(0, 500));
  REQUIRE(r.exit_code == 0);
  json body = json::parse(r.out);
  REQUIRE(body.at("status") == "success");
  const json& data = body.at("data");
  if (data.at("resultType") == "scalar") return data.at("result").at(1);
  REQUIRE(data.at("resultType") == "vector");
  REQUIRE(data.at("result").size() == 1);
  return data.at("result").at(0).at("value").at(1);
}

}  // namespace

TEST_CASE("number literals at the limits of a double print as Prometheus prints them") {
  // Checked against Prometheus 2.42's /api/v1/query: Go's strconv 'f' format, shortest digits
  // that round-trip, padded with zeros; no exponent at either end.
  CHECK(single_value(query(fixture(), "1e308")) == "1" + std::string(308, '0'));
  CHECK(single_value(query(fixture(), "1e308 * 10")) == "+Inf");
  CHECK(single_value(query(fixture(), "-1e308 * 10")) == "-Inf");
  CHECK(single_value(query(fixture(), "4.9e-324")) == "0." + std::string(323, '0') + "5");
  CHECK(single_value(query(fixture(), "4.9e-324 / 2")) == "0");
  CHECK(single_value(query(fixture(), "-0")) == "-0");
  CHECK(single_value(query(fixture(), "0 * -1")) == "-0");
  CHECK(single_value(query(fixture(), "0x1F")) == "31");
  CHECK(single_value(query(fixture(), "0x7fffffffffffffff")) == "9223372036854776000");
  CHECK(single_value(query(fixture(), "Inf - Inf")) == "NaN");
  CHECK(single_value(query(fixture(), "1e21")) == "1000000000000000000000");
  CHECK(single_value(query(fixture(), "1e20")) == "100000000000000000000");
}

TEST_CASE("malformed numbers are a parse error, not a crash") {
  for (std::string expr : {"0x", "0xg", "1e", "1e309", "1.2.3", "0x1p3", "--", "1e+"}) {
    INFO(expr);
    RunResult r = query(fixture(), expr);
    require_bad_input(r);
    CHECK(r.seconds < kSeconds);
  }
}

// One argument of a command line holds at most 128 KiB (Linux's MAX_ARG_STRLEN), and `query`
// takes its expression as an argument: the inputs below are as deep as that allows.
constexpr std::size_t kMaxArgument = 131071;

TEST_CASE("100,000 unclosed parentheses are a clear error, not a stack overflow") {
  std::string expr = std::string(100000, '(') + "1";
  RunResult r = query(fixture(), expr);
  require_bad_input(r);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("65,000 nested parentheses are evaluated or refused, never a stack overflow") {
  std::string expr = std::string(65000, '(') + "1" + std::string(65000, ')');
  REQUIRE(expr.size() <= kMaxArgument);
  RunResult r = query(fixture(), expr);
  if (r.exit_code == 0) {
    CHECK(single_value(r) == "1");
  } else {
    require_bad_input(r);
  }
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("other deep nestings are bounded too") {
  std::string calls;
  for (int i = 0; i < 25000; ++i)
    calls += "abs(";
  calls += "1" + std::string(25000, ')');
  std::string unary(100000, '-');
  unary += "1";
  std::string powers = "2";
  for (int i = 0; i < 60000; ++i)
    powers += "^1";  // right-associative: nests to the right
  for (const auto& expr : {calls, unary, powers}) {
    INFO(expr.substr(0, 20));
    REQUIRE(expr.size() <= kMaxArgument);
    RunResult r = query(fixture(), expr);
    if (r.exit_code == 0) {
      // An answer must be the right one: these compute 1, 1 (an even number of minus signs)
      // and 2.
      std::string value = single_value(r);
      CHECK((value == "1" || value == "2"));
    } else {
      require_bad_input(r);
    }
    CHECK(r.seconds < kSeconds);
  }
}

TEST_CASE("a long left-associative chain is evaluated or refused, in bounded time") {
  std::string sum = "1";
  for (int i = 1; i < 60000; ++i)
    sum += "+1";
  REQUIRE(sum.size() <= kMaxArgument);
  RunResult r = query(fixture(), sum);
  if (r.exit_code == 0) {
    CHECK(single_value(r) == "60000");
  } else {
    require_bad_input(r);
  }
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("regular expressions that explode in a backtracking engine stay linear") {
  // Against a 100,000-character label value that almost matches: a backtracking engine tries
  // 2^n ways to split the a's before failing; RE2 answers in one pass.
  std::string value = std::string(100000, 'a') + "!";
  TempFile file("regex.txt", "victim{v=\"" + value + "\"} 1\nvictim{v=\"aaa\"} 2\n");
  for (std::string re : {"(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}", "(a|a?)+b"}) {
    INFO(re);
    RunResult r = query(file.path(), fmt::format("victim{{v=~\"{}\"}}", re));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json result = json::parse(r.out).at("data").at("result");
    // Prometheus anchors the regex at both ends: only "aaa" can match, and only some do.
    CHECK(result.size() <= 1);
    CHECK(r.seconds < kSeconds);
  }
  RunResult replaced =
      query(file.path(), "label_replace(victim, \"w\", \"$1\", \"v\", \"(a+)+$\")");
  INFO(replaced.err);
  CHECK(replaced.exit_code == 0);
  CHECK(replaced.seconds < kSeconds);
}

TEST_CASE("a regular expression beyond RE2's limits is a clear error") {
  for (std::string re : {"(a{1000}){1000}", "a{1001}", "(", "[z-a]", "(?<name>a)", "\\8"}) {
    INFO(re);
    RunResult r = query(fixture(), fmt::format("up{{job=~\"{}\"}}", re));
    require_bad_input(r);
    CHECK(r.seconds < kSeconds);
  }
}

TEST_CASE("a selector with 15,000 matchers is evaluated or refused, in bounded time") {
  std::string expr = "reconstruction_total{";
  for (int i = 0; i < 15000; ++i)
    expr += i ? ",x!=\"y\"" : "x!=\"y\"";
  expr += "}";
  REQUIRE(expr.size() <= kMaxArgument);
  RunResult r = query(fixture(), expr);
  if (r.exit_code == 0) {
    CHECK(single_value(r) == "10");  // no matcher excludes the one series
  } else {
    require_bad_input(r);
  }
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("a label value of 8 MB comes back whole") {
  std::string value(8u << 20, 'v');
  TempFile file("big.txt", "big{x=\"" + value + "\"} 1\n");
  RunResult r = query(file.path(), "big");
  INFO(r.err.substr(0, 500));
  REQUIRE(r.exit_code == 0);
  json result = json::parse(r.out).at("data").at("result");
  REQUIRE(result.size() == 1);
  CHECK(result.at(0).at("metric").at("x").get<std::string>().size() == value.size());
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("expressions with control characters and NUL bytes are rejected cleanly") {
  for (std::string expr : {std::string("up\x1b[2J"), std::string("up{a=\"\0\"}", 10),
                           std::string("\"\x07\""), std::string("up\r\n+ 1")}) {
    RunResult r = query(fixture(), expr);
    if (r.exit_code == 0) continue;  // a string literal with a control character is valid PromQL
    require_bad_input(r);
  }
}
