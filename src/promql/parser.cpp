// Recursive-descent PromQL parser reproducing Prometheus 2.42's yacc grammar
// (promql/parser/generated_parser.y) and its checks (parse.go): precedence
//   or < and unless < comparisons < + - < * / % atan2 < ^ (right-assoc)
// with unary +/- binding like * (so -2^2 is -(2^2)), and range/subquery/offset/@ binding
// tightest. The first error wins, as in Prometheus.
#include "e2e3d/promql/parser.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "e2e3d/promql/regex.hpp"
#include "promql/go_text.hpp"
#include "promql/names.hpp"

namespace e2e3d::promql {
namespace {

struct Failure {
  uint32_t pos;
  std::string message;
};

int precedence(Tok t) {
  switch (t) {
    case Tok::lor:
      return 1;
    case Tok::land:
    case Tok::lunless:
      return 2;
    case Tok::eqlc:
    case Tok::neq:
    case Tok::lte:
    case Tok::lss:
    case Tok::gte:
    case Tok::gtr:
      return 3;
    case Tok::add:
    case Tok::sub:
      return 4;
    case Tok::mul:
    case Tok::div:
    case Tok::mod:
    case Tok::atan2:
      return 5;
    case Tok::pow:
      return 6;
    default:
      return 0;
  }
}

// model.ParseDuration: [Ny][Nw][Nd][Nh][Nm][Ns][Nms], each unit at most once and in order.
std::optional<int64_t> parse_model_duration(std::string_view s, std::string& error) {
  if (s == "0") return 0;
  if (s.empty()) {
    error = "empty duration string";
    return std::nullopt;
  }
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                                                    {"w", 7LL * 24 * 3600 * 1000},
                                                                    {"d", 24LL * 3600 * 1000},
                                                                    {"h", 3600LL * 1000},
                                                                    {"m", 60LL * 1000},
                                                                    {"s", 1000},
                                                                    {"ms", 1}};
  std::size_t next_unit = 0;
  std::string_view rest = s;
  int64_t total = 0;
  bool any = false;
  while (!rest.empty()) {
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
      ++digits;
    std::size_t unit_len = digits;
    while (unit_len < rest.size() && !(rest[unit_len] >= '0' && rest[unit_len] <= '9'))
      ++unit_len;
    std::string_view unit = rest.substr(digits, unit_len - digits);
    std::size_t u = next_unit;
    while (u < std::size(kUnits) && kUnits[u].first != unit)
      ++u;
    if (digits == 0 || u == std::size(kUnits)) {
      error = fmt::format("not a valid duration string: {}", go_quote(s));
      return std::nullopt;
    }
    int64_t n = 0;
    auto r = std::from_chars(rest.data(), rest.data() + digits, n);
    if (r.ec != std::errc() || n > std::numeric_limits<int64_t>::max() / kUnits[u].second ||
        total > std::numeric_limits<int64_t>::max() - n * kUnits[u].second) {
      error = "duration out of range";
      return std::nullopt;
    }
    total += n * kUnits[u].second;
    next_unit = u + 1;
    rest.remove_prefix(unit_len);
    any = true;
  }
  if (!any) {
    error = fmt::format("not a valid duration string: {}", go_quote(s));
    return std::nullopt;
  }
  return total;
}

class Parser {
 public:
  explicit Parser(std::string_view input) : input_(input), toks_(lex(input)) {}

  ExprPtr run() {
    if (toks_.front().type == Tok::eof) fail(0, "no expression found in input");
    ExprPtr e = expr(0);
    if (peek().type != Tok::eof) unexpected("", "");
    if (first_) throw_failure(*first_);
    check(*e);
    if (first_) throw_failure(*first_);
    return e;
  }

 private:
  std::string_view input_;
  std::vector<Token> toks_;
  std::size_t i_ = 0;
  std::optional<Failure> first_;

  [[noreturn]] void throw_failure(const Failure& f) {
    uint32_t line = 1;
    uint32_t last_break = 0;
    bool seen_break = false;
    for (uint32_t k = 0; k < f.pos && k < input_.size(); ++k) {
      if (input_[k] == '\n') {
        ++line;
        last_break = k;
        seen_break = true;
      }
    }
    uint32_t col = seen_break ? f.pos - last_break : f.pos + 1;
    throw ParseError(Position{line, col},
                     fmt::format("{}:{}: parse error: {}", line, col, f.message));
  }

