#pragma once
// Incremental parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0 text format.
// Feed it chunks as they arrive from the network; it never needs the whole body in memory.

#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/error.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d {

// The format a Content-Type names, or nullopt when it names neither (then the parser detects it).
std::optional<ExpositionFormat> format_from_content_type(std::string_view content_type);

class ExpositionParser {
 public:
  // `format` nullopt: detected from the content (`# EOF`, OpenMetrics-only syntax).
  // `source_name` prefixes error messages: "metrics.txt:12:5: ...".
  explicit ExpositionParser(std::optional<ExpositionFormat> format = std::nullopt,
                            std::string source_name = "<input>");
  ~ExpositionParser();
  ExpositionParser(const ExpositionParser&) = delete;
  ExpositionParser& operator=(const ExpositionParser&) = delete;

  // Throws ParseError with the line and column of the first problem.
  void feed(std::string_view chunk);
  // Ends the input (checks `# EOF` for OpenMetrics) and hands over the scrape.
  Scrape finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses a whole text at once.
Scrape parse_exposition(std::string_view text,
                        std::optional<ExpositionFormat> format = std::nullopt,
                        std::string source_name = "<input>");

}  // namespace e2e3d
