// A port of Prometheus 2.42's PromQL lexer (promql/parser/lex.go): same tokens, same error
// messages, same error positions (the start of the token being lexed).
#include "e2e3d/promql/lexer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>

#include "promql/go_text.hpp"

namespace e2e3d::promql {
namespace {

constexpr char32_t kEof = 0xFFFFFFFF;

struct Keyword {
  std::string_view word;
  Tok tok;
};
constexpr std::array kKeywords{
    Keyword{"and", Tok::land},
    Keyword{"or", Tok::lor},
    Keyword{"unless", Tok::lunless},
    Keyword{"atan2", Tok::atan2},
    Keyword{"sum", Tok::sum},
    Keyword{"avg", Tok::avg},
    Keyword{"count", Tok::count},
    Keyword{"min", Tok::min},
    Keyword{"max", Tok::max},
    Keyword{"group", Tok::group},
    Keyword{"stddev", Tok::stddev},
    Keyword{"stdvar", Tok::stdvar},
    Keyword{"topk", Tok::topk},
    Keyword{"bottomk", Tok::bottomk},
    Keyword{"count_values", Tok::count_values},
    Keyword{"quantile", Tok::quantile},
    Keyword{"offset", Tok::offset},
    Keyword{"by", Tok::by},
    Keyword{"without", Tok::without},
    Keyword{"on", Tok::on},
    Keyword{"ignoring", Tok::ignoring},
    Keyword{"group_left", Tok::group_left},
    Keyword{"group_right", Tok::group_right},
    Keyword{"bool", Tok::bool_},
    Keyword{"start", Tok::start},
    Keyword{"end", Tok::end},
    Keyword{"inf", Tok::number},
    Keyword{"nan", Tok::number},
};

std::optional<Tok> keyword(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& k : kKeywords) {
    if (k.word == lower) return k.tok;
  }
  return std::nullopt;
}

bool is_space(char32_t r) {
  return r == ' ' || r == '\t' || r == '\n' || r == '\r';
}
bool is_digit(char32_t r) {
  return r >= '0' && r <= '9';
}
bool is_alpha(char32_t r) {
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
}
bool is_alnum(char32_t r) {
  return is_alpha(r) || is_digit(r);
}
bool in_set(char32_t r, std::string_view set) {
  return r != kEof && r < 0x80 && set.find(static_cast<char>(r)) != std::string_view::npos;
}

int digit_value(char32_t r) {
  if (r >= '0' && r <= '9') return static_cast<int>(r - '0');
  if (r >= 'a' && r <= 'f') return static_cast<int>(r - 'a' + 10);
  if (r >= 'A' && r <= 'F') return static_cast<int>(r - 'A' + 10);
  return 16;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

 private:
  std::string_view in_;
  uint32_t pos_ = 0;
  uint32_t start_ = 0;
  uint32_t width_ = 0;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  char32_t string_open_ = 0;

  char32_t next() {
    if (pos_ >= in_.size()) {
      width_ = 0;
      return kEof;
    }
    auto [r, w] = decode_rune(in_.substr(pos_));
    width_ = static_cast<uint32_t>(w);
    pos_ += width_;
    return r;
  }
  char32_t peek() {
    char32_t r = next();
    backup();
    return r;
  }
  void backup() { pos_ -= width_; }
  bool accept(std::string_view valid) {
    if (in_set(next(), valid)) return true;
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    while (in_set(next(), valid)) {
    }
    backup();
  }
  Token emit(Tok t) {
    Token tok{t, start_, in_.substr(start_, pos_ - start_), {}};
    start_ = pos_;
    return tok;
  }
  Token error(std::string message) { return Token{Tok::error, start_, {}, std::move(message)}; }

  void skip_spaces() {
    while (is_space(peek()))
      next();
    start_ = pos_;
  }

  std::optional<Token> line_comment() {
    pos_ += 1;
    for (char32_t r = next(); r != '\n' && r != '\r' && r != kEof; r = next()) {
    }
    backup();
    return emit(Tok::comment);
  }

  std::optional<Token> statements() {
    if (in_.substr(pos_).starts_with("#")) return line_comment();
    char32_t r = next();
    if (r == kEof) {
      if (paren_depth_ != 0) return error("unclosed left parenthesis");
      if (bracket_open_) return error("unclosed left bracket");
      return emit(Tok::eof);
    }
    if (is_space(r)) {
      skip_spaces();
      return std::nullopt;
    }
    switch (r) {
      case ',':
        return emit(Tok::comma);
      case '*':
        return emit(Tok::mul);
      case '/':
        return emit(Tok::div);
      case '%':
        return emit(Tok::mod);
      case '+':
        return emit(Tok::add);
      case '-':
        return emit(Tok::sub);
      case '^':
        return emit(Tok::pow);
      case '@':
        return emit(Tok::at);
      case '=': {
        char32_t t = peek();
        if (t == '=') {
          next();
          return emit(Tok::eqlc);
        }
        if (t == '~')
          return error(fmt::format("unexpected character after '=': {}", go_quote_rune(t)));
        return emit(Tok::eql);
      }
      case '!': {
        char32_t t = next();
        if (t != '=') {
          return error(fmt::format("unexpected character after '!': {}", go_quote_rune(t)));
        }
        return emit(Tok::neq);
      }
      case '<':
        if (peek() == '=') {
          next();
          return emit(Tok::lte);
        }
        return emit(Tok::lss);
      case '>':
        if (peek() == '=') {
          next();
          return emit(Tok::gte);
        }
        return emit(Tok::gtr);
      case '"':
      case '\'':
        string_open_ = r;
        return quoted_string();
      case '`':
        string_open_ = r;
        return raw_string();
      case '(':
        ++paren_depth_;
        return emit(Tok::left_paren);
      case ')': {
        Token t = emit(Tok::right_paren);
        if (--paren_depth_ < 0) {
          return error(fmt::format("unexpected right parenthesis {}", go_quote_rune(r)));
        }
        return t;
      }
      case '{':
        brace_open_ = true;
        return emit(Tok::left_brace);
      case '[': {
        if (bracket_open_)
          return error(fmt::format("unexpected left bracket {}", go_quote_rune(r)));
        got_colon_ = false;
        Token t = emit(Tok::left_bracket);
        bracket_open_ = true;
        // The duration right after `[` is lexed specially (lexDuration); spaces before it are
        // skipped but belong to no token.
        pending_duration_ = true;
        return t;
      }
      case ']':
        if (!bracket_open_)
          return error(fmt::format("unexpected right bracket {}", go_quote_rune(r)));
        bracket_open_ = false;
        return emit(Tok::right_bracket);
      default:
        break;
    }
    if (is_digit(r) || (r == '.' && is_digit(peek()))) {
      backup();
      return number_or_duration();
    }
    if (is_alpha(r) || r == ':') {
      if (!bracket_open_) {
        backup();
        return keyword_or_identifier();
      }
      if (got_colon_) return error(fmt::format("unexpected colon {}", go_quote_rune(r)));
      got_colon_ = true;
      return emit(Tok::colon);
    }
    return error(fmt::format("unexpected character: {}", go_quote_rune(r)));
  }

 public:
  bool pending_duration_ = false;

 private:
  std::optional<Token> inside_braces() {
    if (in_.substr(pos_).starts_with("#")) return line_comment();
    char32_t r = next();
    if (r == kEof) return error("unexpected end of input inside braces");
    if (is_space(r)) {
      skip_spaces();
      return std::nullopt;
    }
    if (is_alpha(r)) {
      backup();
      while (is_alnum(next())) {
      }
      backup();
      return emit(Tok::identifier);
    }
    switch (r) {
      case ',':
        return emit(Tok::comma);
      case '"':
      case '\'':
        string_open_ = r;
        return quoted_string();
      case '`':
        string_open_ = r;
        return raw_string();
      case '=':
        if (next() == '~') return emit(Tok::eql_regex);
        backup();
        return emit(Tok::eql);
      case '!': {
        char32_t nr = next();
        if (nr == '~') return emit(Tok::neq_regex);
        if (nr == '=') return emit(Tok::neq);
        return error(
            fmt::format("unexpected character after '!' inside braces: {}", go_quote_rune(nr)));
      }
      case '{':
        return error(fmt::format("unexpected left brace {}", go_quote_rune(r)));
      case '}':
        brace_open_ = false;
        return emit(Tok::right_brace);
      default:
        return error(fmt::format("unexpected character inside braces: {}", go_quote_rune(r)));
    }
  }

  bool scan_number() {
    std::string_view digits = "0123456789";
    if (accept("0") && accept("xX")) digits = "0123456789abcdefABCDEF";
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (accept("eE")) {
      accept("+-");
      accept_run("0123456789");
    }
    return !is_alnum(peek());
  }

  bool accept_remaining_duration() {
    if (!accept("smhdwy")) return false;
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
      }
      if (!accept("smhdw")) return false;
      accept("s");
    }
    return !is_alnum(next());
  }

  std::optional<Token> number_or_duration() {
    if (scan_number()) return emit(Tok::number);
    if (accept_remaining_duration()) {
      backup();
      return emit(Tok::duration);
    }
    return error(fmt::format("bad number or duration syntax: {}",
                             go_quote(in_.substr(start_, pos_ - start_))));
  }

 public:
  // lexDuration: the state right after `[`.
  std::optional<Token> duration() {
    pending_duration_ = false;
    if (is_space(peek())) skip_spaces();
    if (scan_number()) return error("missing unit character in duration");
    if (!accept_remaining_duration()) {
      return error(
          fmt::format("bad duration syntax: {}", go_quote(in_.substr(start_, pos_ - start_))));
    }
    backup();
    return emit(Tok::duration);
  }

 private:
  std::optional<Token> keyword_or_identifier() {
    for (;;) {
      char32_t r = next();
      if (is_alnum(r) || r == ':') continue;
      backup();
      std::string_view word = in_.substr(start_, pos_ - start_);
      if (auto kw = keyword(word)) return emit(*kw);
      if (word.find(':') == std::string_view::npos) return emit(Tok::identifier);
      return emit(Tok::metric_identifier);
    }
  }

  // lexEscape: validates one escape sequence; returns an error message or nothing.
  std::optional<std::string> escape() {
    char32_t ch = next();
    int n = 0;
    uint32_t base = 0;
    uint32_t max = 0;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        return std::nullopt;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        n = 3, base = 8, max = 255;
        break;
      case 'x':
        ch = next();
        n = 2, base = 16, max = 255;
        break;
      case 'u':
        ch = next();
        n = 4, base = 16, max = 0x10FFFF;
        break;
      case 'U':
        ch = next();
        n = 8, base = 16, max = 0x10FFFF;
        break;
      case kEof:
        return "escape sequence not terminated";
      default:
        if (ch == string_open_) return std::nullopt;
        return fmt::format("unknown escape sequence {}", go_sharp_u(ch));
    }
    uint32_t x = 0;
    while (n > 0) {
      auto d = static_cast<uint32_t>(ch == kEof ? 16 : digit_value(ch));
      if (d >= base) {
        if (ch == kEof) return "escape sequence not terminated";
        return fmt::format("illegal character {} in escape sequence", go_sharp_u(ch));
      }
      x = x * base + d;
      if (--n > 0) ch = next();
    }
    if (x > max || (base == 16 && x >= 0xD800 && x < 0xE000)) {
      return "escape sequence is an invalid Unicode code point";
    }
    return std::nullopt;
  }

  std::optional<Token> quoted_string() {
    for (;;) {
      char32_t r = next();
      if (r == '\\') {
        if (auto message = escape()) return error(*message);
        continue;
      }
      if (r == kEof || r == '\n') return error("unterminated quoted string");
      if (r == string_open_) break;
    }
    return emit(Tok::string);
  }

  std::optional<Token> raw_string() {
    for (;;) {
      char32_t r = next();
      if (r == kEof) return error("unterminated raw string");
      if (r == string_open_) break;
    }
    return emit(Tok::string);
  }

  friend std::vector<Token> e2e3d::promql::lex(std::string_view);
};

}  // namespace

