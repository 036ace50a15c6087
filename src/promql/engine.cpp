// Evaluation of selectors, unary and binary operators (Prometheus 2.42's engine.go), and the
// public entry points.
#include "e2e3d/promql/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "e2e3d/promql/parser.hpp"
#include "promql/eval.hpp"
#include "promql/go_text.hpp"

namespace e2e3d::promql {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- label sets ----

std::string_view get(const LabelSet& ls, std::string_view name) {
  for (const auto& l : ls) {
    if (l.name == name) return l.value;
  }
  return {};
}

void set_label(LabelSet& ls, std::string_view name, std::string_view value) {
  if (value.empty()) {
    del_label(ls, name);
    return;
  }
  auto it = std::lower_bound(ls.begin(), ls.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != ls.end() && it->name == name) {
    it->value = value;
  } else {
    ls.insert(it, Label{name, value});
  }
}

void del_label(LabelSet& ls, std::string_view name) {
  std::erase_if(ls, [&](const Label& l) { return l.name == name; });
}

void drop_metric_name(LabelSet& ls) {
  del_label(ls, kMetricName);
}

void keep_labels(LabelSet& ls, const std::vector<std::string>& names) {
  std::erase_if(ls, [&](const Label& l) {
    return std::find(names.begin(), names.end(), l.name) == names.end();
  });
}

uint64_t hash_labels(const LabelSet& ls) {
  uint64_t h = 14695981039346656037ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  for (const auto& l : ls) {
    mix(l.name);
    mix(l.value);
  }
  return h;
}

std::string labels_string(const LabelSet& ls) {
  std::string out = "{";
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (i > 0) out += ", ";
    out += ls[i].name;
    out += '=';
    out += go_quote(ls[i].value);
  }
  out += '}';
  return out;
}

std::string signature(const LabelSet& ls, const std::vector<std::string>& names, bool on) {
  std::string out;
  signature_into(out, ls, names, on);
  return out;
}

void signature_into(std::string& out, const LabelSet& ls, const std::vector<std::string>& names,
                    bool on) {
  out.clear();
  auto listed = [&](std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  for (const auto& l : ls) {
    bool include = on ? listed(l.name) : (!listed(l.name) && l.name != kMetricName);
    if (!include) continue;
    out += l.name;
    out += '\xff';
    out += l.value;
    out += '\xff';
  }
}

bool contains_same_labelset(const IVector& v) {
  if (v.size() < 2) return false;
  std::unordered_set<uint64_t> seen;
  seen.reserve(v.size());
  for (const auto& s : v) {
    if (!seen.insert(hash_labels(s.labels)).second) return true;
  }
  return false;
}

bool labels_less(const LabelSet& a, const LabelSet& b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].name != b[i].name) return a[i].name < b[i].name;
    if (a[i].value != b[i].value) return a[i].value < b[i].value;
  }
  return a.size() < b.size();
}

void eval_error(const std::string& message) {
  throw Error(ErrorKind::eval, message);
}

