// The malformed corpus (tests/fixtures/malformed): each input is rejected with the line, column
// and message listed in expected.tsv, whole and fed one byte at a time.

#include <filesystem>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

struct Case {
  std::string file;
  std::optional<ExpositionFormat> format;
  uint32_t line;
  uint32_t column;
  std::string message;
};

const std::string kDir = std::string(E2E3D_FIXTURES_DIR) + "/malformed";

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  std::istringstream manifest(test::read_file(kDir + "/expected.tsv"));
  std::string row;
  while (std::getline(manifest, row)) {
    if (row.empty() || row[0] == '#') continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const auto tab = row.find('\t', start);
      fields.push_back(row.substr(start, tab - start));
      start = tab + 1;
    }
    fields.push_back(row.substr(start));
    Case c;
    c.file = fields[0];
    if (fields[1] == "text") c.format = ExpositionFormat::prometheus_text;
    if (fields[1] == "openmetrics") c.format = ExpositionFormat::openmetrics;
    c.line = static_cast<uint32_t>(std::stoul(fields[2]));
    c.column = static_cast<uint32_t>(std::stoul(fields[3]));
    c.message = fields[4];
    cases.push_back(c);
  }
  return cases;
}

std::optional<ParseError> parse_error(const std::string& text, const Case& c,
                                      std::size_t chunk_size) {
  ExpositionParser parser(c.format, c.file);
  try {
    for (std::size_t offset = 0; offset < text.size(); offset += chunk_size) {
      parser.feed(std::string_view(text).substr(offset, chunk_size));
    }
    parser.finish();
  } catch (const ParseError& error) {
    return error;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("Every malformed input is rejected where and how expected.tsv says",
          "[exposition][malformed]") {
  const auto cases = load_cases();
  REQUIRE(cases.size() >= 50);
  std::set<std::string> listed;
  for (const Case& c : cases) {
    INFO(c.file);
    listed.insert(c.file);
    const std::string text = test::read_file(kDir + "/" + c.file);
    for (std::size_t chunk_size : {text.size() + 1, std::size_t{1}, std::size_t{3}}) {
      const auto error = parse_error(text, c, chunk_size);
      REQUIRE(error);
      CHECK(error->kind() == ErrorKind::parse);
      CHECK(error->position().line == c.line);
      CHECK(error->position().column == c.column);
      CHECK(std::string(error->what()) == c.message);
    }
  }
  // No input in the directory goes untested.
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name == "expected.tsv") continue;
    CHECK(listed.count(name) == 1);
  }
}

TEST_CASE("A failed parser keeps failing with the same error", "[exposition][malformed]") {
  ExpositionParser parser(ExpositionFormat::prometheus_text, "x");
  CHECK_THROWS_AS(parser.feed("a 1\nb{\n"), ParseError);
  CHECK_THROWS_WITH(parser.feed("c 1\n"), Catch::Contains("x:2:3: expected a label name"));
  CHECK_THROWS_WITH(parser.finish(), Catch::Contains("x:2:3: expected a label name"));
}

TEST_CASE("Messages are one printable line whatever the input bytes", "[exposition][malformed]") {
  for (const Case& c : load_cases()) {
    const std::string text = test::read_file(kDir + "/" + c.file);
    const auto error = parse_error(text, c, text.size() + 1);
    REQUIRE(error);
    const std::string message = error->what();
    INFO(c.file << ": " << message);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find('\r') == std::string::npos);
    CHECK(message.find('\0') == std::string::npos);
    CHECK(message.rfind(c.file + ":", 0) == 0);
  }
}