std::vector<Token> lex(std::string_view input) {
  Lexer lexer(input);
  std::vector<Token> out;
  for (;;) {
    std::optional<Token> t;
    if (lexer.pending_duration_) {
      t = lexer.duration();
    } else {
      t = lexer.brace_open_ ? lexer.inside_braces() : lexer.statements();
    }
    if (!t || t->type == Tok::comment) continue;
    bool last = t->type == Tok::eof || t->type == Tok::error;
    out.push_back(std::move(*t));
    if (last) break;
  }
  return out;
}

bool is_operator(Tok t) {
  return t >= Tok::add && t <= Tok::at;
}
bool is_aggregator(Tok t) {
  return t >= Tok::sum && t <= Tok::quantile;
}
bool is_keyword(Tok t) {
  return t >= Tok::offset && t <= Tok::bool_;
}
bool is_comparison(Tok t) {
  return t == Tok::eqlc || t == Tok::neq || t == Tok::lte || t == Tok::lss || t == Tok::gte ||
         t == Tok::gtr;
}
bool is_set_operator(Tok t) {
  return t == Tok::land || t == Tok::lor || t == Tok::lunless;
}

std::string_view token_spelling(Tok t) {
  switch (t) {
    case Tok::left_paren:
      return "(";
    case Tok::right_paren:
      return ")";
    case Tok::left_brace:
      return "{";
    case Tok::right_brace:
      return "}";
    case Tok::left_bracket:
      return "[";
    case Tok::right_bracket:
      return "]";
    case Tok::comma:
      return ",";
    case Tok::eql:
      return "=";
    case Tok::colon:
      return ":";
    case Tok::add:
      return "+";
    case Tok::sub:
      return "-";
    case Tok::mul:
      return "*";
    case Tok::div:
      return "/";
    case Tok::mod:
      return "%";
    case Tok::pow:
      return "^";
    case Tok::eqlc:
      return "==";
    case Tok::neq:
      return "!=";
    case Tok::lte:
      return "<=";
    case Tok::lss:
      return "<";
    case Tok::gte:
      return ">=";
    case Tok::gtr:
      return ">";
    case Tok::eql_regex:
      return "=~";
    case Tok::neq_regex:
      return "!~";
    case Tok::at:
      return "@";
    case Tok::land:
      return "and";
    case Tok::lor:
      return "or";
    case Tok::lunless:
      return "unless";
    case Tok::atan2:
      return "atan2";
    case Tok::sum:
      return "sum";
    case Tok::avg:
      return "avg";
    case Tok::count:
      return "count";
    case Tok::min:
      return "min";
    case Tok::max:
      return "max";
    case Tok::group:
      return "group";
    case Tok::stddev:
      return "stddev";
    case Tok::stdvar:
      return "stdvar";
    case Tok::topk:
      return "topk";
    case Tok::bottomk:
      return "bottomk";
    case Tok::count_values:
      return "count_values";
    case Tok::quantile:
      return "quantile";
    case Tok::offset:
      return "offset";
    case Tok::by:
      return "by";
    case Tok::without:
      return "without";
    case Tok::on:
      return "on";
    case Tok::ignoring:
      return "ignoring";
    case Tok::group_left:
      return "group_left";
    case Tok::group_right:
      return "group_right";
    case Tok::bool_:
      return "bool";
    case Tok::start:
      return "start";
    case Tok::end:
      return "end";
    default:
      return "";
  }
}