namespace {
void check_duplicates(const IVector& v) {
  if (contains_same_labelset(v)) eval_error("vector cannot contain metrics with the same labelset");
}

bool drops_metric_name(Tok op) {
  // Prometheus 2.42 keeps the name for atan2.
  return op == Tok::add || op == Tok::sub || op == Tok::mul || op == Tok::div || op == Tok::pow ||
         op == Tok::mod;
}

// vectorElemBinop: the value, and whether a comparison keeps the sample.
std::pair<double, bool> elem_binop(Tok op, double l, double r) {
  switch (op) {
    case Tok::add:
      return {l + r, true};
    case Tok::sub:
      return {l - r, true};
    case Tok::mul:
      return {l * r, true};
    case Tok::div:
      return {l / r, true};
    case Tok::pow:
      return {go_pow(l, r), true};
    case Tok::mod:
      return {std::fmod(l, r), true};
    case Tok::eqlc:
      return {l, l == r};
    case Tok::neq:
      return {l, l != r};
    case Tok::gtr:
      return {l, l > r};
    case Tok::lss:
      return {l, l < r};
    case Tok::gte:
      return {l, l >= r};
    case Tok::lte:
      return {l, l <= r};
    case Tok::atan2:
      return {go_atan2(l, r), true};
    default:
      return {0, false};
  }
}

double scalar_binop(Tok op, double l, double r) {
  auto [v, keep] = elem_binop(op, l, r);
  if (is_comparison(op)) return keep ? 1 : 0;
  return v;
}

IVector vector_scalar(Tok op, IVector lhs, double scalar, bool swap, bool return_bool) {
  IVector out;
  out.reserve(lhs.size());
  for (auto& s : lhs) {
    double lv = s.value;
    double rv = scalar;
    if (swap) std::swap(lv, rv);
    auto [value, keep] = elem_binop(op, lv, rv);
    // A comparison keeps the vector's value even when the scalar is on the left.
    if (is_comparison(op) && swap) value = rv;
    if (return_bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    s.value = value;
    if (drops_metric_name(op) || return_bool) drop_metric_name(s.labels);
    out.push_back(std::move(s));
  }
  return out;
}

LabelSet match_labels(const LabelSet& ls, const VectorMatching& m) {
  LabelSet out;
  for (const auto& l : ls) {
    bool listed = std::find(m.matching_labels.begin(), m.matching_labels.end(), l.name) !=
                  m.matching_labels.end();
    if (m.on == listed && (m.on || l.name != kMetricName)) out.push_back(l);
  }
  return out;
}

IVector vector_binop(Tok op, IVector lhs, IVector rhs, const VectorMatching& m, bool return_bool) {
  if (m.card == Cardinality::one_to_many) std::swap(lhs, rhs);
  std::unordered_map<std::string, std::size_t> right;
  right.reserve(rhs.size());
  for (std::size_t i = 0; i < rhs.size(); ++i) {
    auto [it, inserted] = right.emplace(signature(rhs[i].labels, m.matching_labels, m.on), i);
    if (!inserted) {
      std::string_view side = m.card == Cardinality::one_to_many ? "left" : "right";
      eval_error(fmt::format(
          "found duplicate series for the match group {} on the {} hand-side of the operation: "
          "[{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
          labels_string(match_labels(rhs[i].labels, m)), side, labels_string(rhs[i].labels),
          labels_string(rhs[it->second].labels)));
    }
  }
  std::unordered_map<std::string, std::unordered_set<uint64_t>> matched;
  IVector out;
  for (auto& ls : lhs) {
    std::string sig = signature(ls.labels, m.matching_labels, m.on);
    auto found = right.find(sig);
    if (found == right.end()) continue;
    const ISample& rs = rhs[found->second];
    double vl = ls.value;
    double vr = rs.value;
    if (m.card == Cardinality::one_to_many) std::swap(vl, vr);
    auto [value, keep] = elem_binop(op, vl, vr);
    if (return_bool) {
      value = keep ? 1 : 0;
    } else if (!keep) {
      continue;
    }
    LabelSet metric = ls.labels;
    if (drops_metric_name(op)) drop_metric_name(metric);
    if (m.card == Cardinality::one_to_one) {
      if (m.on) {
        keep_labels(metric, m.matching_labels);
      } else {
        for (const auto& n : m.matching_labels)
          del_label(metric, n);
      }
    }
    for (const auto& n : m.include)
      set_label(metric, n, get(rs.labels, n));
    if (return_bool) drop_metric_name(metric);

    auto existing = matched.find(sig);
    if (m.card == Cardinality::one_to_one) {
      if (existing != matched.end()) {
        eval_error(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
      }
      matched.emplace(sig, std::unordered_set<uint64_t>{});
    } else {
      uint64_t h = hash_labels(metric);
      if (existing == matched.end()) {
        matched[sig].insert(h);
      } else if (!existing->second.insert(h).second) {
        eval_error("multiple matches for labels: grouping labels must ensure unique matches");
      }
    }
    out.push_back(ISample{std::move(metric), value});
  }
  return out;
}

IVector vector_and(IVector lhs, const IVector& rhs, const VectorMatching& m) {
  if (lhs.empty() || rhs.empty()) return {};
  std::unordered_set<std::string> right;
  for (const auto& s : rhs)
    right.insert(signature(s.labels, m.matching_labels, m.on));
  IVector out;
  for (auto& s : lhs) {
    if (right.count(signature(s.labels, m.matching_labels, m.on))) out.push_back(std::move(s));
  }
  return out;
}

IVector vector_or(IVector lhs, IVector rhs, const VectorMatching& m) {
  if (lhs.empty()) return rhs;
  if (rhs.empty()) return lhs;
  std::unordered_set<std::string> left;
  for (const auto& s : lhs)
    left.insert(signature(s.labels, m.matching_labels, m.on));
  IVector out = std::move(lhs);
  for (auto& s : rhs) {
    if (!left.count(signature(s.labels, m.matching_labels, m.on))) out.push_back(std::move(s));
  }
  return out;
}

IVector vector_unless(IVector lhs, const IVector& rhs, const VectorMatching& m) {
  if (lhs.empty() || rhs.empty()) return lhs;
  std::unordered_set<std::string> right;
  for (const auto& s : rhs)
    right.insert(signature(s.labels, m.matching_labels, m.on));
  IVector out;
  for (auto& s : lhs) {
    if (!right.count(signature(s.labels, m.matching_labels, m.on))) out.push_back(std::move(s));
  }
  return out;
}
}  // namespace

// ---- the evaluator ----

std::string_view Evaluator::keep(std::string text) {
  budget_->text_bytes += text.size();
  if (budget_->text_bytes > kMaxMadeTextBytes) {
    eval_error(
        fmt::format("the query made more than {} MiB of label text (label_replace, label_join, "
                    "count_values), the limit of one query; select fewer series or shorter values",
                    kMaxMadeTextBytes >> 20));
  }
  return arena_.emplace_back(std::move(text));
}

std::string Evaluator::position(uint32_t pos) const {
  uint32_t line = 1;
  uint32_t col = pos + 1;
  for (uint32_t i = 0; i < pos && i < input_.size(); ++i) {
    if (input_[i] == '\n') {
      ++line;
      col = pos - i;
    }
  }
  return fmt::format("{}:{}", line, col);
}

void Evaluator::needs_history(const Expr& e, std::string_view what) const {
  if (history_) {
    eval_error(fmt::format(
        "{}: {} is not supported over recorded scrapes; run the query on a Prometheus server "
        "with --prometheus URL",
        position(e.pos), what));
  }
  eval_error(fmt::format(
      "{}: {} needs samples over time, but a single scrape has exactly one sample per series "
      "and no history; record scrapes with `query --watch INTERVAL`, load a recording with "
      "--replay FILE, or run the query on a Prometheus server with --prometheus URL",
      position(e.pos), what));
}

namespace {
uint64_t prefix_key(std::string_view v) {
  uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    key = (key << 8) | (i < v.size() ? static_cast<unsigned char>(v[i]) : 0u);
  }
  return key;
}
}  // namespace

// The order that sorts `v` by label set (stable). When every sample has the same label names
// (one metric family, the usual case), the first differing label value decides; sorting
// (8-byte prefix of that value, index) pairs avoids most full comparisons of a million series.
std::vector<uint32_t> sort_order(const IVector& v) {
  std::vector<uint32_t> order(v.size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  auto full = [&](uint32_t a, uint32_t b) {
    if (labels_less(v[a].labels, v[b].labels)) return true;
    if (labels_less(v[b].labels, v[a].labels)) return false;
    return a < b;
  };
  bool same_shape = !v.empty();
  std::size_t first_varying = 0;
  if (same_shape) {
    const LabelSet& ref = v[0].labels;
    std::size_t n = ref.size();
    first_varying = n;
    for (const auto& s : v) {
      if (s.labels.size() != n) {
        same_shape = false;
        break;
      }
      for (std::size_t k = 0; k < n; ++k) {
        if (s.labels[k].name != ref[k].name) {
          same_shape = false;
          break;
        }
        if (k < first_varying && s.labels[k].value != ref[k].value) first_varying = k;
      }
      if (!same_shape) break;
    }
  }
  if (!same_shape || first_varying == v[0].labels.size()) {
    std::sort(order.begin(), order.end(), full);
    return order;
  }
  std::vector<std::pair<uint64_t, uint32_t>> keyed(v.size());
  for (uint32_t i = 0; i < v.size(); ++i) {
    keyed[i] = {prefix_key(v[i].labels[first_varying].value), i};
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return full(a.second, b.second);
  });
  for (std::size_t i = 0; i < keyed.size(); ++i)
    order[i] = keyed[i].second;
  return order;
}

bool Evaluator::series_matches(const VectorSelector& vs, std::size_t index) const {
  const Scrape& sc = scrape_;
  const Series& s = sc.series(index);
  auto labels = sc.labels(s);
  for (const auto& m : vs.matchers) {
    std::string_view value;
    if (m.name == kMetricName) {
      value = sc.str(s.name);
    } else {
      for (const auto& l : labels) {
        if (sc.str(l.name) == m.name) {
          value = sc.str(l.value);
          break;
        }
      }
    }
    if (!m.matches(value)) return false;
  }
  return true;
}

LabelSet Evaluator::series_labels(std::size_t index) {
  const Scrape& sc = scrape_;
  const Series& s = sc.series(index);
  std::string_view series_name = sc.str(s.name);
  auto labels = sc.labels(s);
  LabelSet out(&label_arena_);
  out.reserve(labels.size() + 1);
  bool name_placed = false;
  for (const auto& l : labels) {
    std::string_view ln = sc.str(l.name);
    std::string_view lv = sc.str(l.value);
    if (!name_placed && ln > kMetricName) {
      out.push_back(Label{kMetricName, series_name});
      name_placed = true;
    }
    if (lv.empty() || ln == kMetricName) continue;  // Prometheus stores no empty labels
    out.push_back(Label{ln, lv});
  }
  if (!name_placed) out.push_back(Label{kMetricName, series_name});
  return out;
}

std::vector<uint32_t> Evaluator::select_indices(const VectorSelector& vs) const {
  const Scrape& sc = scrape_;
  std::string_view name;
  for (const auto& m : vs.matchers) {
    if (m.name == kMetricName && m.type == LabelMatcher::Type::equal) name = m.value;
  }
  std::vector<uint32_t> out;
  if (!name.empty()) {
    auto named = sc.series_named(name);
    // The name alone: every series of that name matches.
    if (vs.matchers.size() == 1) return std::vector<uint32_t>(named.begin(), named.end());
    out.reserve(named.size());
    for (uint32_t index : named) {
      if (series_matches(vs, index)) out.push_back(index);
    }
  } else {
    for (std::size_t i = 0; i < sc.series_count(); ++i) {
      if (series_matches(vs, i)) out.push_back(static_cast<uint32_t>(i));
    }
  }
  return out;
}

IVector Evaluator::select(const VectorSelector& vs, std::vector<int64_t>* timestamps) {
  const Scrape& sc = scrape_;
  std::vector<uint32_t> indices = select_indices(vs);
  IVector out;
  out.reserve(indices.size());
  for (uint32_t index : indices) {
    const Series& s = sc.series(index);
    out.push_back(ISample{series_labels(index), s.value});
    if (timestamps) {
      const int64_t timestamp_ms = sc.timestamp_ms(index);
      timestamps->push_back(timestamp_ms == Series::kNoTimestamp ? time_ms_ : timestamp_ms);
    }
  }
  // Prometheus's storage hands series to the engine sorted by label set; sums and means depend
  // on the order of their float additions, so ours must be the same.
  auto less = [](const ISample& a, const ISample& b) { return labels_less(a.labels, b.labels); };
  if (unordered_ok_ || std::is_sorted(out.begin(), out.end(), less)) return out;
  std::vector<uint32_t> order = sort_order(out);
  // Apply the permutation in place, cycle by cycle: no second copy of a million samples.
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;
    std::size_t i = start;
    ISample held = std::move(out[i]);
    int64_t held_ts = timestamps ? (*timestamps)[i] : 0;
    while (order[i] != start) {
      std::size_t from = order[i];
      out[i] = std::move(out[from]);
      if (timestamps) (*timestamps)[i] = (*timestamps)[from];
      order[i] = static_cast<uint32_t>(i);
      i = from;
    }
    out[i] = std::move(held);
    if (timestamps) (*timestamps)[i] = held_ts;
    order[i] = static_cast<uint32_t>(i);
  }
  return out;
}

