#pragma once
// The parser's state, shared by the line splitter (exposition_parser.cpp), the two line
// grammars (text_lines.cpp, openmetrics_lines.cpp) and family grouping (families.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/scrape.hpp"
#include "exposition/lexed_lines.hpp"

namespace e2e3d {

enum class MetaKind { help, type, unit };

// Text from the input made fit for a one-line message: control characters and bytes that are
// not UTF-8 escaped, cut to about 40 characters.
std::string printable(std::string_view text);

struct ExpositionParser::Impl {
  static constexpr uint32_t kNone = 0xffffffffu;
  // Lines kept while the format is still undecided; past this the input is taken as text.
  static constexpr std::size_t kDetectLimit = 1u << 20;

  Impl(std::optional<ExpositionFormat> format, std::string source);

  // ---- input ----
  void on_line(std::string_view line);  // one complete line, without its '\n'
  // Before the format is known: keeps a line that does not tell the format (true), or decides
  // the format, parsing the lines kept so far, and leaves this line to the caller (false).
  bool held_for_detection(std::string_view line);
  // A line the lexer thread has read ahead (see lexed_lines.hpp): a text-format sample whose
  // tokens are already found, or a line to parse as usual.
  void on_lexed_line(const detail::LexedLine& line, const detail::LexedLabel* labels);
  void handle_line(std::string_view line);
  void decide(ExpositionFormat decided);
  void finish_input();

  // ---- the two grammars ----
  void text_line(const char* p, const char* end);
  void text_comment(const char* p, const char* end);
  void text_sample(const char* p, const char* end);
  void om_line(const char* p, const char* end);
  void om_comment(const char* p, const char* end);
  void om_sample(const char* p, const char* end);

  // Labels between braces; `p` is just past '{'. Returns the position after '}'.
  // `intern` false: validate only (OpenMetrics exemplars are checked, not kept).
  const char* parse_labels(const char* p, const char* end, bool openmetrics, bool intern);
  // One label of the sample being parsed: its name interned, its value interned now when the
  // caches know it, or else at the end of the line. `value_hash` when already computed.
  void add_label(const char* name_at, std::string_view name, std::string_view value,
                 std::optional<uint32_t> value_hash);
  // A quoted string's contents; `p` is just past the opening quote. Sets `value` (pointing into
  // the line or into `unescaped_`) and returns the position after the closing quote.
  const char* parse_quoted(const char* p, const char* end, std::string_view& value);
  // HELP text with its escapes resolved.
  std::string_view unescape_help(const char* p, const char* end, bool openmetrics);

  // ---- families and samples ----
  void on_meta(MetaKind kind, std::string_view name, std::string_view payload, MetricType type);
  void add_sample(const char* name_at, std::string_view name, double value, int64_t timestamp_ms);
  uint32_t text_family(Symbol name_symbol, std::string_view name);
  uint32_t om_family(Symbol name_symbol, std::string_view name, const char* name_at);
  uint32_t new_family(std::string_view name);
  std::optional<uint32_t> family_named(std::string_view name) const;
  Symbol intern_name(std::string_view name);

  // Where series were written, for errors found at the end (duplicates): runs of series on
  // consecutive lines at the same column.
  struct SeriesRun {
    uint32_t first_series;
    uint32_t line;
    uint32_t column;
  };
  void note_series_position(uint32_t series, uint32_t column);
  Position series_position(uint32_t series) const;
  void check_duplicates();

  // ---- errors ----
  [[noreturn]] void fail(const char* at, std::string_view what) const;
  [[noreturn]] void fail_at(Position position, std::string_view what, std::string_view found) const;

  std::optional<ExpositionFormat> format;
  std::string source;
  Scrape scrape;
  Scrape::Builder& builder;

  std::string carry;  // an incomplete last line
  uint32_t line_number = 0;
  bool eof_seen = false;  // OpenMetrics "# EOF"
  bool finished = false;
  bool samples_over_time = false;     // a recording: the same series may come again
  std::optional<ParseError> failure;  // the first error; later calls repeat it

  // Format detection: lines seen before the format was known.
  std::string pending;
  std::string detect_type_name;
  MetricType detect_type = MetricType::unknown;

  // Families: what each has been given so far.
  struct FamilyState {
    bool typed = false;
    bool has_help = false;
    bool has_unit = false;
    uint32_t samples = 0;
  };
  std::vector<FamilyState> family_state;
  std::unordered_map<Symbol, uint32_t> family_by_symbol;
  uint32_t current_family = kNone;  // OpenMetrics: the family whose samples may come next

  // Hot-path caches: consecutive samples usually share their name and label names.
  std::string last_name;
  Symbol last_name_symbol = kNone;
  Symbol cached_family_name = kNone;
  uint32_t cached_family = kNone;
  struct CachedLabelName {
    std::string text;
    Symbol symbol;
    Symbol last_value = kNone;  // the value this position had in the previous series
  };
  std::vector<CachedLabelName> label_name_cache;

  std::vector<SeriesRun> series_runs;

  // The sample being parsed. Label values that need the hash table are interned at the end of
  // the line (intern_pending_values), after a prefetch, so the likely cache miss on a new value
  // overlaps with parsing the rest of the line.
  struct PendingValue {
    uint32_t label;  // index into `labels`
    uint32_t hash;
    const char* data;  // into the line, or nullptr: at `arena_offset` in `pending_arena`
    std::size_t arena_offset;
    uint32_t size;
  };
  std::vector<PendingValue> pending_values;
  std::string pending_arena;  // unescaped values waiting to be interned
  void intern_pending_values();
  std::vector<LabelRef> labels;
  std::vector<const char*> label_positions;
  std::string unescaped;
  std::string help_text;

  // The line being parsed, for error positions.
  const char* line_begin = nullptr;
  const char* line_end = nullptr;
};

}  // namespace e2e3d
