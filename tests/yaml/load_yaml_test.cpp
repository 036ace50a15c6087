// load_yaml: aliases are counted as if written out, and a document that would expand past the
// limit, or contain itself, is refused at the alias that does it.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "e2e3d/yaml_load.hpp"

using e2e3d::load_yaml;
using e2e3d::YamlLimits;

namespace {

// Three levels of `width` aliases of the level below: width^3 scalars from a few kilobytes.
std::string laughs(int width) {
  std::string text = "a: &a [";
  for (int i = 0; i < width; ++i)
    text += i ? ",x" : "x";
  text += "]\nb: &b [";
  for (int i = 0; i < width; ++i)
    text += i ? ",*a" : "*a";
  text += "]\nc: [";
  for (int i = 0; i < width; ++i)
    text += i ? ",*b" : "*b";
  text += "]\n";
  return text;
}

}  // namespace

TEST_CASE("a document within the limit loads, aliases shared as yaml-cpp shares them") {
  YAML::Node root = load_yaml("base: &base {job: e2e3d}\nfirst: *base\nsecond: *base\n");
  CHECK(root["first"]["job"].as<std::string>() == "e2e3d");
  CHECK(root["second"]["job"].as<std::string>() == "e2e3d");
  // 1,110 x (10 written, 1,100 through aliases), 123 lists, 3 keys and the root: 1,237 nodes.
  CHECK(load_yaml(laughs(10), YamlLimits{1237})["c"].size() == 10);
}

TEST_CASE("the billion laughs are refused at the alias that passes the limit, at once") {
  try {
    load_yaml(laughs(400));
    FAIL("400 x 400 x 400 scalars were accepted");
  } catch (const YAML::ParserException& e) {
    INFO(e.what());
    CHECK(e.msg.find("more than 200000 nodes once its aliases are expanded") != std::string::npos);
    CHECK(e.msg.find("the alias *b here") != std::string::npos);
    CHECK(e.mark.line == 2);  // the line of c:, 0-based as yaml-cpp counts
    CHECK(e.mark.column > 3);
  }
  // Exactly at the limit is fine; one node more is not.
  CHECK_NOTHROW(load_yaml(laughs(10), YamlLimits{1237}));
  CHECK_THROWS_AS(load_yaml(laughs(10), YamlLimits{1236}), YAML::ParserException);
}

TEST_CASE("a node with an alias of itself is refused: it would contain itself") {
  for (std::string text : {"a: &a [1, *a]\n", "a: &a {b: *a}\n", "- &x\n  - *x\n"}) {
    INFO(text);
    try {
      load_yaml(text);
      FAIL("accepted");
    } catch (const YAML::ParserException& e) {
      INFO(e.what());
      CHECK(e.msg.find("would contain itself") != std::string::npos);
    }
  }
}

TEST_CASE("large documents without aliases count too") {
  std::string text = "[";
  for (int i = 0; i < 1000; ++i)
    text += fmt::format("{}{}", i ? "," : "", i);
  text += "]";
  CHECK(load_yaml(text, YamlLimits{1001}).size() == 1000);
  CHECK_THROWS_AS(load_yaml(text, YamlLimits{1000}), YAML::ParserException);
}

TEST_CASE("syntax errors still come from yaml-cpp, with their place") {
  CHECK_THROWS_AS(load_yaml("a: [1, 2\n"), YAML::ParserException);
  CHECK(load_yaml("").IsNull());
}