IVector Evaluator::eval_vector(const Expr& e) {
  return std::get<IVector>(eval(e));
}
double Evaluator::eval_scalar(const Expr& e) {
  return std::get<double>(eval(e));
}
std::string_view Evaluator::eval_string(const Expr& e) {
  return std::get<std::string_view>(eval(e));
}

EvalValue Evaluator::eval(const Expr& e) {
  if (const auto* n = std::get_if<NumberLiteral>(&e.node)) return n->value;
  if (const auto* s = std::get_if<StringLiteral>(&e.node)) return std::string_view(s->value);
  if (const auto* vs = std::get_if<VectorSelector>(&e.node)) {
    if (vs->has_at || vs->has_offset) {
      if (!history_) needs_history(e, vs->has_at ? "the @ modifier" : "the offset modifier");
      return select_at(*vs, selector_time(*vs), nullptr);
    }
    return select_now(*vs);
  }
  if (std::holds_alternative<MatrixSelector>(e.node)) needs_history(e, "a range vector selector");
  if (std::holds_alternative<SubqueryExpr>(e.node)) needs_history(e, "a subquery");
  if (const auto* p = std::get_if<ParenExpr>(&e.node)) return eval(*p->expr);
  if (const auto* u = std::get_if<UnaryExpr>(&e.node)) {
    EvalValue v = eval(*u->expr);
    if (u->op != Tok::sub) return v;
    if (auto* d = std::get_if<double>(&v)) return -*d;
    auto& vec = std::get<IVector>(v);
    for (auto& s : vec) {
      drop_metric_name(s.labels);
      s.value = -s.value;
    }
    check_duplicates(vec);
    return v;
  }
  if (const auto* b = std::get_if<BinaryExpr>(&e.node)) return binary(*b);
  if (const auto* a = std::get_if<AggregateExpr>(&e.node)) {
    IVector out = aggregate(*this, *a);
    check_duplicates(out);
    return out;
  }
  const auto& c = std::get<Call>(e.node);
  return call_function(*this, c, e);
}

