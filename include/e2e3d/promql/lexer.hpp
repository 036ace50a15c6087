#pragma once
// PromQL tokens, as Prometheus 2.42's promql/parser/lex.go produces them. The lexer runs to the
// end (or to its first error) up front; the parser then walks the token list.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::promql {

enum class Tok : uint8_t {
  eof,
  error,
  comment,
  identifier,
  metric_identifier,
  number,
  string,
  duration,
  left_paren,
  right_paren,
  left_brace,
  right_brace,
  left_bracket,
  right_bracket,
  comma,
  eql,  // = inside braces
  colon,
  // Operators.
  add,
  sub,
  mul,
  div,
  mod,
  pow,
  eqlc,
  neq,
  lte,
  lss,
  gte,
  gtr,
  eql_regex,
  neq_regex,
  land,
  lor,
  lunless,
  atan2,
  at,
  // Aggregators.
  sum,
  avg,
  count,
  min,
  max,
  group,
  stddev,
  stdvar,
  topk,
  bottomk,
  count_values,
  quantile,
  // Keywords.
  offset,
  by,
  without,
  on,
  ignoring,
  group_left,
  group_right,
  bool_,
  // Preprocessors (the `@ start()` / `@ end()` forms).
  start,
  end,
};

bool is_operator(Tok t);
bool is_aggregator(Tok t);
bool is_keyword(Tok t);
bool is_comparison(Tok t);
bool is_set_operator(Tok t);
// How Prometheus spells a token kind in messages: "+", "sum", "by", "==" ...
std::string_view token_spelling(Tok t);

struct Token {
  Tok type = Tok::eof;
  uint32_t pos = 0;       // byte offset of the token in the expression
  std::string_view text;  // the token's bytes (for error tokens: empty)
  std::string error;      // error tokens: the lexer's message
};

// Lexes the whole expression. The list always ends with one eof or error token; comments are
// dropped. Token texts point into `input`, which must outlive them.
std::vector<Token> lex(std::string_view input);

// The phrase Prometheus uses for a token in "unexpected ..." messages: `identifier "foo"`,
// `"("`, `<op:+>`, `<aggr:sum>`, `<by>`, `end of input`.
std::string describe(const Token& token);

}  // namespace e2e3d::promql
