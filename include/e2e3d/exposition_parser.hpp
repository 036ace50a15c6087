#pragma once
// Incremental parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0 text format.
// Feed it chunks as they arrive from the network; it never needs the whole body in memory (only
// the line being read, and while the format is still undecided at most 1 MiB of lines).
//
// What it accepts is what Prometheus 2.42's textparse accepts, with these decisions:
// - Numbers as Go's ParseFloat without hex or underscores (NaN, +Inf, -Inf, Inf, 1e3, .5).
//   Timestamps: text, integer milliseconds; OpenMetrics, seconds (truncated to milliseconds,
//   as Prometheus does). Out-of-range values are errors.
// - CRLF line endings are rejected, as Prometheus rejects them (its lexers do not take \r for
//   whitespace, so every sample line with CRLF fails there too).
// - Text format: blanks between tokens, blank lines, `#` comments, a trailing comma in a label
//   set; TYPE after a family's samples, a second TYPE or HELP, and a label value escape other
//   than \\ \" \n are errors (as in promtool; Prometheus itself is looser there).
// - OpenMetrics: single spaces, no blank lines or other comments, `# EOF` last and nothing
//   after it, each family's lines in one group, metadata before samples, exemplars checked and
//   dropped. A trailing comma in a label set is accepted, as Prometheus accepts it.
// - Everywhere: invalid UTF-8 or NUL in label values and HELP, invalid names, duplicate label
//   names, and duplicate series are errors. Duplicate series are found when the input ends
//   (one sort of all series is far cheaper than checking each as it comes), so a later syntax
//   error is reported before an earlier duplicate.
// - Detection (no format given): OpenMetrics on `# EOF`, `# UNIT`, the OpenMetrics-only types,
//   or a counter family whose first sample adds _total or _created; text on blank or indented
//   lines, plain comments, `untyped`, or a counter sampled under its family's name. Undecided
//   after 1 MiB, it is text.

#include <cstddef>
#include <functional>
#include <memory>
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

  // A hint, before the first feed: the input's size when it is known (a file's), so the
  // scrape's tables are sized once rather than grown.
  void expect_input_bytes(std::size_t bytes);

  // Throws ParseError with the line and column of the first problem.
  void feed(std::string_view chunk);

  // Fills `buffer` with up to `capacity` bytes and returns how many; 0 at the end of the input.
  using ReadFunction = std::function<std::size_t(char* buffer, std::size_t capacity)>;
  // Feeds everything `read` returns, as feed() would, on two cores: a second thread reads and
  // tokenizes the common sample lines ahead while this one interns and stores. `read` runs on
  // that thread; what it throws is rethrown here once the lines before it are parsed.
  // `inspect`, if given, sees each chunk as read, in order, on this thread, before its lines
  // are parsed; it may throw to stop. A stop waits for the read in progress, so this is meant
  // for inputs whose reads never block for long, such as regular files.
  void feed_from(const ReadFunction& read,
                 const std::function<void(std::string_view chunk)>& inspect = {});
  // Ends the input (checks `# EOF` for OpenMetrics) and hands over the scrape.
  Scrape finish();

  // For recordings of samples over time (OpenMetrics allows several timestamped samples of a
  // series): the same series may come more than once and is not reported as a duplicate.
  void allow_samples_over_time();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses a whole text at once.
Scrape parse_exposition(std::string_view text,
                        std::optional<ExpositionFormat> format = std::nullopt,
                        std::string source_name = "<input>");

}  // namespace e2e3d