EvalValue Evaluator::binary(const BinaryExpr& b) {
  ValueType lt = b.lhs->type();
  ValueType rt = b.rhs->type();
  if (lt == ValueType::scalar && rt == ValueType::scalar) {
    double l = eval_scalar(*b.lhs);
    double r = eval_scalar(*b.rhs);
    return scalar_binop(b.op, l, r);
  }
  IVector out;
  if (lt == ValueType::vector && rt == ValueType::vector) {
    IVector l = eval_vector(*b.lhs);
    IVector r = eval_vector(*b.rhs);
    const VectorMatching& m = *b.matching;
    switch (b.op) {
      case Tok::land:
        out = vector_and(std::move(l), r, m);
        break;
      case Tok::lor:
        out = vector_or(std::move(l), std::move(r), m);
        break;
      case Tok::lunless:
        out = vector_unless(std::move(l), r, m);
        break;
      default:
        out = vector_binop(b.op, std::move(l), std::move(r), m, b.return_bool);
        break;
    }
  } else if (lt == ValueType::vector) {
    IVector l = eval_vector(*b.lhs);
    double r = eval_scalar(*b.rhs);
    out = vector_scalar(b.op, std::move(l), r, false, b.return_bool);
  } else {
    double l = eval_scalar(*b.lhs);
    IVector r = eval_vector(*b.rhs);
    out = vector_scalar(b.op, std::move(r), l, true, b.return_bool);
  }
  check_duplicates(out);
  return out;
}

