// ExpositionParser::feed_from reads and lexes on a second thread: whatever the input and however
// the reads split it, the scrape and the first error must be those of feed().

#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "exposition/scrape_dump.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

// The dump of the scrape, or the error's message.
std::string outcome(const std::function<Scrape()>& parse) {
  try {
    return test::dump(parse());
  } catch (const ParseError& error) {
    return std::string("error: ") + error.what();
  }
}

// Reads `text` in pieces of the given sizes, in turn (0 in `sizes` means "as much as fits").
ExpositionParser::ReadFunction reader_of(std::string_view text, std::vector<std::size_t> sizes) {
  auto offset = std::make_shared<std::size_t>(0);
  auto turn = std::make_shared<std::size_t>(0);
  return [text, sizes, offset, turn](char* buffer, std::size_t capacity) {
    std::size_t size = std::min(capacity, text.size() - *offset);
    const std::size_t wanted = sizes[(*turn)++ % sizes.size()];
    if (wanted != 0) size = std::min(size, wanted);
    std::memcpy(buffer, text.data() + *offset, size);
    *offset += size;
    return size;
  };
}

std::string read_ahead(std::string_view text, std::vector<std::size_t> sizes) {
  return outcome([&] {
    ExpositionParser parser(std::nullopt, "in");
    parser.feed_from(reader_of(text, std::move(sizes)));
    return parser.finish();
  });
}

std::string whole(std::string_view text) {
  return outcome([&] { return parse_exposition(text, std::nullopt, "in"); });
}

void check_alike(const std::string& text, uint64_t seed) {
  const std::string expected = whole(text);
  CHECK(read_ahead(text, {0}) == expected);
  CHECK(read_ahead(text, {1}) == expected);
  std::mt19937_64 random(seed);
  std::vector<std::size_t> sizes(32);
  for (auto& size : sizes)
    size = std::uniform_int_distribution<std::size_t>(1, 200)(random);
  CHECK(read_ahead(text, sizes) == expected);
}

}  // namespace

TEST_CASE("Reading ahead gives the scrape and the error of feed() for every fixture",
          "[exposition][read-ahead]") {
  std::vector<std::string> paths;
  for (const char* name : {"e2e3d_python.txt", "e2e3d_python.om.txt", "node_exporter.txt",
                           "prometheus.txt", "prometheus.om.txt"}) {
    paths.push_back(test::fixture_path(name));
  }
  for (const auto& entry : std::filesystem::directory_iterator(test::fixture_path("malformed")))
    paths.push_back(entry.path().string());
  REQUIRE(paths.size() > 20);
  for (const auto& path : paths) {
    INFO(path);
    check_alike(test::read_file(path), std::hash<std::string>{}(path));
  }
}

TEST_CASE("Reading ahead takes every shape of sample line the long way or the short way alike",
          "[exposition][read-ahead]") {
  // Lines the lexer takes, next to near variants it must leave to the full grammar.
  std::vector<std::string> samples = {
      "a{x=\"{}\",y=\"2\"} 1",
      "a{x=\"{}\",y=\"2\"}  1",
      "a {x=\"1\"} 1",
      "a{x=\"1\",} 1",
      "a{x=\"1\" , y=\"2\"} 1",
      "a{x=\"q\\\"\"} 1",
      "a{x=\"\\n\"} 1",
      "a{x=\"1\"}1",
      "a{} 1",
      "a 1 123",
      "a 1 123 ",
      "a 1\t123",
      "a\t1",
      "a 1e400",
      "a NaN",
      "a -Inf 5",
      "a{x=\"\xc3\xa9\"} 1",
      "a{x=\"\xc3\"} 1",
      "a{__name__=\"b\"} 1",
      "a{x=\"1\",x=\"2\"} 1",
      "a 1 12a",
      "a{x=\"1\"} 1 -5",
      ":a:b 1",
      "a{x=\"1\"} 1\r",
      "a{x=1} 1",
      "a{x=\"1} 1",
      "a{9=\"1\"} 1",
      "a_bucket{le=\"+Inf\"} 1",
      "a_sum 2",
      "a_count 1",
  };
  samples.push_back(std::string("a{x=\"1\0\"} 1", 11));  // a NUL in a value
  samples.push_back("a{x=\"0123456789abcdef0123456789abcdef\xc3\xa9\"} 1");
  samples.push_back("a{x=\"0123456789abcdef0123456789abcde\\\\\"} 1");
  std::mt19937_64 random(42);
  for (int round = 0; round < 200; ++round) {
    // A first blank line decides the format (text) at once, so the lexed lines are parsed as
    // they come; without it they wait for the end of the input, undecided.
    std::string text = round % 4 == 0 ? "# TYPE a_x gauge\n" : "\n# TYPE a_x gauge\n";
    const int lines = std::uniform_int_distribution<int>(1, 6)(random);
    for (int i = 0; i < lines; ++i) {
      const auto& line =
          samples[std::uniform_int_distribution<std::size_t>(0, samples.size() - 1)(random)];
      // A distinct label keeps most lines from being duplicate series.
      text += line + "\n";
      text += fmt::format("b{{n=\"{}\"}} {}\n", round * 10 + i, i);
    }
    INFO(text);
    check_alike(text, random());
  }
}

