#pragma once
// Lines found and text-format samples tokenized ahead of the parser, on the reader thread (see
// read_ahead.cpp). Only the common shape is lexed here: `name{a="b",...} value [timestamp]` with
// single spaces, no escapes and valid UTF-8. Any other line (comments, blanks, escapes, errors)
// is handed over as it is, and the parser reads it with its full grammar, so the lexer can never
// change what is accepted or which error is reported: it only moves work to another core.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace e2e3d::detail {

struct LexedLabel {
  uint32_t name_offset;  // from the start of the line
  uint32_t name_size;
  uint32_t value_offset;
  uint32_t value_size;
  uint32_t value_hash;  // Scrape::Builder::hash of the value
};

struct LexedLine {
  static constexpr uint32_t kNotLexed = 0;

  const char* begin;  // the line, without its '\n'
  std::size_t size;
  uint32_t name_size;  // kNotLexed: parse the line itself
  uint32_t first_label;
  uint32_t label_count;
  double value;
  int64_t timestamp_ms;
};

struct LexedChunk {
  std::vector<LexedLine> lines;
  std::vector<LexedLabel> labels;
};

// Lexes the complete lines of [begin, end), which ends just after a '\n', into `out`.
// Lines longer than 4 GiB are passed as they are.
void lex_lines(const char* begin, const char* end, LexedChunk& out);

}  // namespace e2e3d::detail