  // A syntax error: parsing cannot go on.
  [[noreturn]] void fail(uint32_t pos, std::string message) {
    if (!first_) first_ = Failure{pos, std::move(message)};
    throw_failure(*first_);
  }
  // A semantic error found while parsing: remembered, parsing goes on (later errors lose).
  void note(uint32_t pos, std::string message) {
    if (!first_) first_ = Failure{pos, std::move(message)};
  }

  const Token& peek() {
    const Token& t = toks_[i_];
    if (t.type == Tok::error) fail(t.pos, t.error);
    return t;
  }
  const Token& peek2() {
    if (i_ + 1 < toks_.size() && toks_[i_ + 1].type != Tok::error) return toks_[i_ + 1];
    return toks_.back();
  }
  Token take() {
    const Token& t = peek();
    Token copy = t;
    if (i_ + 1 < toks_.size()) ++i_;
    return copy;
  }

  [[noreturn]] void unexpected(std::string_view context, std::string_view expected) {
    const Token& t = peek();
    std::string msg = "unexpected " + describe(t);
    if (!context.empty()) msg += fmt::format(" in {}", context);
    if (!expected.empty()) msg += fmt::format(", expected {}", expected);
    fail(t.pos, msg);
  }

  // Trees deeper than this are refused: parsing, evaluating and freeing them recurses, and the
  // stack must not overflow on a hostile expression (Prometheus's yacc parser has no such limit,
  // but no real query comes close).
  static constexpr uint32_t kMaxDepth = 2000;