TEST_CASE("Reading ahead over many buffers: long inputs, long lines, no final line feed",
          "[exposition][read-ahead]") {
  std::string text = "# HELP jobs Jobs.\n# TYPE jobs counter\n";
  for (int i = 0; i < 70000; ++i)  // past 65,536 series: the duplicate check uses two threads
    text += fmt::format("jobs{{job_id=\"{:08x}-{}\",status=\"{}\"}} {}.5\n", i * 2654435761u, i,
                        i % 3 == 0 ? "failed" : "completed", i);
  text += "long{x=\"" + std::string(3 << 20, 'v') + "\"} 1\n";
  text += "# TYPE tail gauge\ntail 1";
  REQUIRE(text.size() > (std::size_t{5} << 20));
  const std::string expected = whole(text);
  REQUIRE(expected.starts_with("format"));
  CHECK(read_ahead(text, {0}) == expected);
  CHECK(read_ahead(text, {100000, 7, 1 << 20}) == expected);

  // A duplicate far into the input is reported at its line.
  const std::string duplicated =
      text.substr(0, text.size() - 6) + "jobs{job_id=\"00000000-0\"," + "status=\"failed\"} 3\n";
  const std::string error = whole(duplicated);
  REQUIRE(error.find("duplicate series") != std::string::npos);
  CHECK(read_ahead(duplicated, {0}) == error);
}

TEST_CASE("Reading ahead: feed() before, errors of the read and of the inspection",
          "[exposition][read-ahead]") {
  SECTION("a line begun by feed() is finished by feed_from()") {
    ExpositionParser parser;
    parser.feed("a 1\nb{x=\"");
    parser.feed_from(reader_of("y\"} 2\nc 3\n", {0}));
    CHECK(test::dump(parser.finish()) == test::dump(parse_exposition("a 1\nb{x=\"y\"} 2\nc 3\n")));
  }
  SECTION("what the read throws comes out, after the lines before it are parsed") {
    ExpositionParser parser;
    int calls = 0;
    auto read = [&](char* buffer, std::size_t) -> std::size_t {
      if (calls++ == 0) {
        std::memcpy(buffer, "a 1\nb{", 6);
        return 6;
      }
      throw std::runtime_error("disk on fire");
    };
    CHECK_THROWS_WITH(parser.feed_from(read), "disk on fire");
  }
  SECTION("a syntax error before the failed read wins") {
    ExpositionParser parser(std::nullopt, "in");
    int calls = 0;
    auto read = [&](char* buffer, std::size_t) -> std::size_t {
      if (calls++ == 0) {
        // The blank line decides the format (text), so "b{{" is parsed at once.
        std::memcpy(buffer, "\nb{{\n", 5);
        return 5;
      }
      throw std::runtime_error("disk on fire");
    };
    CHECK_THROWS_AS(parser.feed_from(read), ParseError);
  }
  SECTION("the inspection sees every byte once, in order, and may stop the parse") {
    std::string text;
    for (int i = 0; i < 100000; ++i)
      text += fmt::format("s{{i=\"{}\"}} 1\n", i);
    std::string seen;
    ExpositionParser parser;
    parser.feed_from(reader_of(text, {0, 333}), [&](std::string_view chunk) { seen += chunk; });
    CHECK(seen == text);
    CHECK(parser.finish().series_count() == 100000);

    ExpositionParser stopped;
    CHECK_THROWS_WITH(stopped.feed_from(reader_of(text, {0}),
                                        [](std::string_view) -> void {
                                          throw std::runtime_error("not metrics");
                                        }),
                      "not metrics");
  }
}