// ---- public API ----

Value to_value(EvalValue v) {
  if (auto* d = std::get_if<double>(&v)) return Scalar{*d};
  if (auto* s = std::get_if<std::string_view>(&v)) return String{std::string(*s)};
  Vector out;
  auto& iv = std::get<IVector>(v);
  out.reserve(iv.size());
  for (const auto& s : iv) {
    Sample sample;
    sample.value = s.value;
    sample.metric.reserve(s.labels.size());
    for (const auto& l : s.labels)
      sample.metric.emplace_back(l.name, l.value);
    out.push_back(std::move(sample));
  }
  return out;
}

Value evaluate(const Scrape& scrape, std::string_view expr, const EvalOptions& options) {
  ExprPtr tree = parse(expr);
  if (tree->type() == ValueType::matrix) {
    Evaluator(scrape, options.time_ms, expr).needs_history(*tree, "a range vector result");
  }
  Evaluator ev(scrape, options.time_ms, expr);
  return to_value(ev.eval(*tree));
}

std::vector<std::string> selector_names(std::string_view expr) {
  ExprPtr tree = parse(expr);
  std::vector<std::string> names;
  auto add = [&](const VectorSelector& vs) {
    for (const auto& m : vs.matchers) {
      if (m.name == kMetricName && m.type == LabelMatcher::Type::equal &&
          std::find(names.begin(), names.end(), m.value) == names.end()) {
        names.push_back(m.value);
      }
    }
  };
  auto walk = [&](auto&& self, const Expr& e) -> void {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, VectorSelector>) add(n);
          if constexpr (std::is_same_v<T, MatrixSelector>) self(self, *n.selector);
          if constexpr (std::is_same_v<T, SubqueryExpr> || std::is_same_v<T, ParenExpr> ||
                        std::is_same_v<T, UnaryExpr>) {
            self(self, *n.expr);
          }
          if constexpr (std::is_same_v<T, BinaryExpr>) {
            self(self, *n.lhs);
            self(self, *n.rhs);
          }
          if constexpr (std::is_same_v<T, AggregateExpr>) {
            if (n.param) self(self, *n.param);
            self(self, *n.expr);
          }
          if constexpr (std::is_same_v<T, Call>) {
            for (const auto& a : n.args)
              self(self, *a);
          }
        },
        e.node);
  };
  walk(walk, *tree);
  return names;
}

}  // namespace e2e3d::promql
