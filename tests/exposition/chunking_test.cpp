// Chunk boundaries fall anywhere on the network: every split of the input gives the same scrape.

#include <random>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "exposition/scrape_dump.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

std::string parse_in_chunks(std::string_view text, const std::vector<std::size_t>& sizes) {
  ExpositionParser parser;
  std::size_t offset = 0;
  std::size_t k = 0;
  while (offset < text.size()) {
    const std::size_t size = std::min(sizes[k++ % sizes.size()], text.size() - offset);
    parser.feed(text.substr(offset, size));
    offset += size;
  }
  return test::dump(parser.finish());
}

}  // namespace

TEST_CASE("Every fixture parses the same whole, byte by byte and in random chunks",
          "[exposition][chunks]") {
  const auto name = GENERATE(as<std::string>{}, "e2e3d_python.txt", "e2e3d_python.om.txt",
                             "node_exporter.txt", "prometheus.txt", "prometheus.om.txt");
  INFO(name);
  const std::string text = test::read_file(test::fixture_path(name));
  const std::string whole = test::dump(parse_exposition(text));
  REQUIRE(whole.size() > 100);

  CHECK(parse_in_chunks(text, {1}) == whole);

  std::mt19937 random(std::hash<std::string>{}(name));
  for (int round = 0; round < 5; ++round) {
    std::vector<std::size_t> sizes(64);
    for (auto& size : sizes)
      size = std::uniform_int_distribution<std::size_t>(1, 300)(random);
    CHECK(parse_in_chunks(text, sizes) == whole);
  }
  // Empty chunks are harmless.
  ExpositionParser parser;
  parser.feed("");
  parser.feed(text);
  parser.feed("");
  CHECK(test::dump(parser.finish()) == whole);
}

TEST_CASE("An error is found at the same place whatever the chunking", "[exposition][chunks]") {
  const std::string text = "a 1\nb{x=\"1\"} 2\nc{x=\"1\",x=\"2\"} 3\n";
  std::string first;
  try {
    parse_exposition(text, std::nullopt, "in");
  } catch (const ParseError& error) {
    first = error.what();
  }
  REQUIRE(first == "in:3:9: the label \"x\" appears twice in one series, found \"x=\"2\"} 3\"");
  for (std::size_t size = 1; size < 8; ++size) {
    ExpositionParser parser(std::nullopt, "in");
    std::string message;
    try {
      for (std::size_t offset = 0; offset < text.size(); offset += size) {
        parser.feed(std::string_view(text).substr(offset, size));
      }
      parser.finish();
    } catch (const ParseError& error) {
      message = error.what();
    }
    CHECK(message == first);
  }
}