namespace {
// Item.String() in lex.go.
std::string item_string(const Token& t) {
  if (t.type == Tok::eof) return "EOF";
  if (t.type == Tok::error) return t.error;
  if (t.type == Tok::identifier || t.type == Tok::metric_identifier) return go_quote(t.text);
  if (is_keyword(t.type)) return fmt::format("<{}>", t.text);
  if (is_operator(t.type)) return fmt::format("<op:{}>", t.text);
  if (is_aggregator(t.type)) return fmt::format("<aggr:{}>", t.text);
  if (rune_count(t.text) > 10) return go_quote(truncate_runes(t.text, 10)) + "...";
  return go_quote(t.text);
}
}  // namespace

std::string describe(const Token& t) {
  // 2.42 has no ItemTypeStr entry for AT, so Go prints the numeric item type.
  if (t.type == Tok::at) return "\"<Item 57385>\" " + item_string(t);
  if (!token_spelling(t.type).empty()) return item_string(t);
  switch (t.type) {
    case Tok::eof:
      return "end of input";
    case Tok::error:
      return "error " + item_string(t);
    case Tok::comment:
      return "comment " + item_string(t);
    case Tok::identifier:
      return "identifier " + item_string(t);
    case Tok::metric_identifier:
      return "metric identifier " + item_string(t);
    case Tok::string:
      return "string " + item_string(t);
    case Tok::number:
      return "number " + item_string(t);
    case Tok::duration:
      return "duration " + item_string(t);
    default:
      return item_string(t);
  }
}

}  // namespace e2e3d::promql