  ExprPtr make(uint32_t pos, auto node) {
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->pos = pos;
    uint32_t below = 0;
    auto child = [&](const ExprPtr& c) {
      if (c) below = std::max(below, c->depth);
    };
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, MatrixSelector>) child(n.selector);
          if constexpr (std::is_same_v<T, SubqueryExpr> || std::is_same_v<T, ParenExpr> ||
                        std::is_same_v<T, UnaryExpr>) {
            child(n.expr);
          }
          if constexpr (std::is_same_v<T, BinaryExpr>) {
            child(n.lhs);
            child(n.rhs);
          }
          if constexpr (std::is_same_v<T, AggregateExpr>) {
            child(n.expr);
            child(n.param);
          }
          if constexpr (std::is_same_v<T, Call>) {
            for (const auto& a : n.args)
              child(a);
          }
        },
        e->node);
    e->depth = below + 1;
    if (e->depth > kMaxDepth) too_deep(pos);
    return e;
  }

  [[noreturn]] void too_deep(uint32_t pos) {
    // An unclosed parenthesis further on is what Prometheus would report.
    if (toks_.back().type == Tok::error) fail(toks_.back().pos, toks_.back().error);
    fail(pos, fmt::format("expression nested more than {} levels deep; split it into simpler "
                          "queries",
                          kMaxDepth));
  }

  uint32_t nesting_ = 0;
  struct Nesting {
    Parser& p;
    explicit Nesting(Parser& parser, uint32_t pos) : p(parser) {
      if (++p.nesting_ > kMaxDepth) p.too_deep(pos);
    }
    ~Nesting() { --p.nesting_; }
  };

  ExprPtr expr(int min_prec) {
    Nesting guard(*this, peek().pos);
    ExprPtr lhs = unary();
    for (;;) {
      Tok t = peek().type;
      int p = precedence(t);
      if (p == 0 || p < min_prec) return lhs;
      Token op = take();
      BinaryExpr b;
      b.op = op.type;
      VectorMatching vm;
      if (peek().type == Tok::bool_) {
        take();
        b.return_bool = true;
      }
      if (peek().type == Tok::on || peek().type == Tok::ignoring) {
        vm.on = take().type == Tok::on;
        vm.matching_labels = grouping_labels();
        if (peek().type == Tok::group_left || peek().type == Tok::group_right) {
          vm.card =
              take().type == Tok::group_left ? Cardinality::many_to_one : Cardinality::one_to_many;
          if (peek().type == Tok::left_paren) vm.include = grouping_labels();
        }
      }
      b.matching = std::move(vm);
      b.rhs = expr(t == Tok::pow ? p : p + 1);
      uint32_t pos = lhs->pos;
      b.lhs = std::move(lhs);
      lhs = make(pos, std::move(b));
      binary_op_pos_[lhs.get()] = op.pos;
    }
  }

  ExprPtr unary() {
    Tok t = peek().type;
    if (t == Tok::add || t == Tok::sub) {
      Token op = take();
      ExprPtr operand = expr(precedence(Tok::pow));
      if (auto* n = std::get_if<NumberLiteral>(&operand->node)) {
        if (op.type == Tok::sub) n->value = -n->value;
        operand->pos = op.pos;
        return operand;
      }
      return make(op.pos, UnaryExpr{op.type, std::move(operand)});
    }
    return postfix(primary());
  }

  int64_t duration(const Token& t) {
    std::string error;
    auto d = parse_model_duration(t.text, error);
    if (!d) {
      note(t.pos, error);
      return 0;
    }
    if (*d == 0) note(t.pos, "duration must be greater than 0");
    return *d;
  }

  ExprPtr postfix(ExprPtr e) {
    for (;;) {
      Tok t = peek().type;
      if (t == Tok::left_bracket) {
        Token open = take();
        if (peek().type != Tok::duration) unexpected("subquery selector", "duration");
        int64_t range = duration(take());
        if (peek().type == Tok::right_bracket) {
          take();
          auto* vs = std::get_if<VectorSelector>(&e->node);
          if (!vs) {
            note(open.pos, "ranges only allowed for vector selectors");
          } else if (vs->has_offset) {
            note(open.pos, "no offset modifiers allowed before range");
          } else if (vs->has_at) {
            note(open.pos, "no @ modifiers allowed before range");
          }
          uint32_t pos = e->pos;
          e = make(pos, MatrixSelector{std::move(e), range});
          continue;
        }
        if (peek().type != Tok::colon) unexpected("subquery or range", "\":\" or \"]\"");
        take();
        int64_t step = 0;
        if (peek().type == Tok::duration) {
          step = duration(take());
          if (peek().type != Tok::right_bracket) unexpected("subquery selector", "\"]\"");
        } else if (peek().type != Tok::right_bracket) {
          unexpected("subquery selector", "duration or \"]\"");
        }
        take();
        uint32_t pos = e->pos;
        e = make(pos, SubqueryExpr{std::move(e), range, step, false, false});
        continue;
      }
      if (t == Tok::offset) {
        take();
        bool negative = false;
        if (peek().type == Tok::sub) {
          take();
          negative = true;
        }
        if (peek().type != Tok::duration) unexpected("offset", "duration");
        int64_t offset = duration(take());
        set_modifier(*e, true, negative ? -offset : offset);
        continue;
      }
      if (t == Tok::at) {
        take();
        Tok n = peek().type;
        AtModifier at;
        if (n == Tok::add || n == Tok::sub) {
          take();
          if (peek().type != Tok::number) unexpected("@", "timestamp");
          double seconds = number(take());
          at = at_timestamp(*e, n == Tok::sub ? -seconds : seconds);
        } else if (n == Tok::number) {
          at = at_timestamp(*e, number(take()));
        } else if (n == Tok::start || n == Tok::end) {
          take();
          if (peek().type != Tok::left_paren) unexpected("@", "\"(\"");
          take();
          if (peek().type != Tok::right_paren) unexpected("@", "\")\"");
          take();
          at.kind = n == Tok::start ? AtModifier::Kind::start : AtModifier::Kind::end;
        } else {
          unexpected("@", "timestamp");
        }
        set_modifier(*e, false, 0, at);
        continue;
      }
      return e;
    }
  }

  // setTimestamp: the time in milliseconds, timestamp.FromFloatSeconds; times that do not fit
  // are a parse error.
  AtModifier at_timestamp(const Expr& e, double seconds) {
    if (!(seconds < 9.223372036854775807e18 && seconds > -9.223372036854775808e18)) {
      std::string shown = std::isnan(seconds)   ? "NaN"
                          : std::isinf(seconds) ? (seconds > 0 ? "+Inf" : "-Inf")
                                                : fmt::format("{:.6f}", seconds);
      note(e.pos, fmt::format("timestamp out of bounds for @ modifier: {}", shown));
      return AtModifier{AtModifier::Kind::timestamp, std::numeric_limits<int64_t>::min()};
    }
    double ms = std::round(seconds * 1000);
    // Go's int64(float64) on amd64: out of range is math.MinInt64.
    int64_t t = ms < 9.223372036854775807e18 && ms >= -9.223372036854775808e18
                    ? static_cast<int64_t>(ms)
                    : std::numeric_limits<int64_t>::min();
    return AtModifier{AtModifier::Kind::timestamp, t};
  }

  // addOffset / setTimestamp: only selectors and subqueries take offset and @.
  void set_modifier(Expr& e, bool offset, int64_t offset_ms, AtModifier at = {}) {
    std::string_view what = offset ? "offset" : "@";
    bool* flag = nullptr;
    int64_t* stored_offset = nullptr;
    AtModifier* stored_at = nullptr;
    if (auto* vs = std::get_if<VectorSelector>(&e.node)) {
      flag = offset ? &vs->has_offset : &vs->has_at;
      stored_offset = &vs->offset_ms;
      stored_at = &vs->at;
    } else if (auto* ms = std::get_if<MatrixSelector>(&e.node)) {
      // `1[5m] offset 1m`: the range already failed; Prometheus's addOffset says it again.
      auto* inner = std::get_if<VectorSelector>(&ms->selector->node);
      if (inner == nullptr) {
        note(e.pos, "ranges only allowed for vector selectors");
        return;
      }
      flag = offset ? &inner->has_offset : &inner->has_at;
      stored_offset = &inner->offset_ms;
      stored_at = &inner->at;
    } else if (auto* sq = std::get_if<SubqueryExpr>(&e.node)) {
      flag = offset ? &sq->has_offset : &sq->has_at;
      stored_offset = &sq->offset_ms;
      stored_at = &sq->at;
    } else {
      note(e.pos, fmt::format("{} modifier must be preceded by an instant vector selector or range "
                              "vector selector or a subquery",
                              what));
      return;
    }
    if (*flag) {
      note(e.pos, offset ? "offset may not be set multiple times"
                         : "@ <timestamp> may not be set multiple times");
    }
    if (!offset && *flag) return;  // getAtModifierVars leaves the first @ as it is
    *flag = true;
    if (offset) *stored_offset = offset_ms;
    if (!offset) *stored_at = at;
  }

  static bool can_name_metric(Tok t) {
    return t == Tok::identifier || t == Tok::metric_identifier || is_aggregator(t) ||
           t == Tok::by || t == Tok::without || t == Tok::offset || t == Tok::land ||
           t == Tok::lor || t == Tok::lunless || t == Tok::start || t == Tok::end;
  }

  ExprPtr primary() {
    const Token& t = peek();
    switch (t.type) {
      case Tok::number: {
        Token n = take();
        return make(n.pos, NumberLiteral{number(n)});
      }
      case Tok::string: {
        Token s = take();
        return make(s.pos, StringLiteral{unquote(s.text)});
      }
      case Tok::left_paren: {
        Token open = take();
        ExprPtr inner = expr(0);
        if (peek().type != Tok::right_paren) unexpected("", "");
        take();
        return make(open.pos, ParenExpr{std::move(inner)});
      }
      case Tok::left_brace:
        return selector(t.pos, "");
      default:
        break;
    }
    if (is_aggregator(t.type)) {
      Tok next = peek2().type;
      if (next == Tok::left_paren || next == Tok::by || next == Tok::without) return aggregate();
    }
    if (t.type == Tok::identifier && peek2().type == Tok::left_paren) return call();
    if (can_name_metric(t.type)) {
      Token name = take();
      return selector(name.pos, std::string(name.text));
    }
    unexpected("", "");
  }

  double number(const Token& t) {
    std::string_view s = t.text;
    // strconv.ParseInt(s, 0, 64) first: hex, octal with a leading 0, decimal.
    auto try_int = [&](std::string_view digits, int base) -> std::optional<double> {
      if (digits.empty()) return std::nullopt;
      int64_t v = 0;
      auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
      if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) return std::nullopt;
      return static_cast<double>(v);
    };
    std::optional<double> v;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      v = try_int(s.substr(2), 16);
    } else if (s.size() > 1 && s[0] == '0') {
      v = try_int(s.substr(1), 8);
    } else {
      v = try_int(s, 10);
    }
    if (!v) {
      v = parse_go_float(s);
      std::string lower(s);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (v && std::isinf(*v) && lower != "inf") {
        note(t.pos,
             fmt::format("error parsing number: strconv.ParseFloat: parsing {}: value out of range",
                         go_quote(s)));
        return 0;
      }
    }
    if (s.size() > 1 && (s[0] == '0') && (s[1] == 'x' || s[1] == 'X') &&
        !try_int(s.substr(2), 16)) {
      v = std::nullopt;  // Go's ParseFloat needs a 'p' exponent for hex, which PromQL cannot lex
    }
    if (!v) {
      note(t.pos,
           fmt::format("error parsing number: strconv.ParseFloat: parsing {}: invalid syntax",
                       go_quote(s)));
      return 0;
    }
    return *v;
  }

  ExprPtr selector(uint32_t pos, std::string name) {
    VectorSelector vs;
    vs.name = name;
    if (peek().type == Tok::left_brace) {
      take();
      label_matchers(vs.matchers);
    }
    if (!name.empty()) {
      LabelMatcher m;
      m.type = LabelMatcher::Type::equal;
      m.name = "__name__";
      m.value = name;
      vs.matchers.push_back(std::move(m));
    }
    return make(pos, std::move(vs));
  }

  void label_matchers(std::vector<LabelMatcher>& out) {
    if (peek().type == Tok::right_brace) {
      take();
      return;
    }
    for (;;) {
      if (peek().type != Tok::identifier) unexpected("label matching", "identifier or \"}\"");
      Token name = take();
      Tok op = peek().type;
      if (op != Tok::eql && op != Tok::neq && op != Tok::eql_regex && op != Tok::neq_regex) {
        unexpected("label matching", "label matching operator");
      }
      take();
      if (peek().type != Tok::string) unexpected("label matching", "string");
      Token value = take();
      LabelMatcher m;
      m.name = std::string(name.text);
      m.value = unquote(value.text);
      m.type = op == Tok::eql         ? LabelMatcher::Type::equal
               : op == Tok::neq       ? LabelMatcher::Type::not_equal
               : op == Tok::eql_regex ? LabelMatcher::Type::regex
                                      : LabelMatcher::Type::not_regex;
      if (m.type == LabelMatcher::Type::regex || m.type == LabelMatcher::Type::not_regex) {
        std::string error;
        m.regex = compile_anchored(m.value, error);
        if (!m.regex) note(name.pos, error);
      }
      out.push_back(std::move(m));
      Tok t = peek().type;
      if (t == Tok::right_brace) {
        take();
        return;
      }
      if (t != Tok::comma) unexpected("label matching", "\",\" or \"}\"");
      take();
      if (peek().type == Tok::right_brace) {
        take();
        return;
      }
    }
  }

  std::vector<std::string> grouping_labels() {
    if (peek().type != Tok::left_paren) unexpected("grouping opts", "\"(\"");
    take();
    std::vector<std::string> labels;
    if (peek().type == Tok::right_paren) {
      take();
      return labels;
    }
    for (;;) {
      const Token& t = peek();
      bool label_like = t.type == Tok::identifier || t.type == Tok::metric_identifier ||
                        is_keyword(t.type) || is_aggregator(t.type) || t.type == Tok::land ||
                        t.type == Tok::lor || t.type == Tok::lunless || t.type == Tok::atan2 ||
                        t.type == Tok::start || t.type == Tok::end;
      if (!label_like || !is_label_name(t.text)) unexpected("grouping opts", "label");
      labels.emplace_back(take().text);
      Tok n = peek().type;
      if (n == Tok::right_paren) {
        take();
        return labels;
      }
      if (n != Tok::comma) unexpected("grouping opts", "\",\" or \")\"");
      take();
      if (peek().type == Tok::right_paren) {
        take();
        return labels;
      }
    }
  }

  std::vector<ExprPtr> call_body(std::string_view context) {
    if (peek().type != Tok::left_paren) unexpected(context, "");
    take();
    std::vector<ExprPtr> args;
    if (peek().type == Tok::right_paren) {
      take();
      return args;
    }
    for (;;) {
      args.push_back(expr(0));
      Tok t = peek().type;
      if (t == Tok::right_paren) {
        take();
        return args;
      }
      if (t != Tok::comma) unexpected("", "");
      Token comma = take();
      if (peek().type == Tok::right_paren) {
        note(comma.pos, "trailing commas not allowed in function call args");
        take();
        return args;
      }
    }
  }

  ExprPtr aggregate() {
    Token op = take();
    AggregateExpr a;
    a.op = op.type;
    bool modifier_first = false;
    if (peek().type == Tok::by || peek().type == Tok::without) {
      a.without = take().type == Tok::without;
      a.grouping = grouping_labels();
      modifier_first = true;
    }
    std::vector<ExprPtr> args = call_body("aggregation");
    if (!modifier_first && (peek().type == Tok::by || peek().type == Tok::without)) {
      a.without = take().type == Tok::without;
      a.grouping = grouping_labels();
    }
    if (args.empty()) {
      note(op.pos, "no arguments for aggregate expression provided");
    } else {
      bool with_param = op.type == Tok::topk || op.type == Tok::bottomk ||
                        op.type == Tok::count_values || op.type == Tok::quantile;
      std::size_t wanted = with_param ? 2 : 1;
      if (args.size() != wanted) {
        note(op.pos, fmt::format("wrong number of arguments for aggregate expression provided, "
                                 "expected {}, got {}",
                                 wanted, args.size()));
      } else {
        if (with_param) a.param = std::move(args[0]);
        a.expr = std::move(args[wanted - 1]);
      }
    }
    return make(op.pos, std::move(a));
  }

  ExprPtr call() {
    Token name = take();
    Call c;
    c.func = find_function(name.text);
    if (!c.func) note(name.pos, fmt::format("unknown function with name {}", go_quote(name.text)));
    c.args = call_body("");
    return make(name.pos, std::move(c));
  }

  // ---- checkAST ----
  std::unordered_map<const Expr*, uint32_t> binary_op_pos_;

  void add(uint32_t pos, std::string message) { note(pos, std::move(message)); }

  void expect_type(Expr& e, ValueType want, std::string_view context) {
    ValueType t = check(e);
    if (t != want) {
      add(e.pos, fmt::format("expected type {} in {}, got {}", documented_type(want), context,
                             documented_type(t)));
    }
  }

  ValueType check(Expr& e) {
    if (auto* b = std::get_if<BinaryExpr>(&e.node)) {
      ValueType lt = check(*b->lhs);
      ValueType rt = check(*b->rhs);
      uint32_t op_pos = binary_op_pos_[&e];
      std::string op_name(token_spelling(b->op));
      if (b->return_bool && !is_comparison(b->op)) {
        add(op_pos, "bool modifier can only be used on comparison operators");
      }
      if (is_comparison(b->op) && !b->return_bool && lt == ValueType::scalar &&
          rt == ValueType::scalar) {
        add(op_pos, "comparisons between scalars must use BOOL modifier");
      }
      auto& vm = *b->matching;
      if (is_set_operator(b->op) && vm.card == Cardinality::one_to_one) {
        vm.card = Cardinality::many_to_many;
      }
      for (const auto& l1 : vm.matching_labels) {
        for (const auto& l2 : vm.include) {
          if (l1 == l2 && vm.on) {
            add(op_pos, fmt::format("label {} must not occur in ON and GROUP clause at once",
                                    go_quote(l1)));
          }
        }
      }
      if (lt != ValueType::scalar && lt != ValueType::vector) {
        add(b->lhs->pos, "binary expression must contain only scalar and instant vector types");
      }
      if (rt != ValueType::scalar && rt != ValueType::vector) {
        add(b->rhs->pos, "binary expression must contain only scalar and instant vector types");
      }
      if (lt != ValueType::vector || rt != ValueType::vector) {
        if (!vm.matching_labels.empty()) {
          add(e.pos, "vector matching only allowed between instant vectors");
        }
        b->matching.reset();
      } else if (is_set_operator(b->op)) {
        if (vm.card == Cardinality::one_to_many || vm.card == Cardinality::many_to_one) {
          add(e.pos, fmt::format("no grouping allowed for {} operation", go_quote(op_name)));
        }
        if (vm.card != Cardinality::many_to_many) {
          add(e.pos, "set operations must always be many-to-many");
        }
      }
      if ((lt == ValueType::scalar || rt == ValueType::scalar) && is_set_operator(b->op)) {
        add(e.pos, fmt::format("set operator {} not allowed in binary scalar expression",
                               go_quote(op_name)));
      }
      return e.type();
    }
    if (auto* a = std::get_if<AggregateExpr>(&e.node)) {
      if (a->expr) expect_type(*a->expr, ValueType::vector, "aggregation expression");
      if (a->param) {
        if (a->op == Tok::topk || a->op == Tok::bottomk || a->op == Tok::quantile) {
          expect_type(*a->param, ValueType::scalar, "aggregation parameter");
        }
        if (a->op == Tok::count_values) {
          expect_type(*a->param, ValueType::string, "aggregation parameter");
        }
      }
      return ValueType::vector;
    }
    if (auto* c = std::get_if<Call>(&e.node)) {
      const Function& f = *c->func;
      std::size_t nargs = f.arg_types.size();
      if (f.variadic == 0) {
        if (nargs != c->args.size()) {
          add(e.pos, fmt::format("expected {} argument(s) in call to {}, got {}", nargs,
                                 go_quote(f.name), c->args.size()));
        }
      } else {
        std::size_t na = nargs - 1;
        if (na > c->args.size()) {
          add(e.pos, fmt::format("expected at least {} argument(s) in call to {}, got {}", na,
                                 go_quote(f.name), c->args.size()));
        } else if (f.variadic > 0 && na + static_cast<std::size_t>(f.variadic) < c->args.size()) {
          add(e.pos, fmt::format("expected at most {} argument(s) in call to {}, got {}",
                                 na + static_cast<std::size_t>(f.variadic), go_quote(f.name),
                                 c->args.size()));
        }
      }
      for (std::size_t i = 0; i < c->args.size(); ++i) {
        std::size_t k = i;
        if (k >= nargs) {
          if (f.variadic == 0) break;
          k = nargs - 1;
        }
        expect_type(*c->args[i], f.arg_types[k],
                    fmt::format("call to function {}", go_quote(f.name)));
      }
      return f.return_type;
    }
    if (auto* p = std::get_if<ParenExpr>(&e.node)) {
      check(*p->expr);
      return e.type();
    }
    if (auto* u = std::get_if<UnaryExpr>(&e.node)) {
      ValueType t = check(*u->expr);
      if (t != ValueType::scalar && t != ValueType::vector) {
        add(e.pos, fmt::format("unary expression only allowed on expressions of type scalar or "
                               "instant vector, got {}",
                               go_quote(documented_type(t))));
      }
      return e.type();
    }
    if (auto* s = std::get_if<SubqueryExpr>(&e.node)) {
      ValueType t = check(*s->expr);
      if (t != ValueType::vector) {
        add(e.pos, fmt::format("subquery is only allowed on instant vector, got {} instead",
                               t == ValueType::scalar   ? "scalar"
                               : t == ValueType::matrix ? "matrix"
                                                        : "string"));
      }
      return ValueType::matrix;
    }
    if (auto* m = std::get_if<MatrixSelector>(&e.node)) {
      check(*m->selector);
      return ValueType::matrix;
    }
    if (auto* vs = std::get_if<VectorSelector>(&e.node)) {
      if (!vs->name.empty()) {
        for (std::size_t k = 0; k + 1 < vs->matchers.size(); ++k) {
          if (vs->matchers[k].name == "__name__") {
            add(e.pos, fmt::format("metric name must not be set twice: {} or {}",
                                   go_quote(vs->name), go_quote(vs->matchers[k].value)));
          }
        }
        return ValueType::vector;
      }
      bool not_empty = std::any_of(vs->matchers.begin(), vs->matchers.end(),
                                   [](const LabelMatcher& m) { return !m.matches(""); });
      if (!not_empty) add(e.pos, "vector selector must contain at least one non-empty matcher");
      return ValueType::vector;
    }
    return e.type();
  }
};

}  // namespace

