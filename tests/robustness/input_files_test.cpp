// Hostile and extreme exposition files through the built binary (`show --file`): each is
// either answered or rejected with exit code 3 and one clear line, in bounded time.
#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/scrape.hpp"
#include "one_line.hpp"
#include "support/child_process.hpp"
#include "temp_file.hpp"

using namespace e2e3d::test;

namespace {

// Generous for a sanitizer build on a loaded machine, yet far below what a quadratic or
// exponential path takes on these inputs.
constexpr double kSeconds = 10.0;

std::string fixture() {
  return read_file(fixture_path("e2e3d_python.txt"));
}

RunResult show(const std::string& path, const std::string& input = "") {
  return run_tool({"show", "--file", path, "--output", "json"}, {}, input);
}

}  // namespace

TEST_CASE("a CRLF file is rejected at the first carriage return, with the fix") {
  std::string text;
  for (char c : fixture()) {
    if (c == '\n') text += '\r';
    text += c;
  }
  TempFile file("crlf.txt", text);
  RunResult r = show(file.path());
  require_bad_input(r);
  CHECK(r.err.find("crlf.txt:1:") != std::string::npos);
  CHECK(r.err.find("dos2unix") != std::string::npos);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("a file starting with a UTF-8 byte order mark is rejected at 1:1") {
  TempFile file("bom.txt", "\xef\xbb\xbf" + fixture());
  RunResult r = show(file.path());
  require_bad_input(r);
  CHECK(r.err.find("bom.txt:1:1:") != std::string::npos);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("NUL bytes are rejected wherever they are") {
  std::string text = fixture();
  SECTION("in a label value") {
    text.insert(text.find("generation=\"0") + 12, 1, '\0');
  }
  SECTION("after a value") {
    text.insert(text.find(" 405.0") + 6, 1, '\0');
  }
  SECTION("in a HELP text") {
    text.insert(text.find("Objects collected"), 1, '\0');
  }
  SECTION("at the very end") {
    text += '\0';
  }
  TempFile file("nul.txt", text);
  RunResult r = show(file.path());
  require_bad_input(r);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("the same hostile bytes on standard input") {
  RunResult r = show("-", "a{x=\"\x1b[2J\x07\"} 1\r\n");
  require_bad_input(r);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("a label value of 8 MB is read, in bounded time") {
  std::string text = fixture() + "big{x=\"" + std::string(8u << 20, 'v') + "\"} 1\n";
  TempFile file("big.txt", text);
  RunResult r = show(file.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).at("jobs").at("total") == 10);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("a 10 MB line that is not valid is quoted by a short excerpt only") {
  TempFile file("line.txt", "a 1 " + std::string(10u << 20, 'x') + "\n");
  RunResult r = show(file.path());
  require_bad_input(r);
  CHECK(r.err.size() < 1000);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("100,000 labels on one series are refused at the documented limit") {
  std::string text = "a{";
  for (int i = 0; i < 100000; ++i)
    text += fmt::format("{}l{}=\"{}\"", i ? "," : "", i, i);
  text += "} 1\n";
  TempFile file("labels.txt", text);
  RunResult r = show(file.path());
  require_bad_input(r);
  CHECK(r.err.find(std::to_string(e2e3d::Scrape::Builder::kMaxLabels)) != std::string::npos);
  CHECK(r.err.size() < 1000);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("100,000 series of one family are read in bounded time") {
  std::string text = fixture() + "# TYPE many gauge\n";
  for (int i = 0; i < 100000; ++i)
    text += fmt::format("many{{id=\"{}\"}} {}\n", i, i);
  TempFile file("many.txt", text);
  RunResult r = show(file.path());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.seconds < kSeconds);
}

TEST_CASE("values at the limits of a double are accepted, beyond them refused") {
  std::string limits =
      "# TYPE a gauge\n"
      "a{x=\"max\"} 1.7976931348623157e+308\n"
      "a{x=\"denormal\"} 4.9e-324\n"
      "a{x=\"negative_zero\"} -0\n"
      "a{x=\"nan\"} NaN\n"
      "a{x=\"inf\"} +Inf\n"
      "a{x=\"minus_inf\"} -Inf\n";
  {
    TempFile file("limits.txt", fixture() + limits);
    RunResult r = show(file.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  for (std::string value : {"1e309", "-1e309", "0x10", "1_000"}) {
    INFO(value);
    TempFile file("over.txt", fixture() + "over " + value + "\n");
    RunResult r = show(file.path());
    require_bad_input(r);
    CHECK(r.err.find(value) != std::string::npos);
  }
}

TEST_CASE("an empty file and a file of blank lines are answered, not a crash") {
  for (std::string text : {"", "\n\n\n", "# only a comment\n"}) {
    TempFile file("empty.txt", text);
    RunResult r = show(file.path());
    INFO(r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 3));
    if (r.exit_code == 3) require_bad_input(r);
  }
}