std::string unquote(std::string_view s) {
  if (s.size() < 2) return {};
  char quote = s.front();
  s = s.substr(1, s.size() - 2);
  if (quote == '`') return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    char e = i + 1 < s.size() ? s[i + 1] : '\0';
    i += 2;
    auto hex = [&](std::size_t n) {
      uint32_t v = 0;
      for (std::size_t k = 0; k < n && i < s.size(); ++k, ++i) {
        char h = s[i];
        v = v * 16 + static_cast<uint32_t>(h >= 'a'   ? h - 'a' + 10
                                           : h >= 'A' ? h - 'A' + 10
                                                      : h - '0');
      }
      return v;
    };
    switch (e) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        out += static_cast<char>(hex(2));
        break;
      case 'u':
        append_utf8(out, hex(4));
        break;
      case 'U':
        append_utf8(out, hex(8));
        break;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (int k = 0; k < 2 && i < s.size(); ++k, ++i)
          v = v * 8 + static_cast<uint32_t>(s[i] - '0');
        out += static_cast<char>(v);
        break;
      }
      default:
        out += e;
        break;  // \\ and the quote itself
    }
  }
  return out;
}

ExprPtr parse(std::string_view expression) {
  return Parser(expression).run();
}

}  // namespace e2e3d::promql
