// Aggregation operators, a port of Prometheus 2.42's evaluator.aggregation(): the same grouping,
// the same incremental mean and variance, the same heaps for topk/bottomk (so ties and NaN pick
// the same series), the same output order (groups in order of first appearance).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>

#include "promql/eval.hpp"
#include "promql/go_text.hpp"
#include "promql/label_set_order.hpp"
#include "promql/names.hpp"

namespace e2e3d::promql {
namespace {

// Go's container/heap over a vector with a Less function.
template <typename Less>
void heap_up(std::vector<ISample>& h, std::size_t j, Less less) {
  while (j > 0) {
    std::size_t i = (j - 1) / 2;
    if (!less(h[j], h[i])) break;
    std::swap(h[i], h[j]);
    j = i;
  }
}

template <typename Less>
void heap_down(std::vector<ISample>& h, std::size_t i, std::size_t n, Less less) {
  for (;;) {
    std::size_t j1 = 2 * i + 1;
    if (j1 >= n) break;
    std::size_t j = j1;
    if (j1 + 1 < n && less(h[j1 + 1], h[j1])) j = j1 + 1;
    if (!less(h[j], h[i])) break;
    std::swap(h[i], h[j]);
    i = j;
  }
}

template <typename Less>
void heap_push(std::vector<ISample>& h, ISample s, Less less) {
  h.push_back(std::move(s));
  heap_up(h, h.size() - 1, less);
}

template <typename Less>
void heap_pop(std::vector<ISample>& h, Less less) {
  std::size_t n = h.size() - 1;
  std::swap(h[0], h[n]);
  heap_down(h, 0, n, less);
  h.pop_back();
}

struct Group {
  LabelSet labels;
  double value = 0;
  double mean = 0;
  double count = 0;
  std::vector<ISample> heap;
};

// One more sample for the aggregations that keep a running value (Prometheus's switch).
void accumulate(Tok op, Group& g, double v) {
  switch (op) {
    case Tok::sum:
      g.value += v;
      break;
    case Tok::avg: {
      g.count++;
      if (std::isinf(g.mean)) {
        if (std::isinf(v) && (g.mean > 0) == (v > 0)) break;
        if (!std::isinf(v) && !std::isnan(v)) break;
      }
      g.mean += v / g.count - g.mean / g.count;
      break;
    }
    case Tok::max:
      if (g.value < v || std::isnan(g.value)) g.value = v;
      break;
    case Tok::min:
      if (g.value > v || std::isnan(g.value)) g.value = v;
      break;
    case Tok::count:
    case Tok::count_values:
      g.count++;
      break;
    case Tok::stdvar:
    case Tok::stddev: {
      g.count++;
      double delta = v - g.mean;
      g.mean += delta / g.count;
      g.value += delta * (v - g.mean);
      break;
    }
    default:
      break;  // group
  }
}

Group new_group(Tok op, LabelSet labels, double v) {
  Group g;
  g.labels = std::move(labels);
  g.value = v;
  g.mean = v;
  g.count = 1;
  if (op == Tok::stdvar || op == Tok::stddev) g.value = 0;
  if (op == Tok::group) g.value = 1;
  return g;
}

double final_value(Tok op, const Group& g) {
  switch (op) {
    case Tok::avg:
      return g.mean;
    case Tok::count:
    case Tok::count_values:
      return g.count;
    case Tok::stdvar:
      return g.value / g.count;
    case Tok::stddev:
      return std::sqrt(g.value / g.count);
    default:
      return g.value;
  }
}

LabelSet group_labels(LabelSet labels, const std::vector<std::string>& grouping, bool without) {
  if (without) {
    for (const auto& n : grouping)
      del_label(labels, n);
    drop_metric_name(labels);
    return labels;
  }
  if (grouping.empty()) return LabelSet{};
  keep_labels(labels, grouping);
  return labels;
}

// Groups keyed by the interned symbols of the label values at `positions`: an open-addressing
// table of group numbers, each group's symbols stored once, so a million series cost a million
// probes of a small table and no key strings.
class SymbolGroups {
 public:
  explicit SymbolGroups(const std::vector<std::size_t>& positions)
      : positions_(positions), slots_(16, kEmpty) {}

  uint32_t find_or_add(std::span<const LabelRef> ls) {
    const std::size_t width = positions_.size();
    uint64_t h = 0;
    for (std::size_t k : positions_)
      h = (h ^ ls[k].value) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = h & mask;; slot = (slot + 1) & mask) {
      uint32_t g = slots_[slot];
      if (g == kEmpty) {
        g = static_cast<uint32_t>(size_++);
        for (std::size_t k : positions_)
          symbols_.push_back(ls[k].value);
        slots_[slot] = g;
        if (size_ * 2 > slots_.size()) grow();
        return g;
      }
      const Symbol* key = symbols_.data() + static_cast<std::size_t>(g) * width;
      bool same = true;
      for (std::size_t j = 0; j < width && same; ++j)
        same = key[j] == ls[positions_[j]].value;
      if (same) return g;
    }
  }

 private:
  static constexpr uint32_t kEmpty = ~uint32_t{0};
  void grow() {
    const std::size_t width = positions_.size();
    std::vector<uint32_t> bigger(slots_.size() * 2, kEmpty);
    std::size_t mask = bigger.size() - 1;
    for (uint32_t g = 0; g < size_; ++g) {
      uint64_t h = 0;
      for (std::size_t j = 0; j < width; ++j)
        h = (h ^ symbols_[g * width + j]) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 32;
      std::size_t slot = h & mask;
      while (bigger[slot] != kEmpty)
        slot = (slot + 1) & mask;
      bigger[slot] = g;
    }
    slots_.swap(bigger);
  }
  const std::vector<std::size_t>& positions_;
  std::vector<uint32_t> slots_;
  std::vector<Symbol> symbols_;
  std::size_t size_ = 0;
};

// sum by (status) (foo) and the like, straight from the scrape: when every selected series has
// the same name and label names (one family), grouping keys are the interned value symbols at
// fixed positions and the label-set order comes from label_set_order(), so no label set is built
// except one per group. One pass in exposition order finds the groups and values, then the
// values are added in label-set order: the same additions in the same order as the general
// path (and Prometheus).
std::optional<IVector> aggregate_selector(Evaluator& ev, const AggregateExpr& a) {
  const auto* vs = std::get_if<VectorSelector>(&a.expr->node);
  Tok op = a.op;
  if (!vs || vs->has_offset || vs->has_at || !ev.has_view()) return std::nullopt;
  if (op != Tok::sum && op != Tok::avg && op != Tok::min && op != Tok::max && op != Tok::stddev &&
      op != Tok::stdvar && op != Tok::count && op != Tok::group) {
    return std::nullopt;
  }
  const Scrape& sc = ev.scrape();
  // A name alone selects the name index as it is: no copy of a million indices.
  std::vector<uint32_t> selected;
  std::span<const uint32_t> idx;
  std::string_view by_name;  // set when idx is the scrape's index of one name
  const auto& only = vs->matchers.front();
  if (vs->matchers.size() == 1 && only.name == kMetricName &&
      only.type == LabelMatcher::Type::equal && !only.value.empty()) {
    idx = sc.series_named(only.value);
    by_name = only.value;
  } else {
    selected = ev.select_indices(*vs);
    idx = selected;
  }
  if (idx.empty()) return IVector{};
  // count and group into one group: the number of series is the answer, whatever they are.
  if ((op == Tok::count || op == Tok::group) && !a.without && a.grouping.empty()) {
    IVector out;
    out.push_back(ISample{LabelSet{}, op == Tok::count ? static_cast<double>(idx.size()) : 1.0});
    return out;
  }
  const Series& first = sc.series(idx[0]);
  auto ref = sc.labels(first);
  const std::size_t n = ref.size();
  std::optional<Symbol> empty = sc.find("");
  // Positions whose values make the grouping key.
  std::vector<std::size_t> positions;
  for (std::size_t k = 0; k < n; ++k) {
    std::string_view name = sc.str(ref[k].name);
    bool listed = std::find(a.grouping.begin(), a.grouping.end(), name) != a.grouping.end();
    if (listed != a.without) positions.push_back(k);
  }
  const std::size_t m = idx.size();
  // Each series' group, one byte while there are few groups (the usual case: memory the kernel
  // must clear costs more time here than anything else).
  std::vector<uint8_t> small_ids;
  std::vector<uint32_t> big_ids;
  const bool keep_ids = !positions.empty();
  // Indexed by scrape index - idx[0] (the selection is in exposition order), so the additions
  // in label-set order below need no lookup of positions.
  const uint32_t base = idx.front();
  const std::size_t span = idx.back() - base + 1;
  if (keep_ids) small_ids.resize(span);
  std::vector<uint32_t> group_first;  // each group's first series, in exposition order
  std::vector<char> seen;             // whether the group has been met in label-set order
  SymbolGroups table(positions);
  std::size_t first_varying = n;
  for (std::size_t pos = 0; pos < m; ++pos) {
    const Series& s = sc.series(idx[pos]);
    auto ls = sc.labels(s);
    if (s.name != first.name || ls.size() != n) return std::nullopt;
    for (std::size_t k = 0; k < n; ++k) {
      if (ls[k].name != ref[k].name || (empty && ls[k].value == *empty)) return std::nullopt;
      if (k < first_varying && ls[k].value != ref[k].value) first_varying = k;
    }
    uint32_t g = positions.empty() ? 0 : table.find_or_add(ls);
    if (g == group_first.size()) {
      group_first.push_back(idx[pos]);
      seen.push_back(0);
      if (keep_ids && g == 256) big_ids.assign(small_ids.begin(), small_ids.end());
    }
    if (keep_ids) {
      if (big_ids.empty()) {
        small_ids[idx[pos] - base] = static_cast<uint8_t>(g);
      } else {
        big_ids[idx[pos] - base] = g;
      }
    }
  }
  if (!big_ids.empty()) small_ids = {};
  auto labels_of = [&](uint32_t g) {
    return group_labels(ev.series_labels(group_first[g]), a.grouping, a.without);
  };
  // Groups come in the order they are first met in label-set order, as in Prometheus, whose
  // input is sorted; count and group too.
  IVector out;
  out.reserve(group_first.size());
  auto group_of = [&](uint32_t index) -> uint32_t {
    if (!keep_ids) return 0;
    return big_ids.empty() ? small_ids[index - base] : big_ids[index - base];
  };
  std::vector<Group> groups(group_first.size());
  std::vector<uint32_t> appearance;  // groups in order of first appearance in label-set order
  appearance.reserve(groups.size());
  auto add = [&](uint32_t g, double v) {
    if (!seen[g]) {
      seen[g] = 1;
      groups[g] = new_group(op, LabelSet{}, v);
      appearance.push_back(g);
      return;
    }
    accumulate(op, groups[g], v);
  };
  if (first_varying < n && m > 1) {
    const auto order = label_set_order(sc, by_name, idx, first_varying);
    // The groups are read in a random order: ask for them a few series ahead.
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = 0; i < order->size(); ++i) {
      if (keep_ids && i + kAhead < order->size()) {
        const uint32_t ahead = order->series(i + kAhead) - base;
        if (big_ids.empty()) {
          __builtin_prefetch(&small_ids[ahead]);
        } else {
          __builtin_prefetch(&big_ids[ahead]);
        }
      }
      add(group_of(order->series(i)), order->values[i]);
    }
  } else {
    for (std::size_t pos = 0; pos < m; ++pos)  // one series, or equal label sets: exposition
      add(group_of(idx[pos]), sc.series(idx[pos]).value);  // order, like a stable sort
  }
  for (uint32_t g : appearance)
    out.push_back(ISample{labels_of(g), final_value(op, groups[g])});
  return out;
}

}  // namespace

double quantile_of(double q, std::vector<ISample>& values) {
  if (values.empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  go_sort(values, by_value_less);
  double n = static_cast<double>(values.size());
  double rank = q * (n - 1);
  double lower = go_max(0, std::floor(rank));
  double upper = go_min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  return values[static_cast<std::size_t>(lower)].value * (1 - weight) +
         values[static_cast<std::size_t>(upper)].value * weight;
}

IVector aggregate(Evaluator& ev, const AggregateExpr& a) {
  Tok op = a.op;
  int64_t k = 0;
  double q = 0;
  std::string_view value_label;
  // The parameter is evaluated before the vector, as Prometheus's rangeEval does.
  if (op == Tok::topk || op == Tok::bottomk) {
    double f = ev.eval_scalar(*a.param);
    if (!(f <= 9.223372036854775807e18 && f >= -9.223372036854775808e18)) {
      eval_error(fmt::format("Scalar value {} overflows int64", format_float_g(f)));
    }
    k = static_cast<int64_t>(f);
  } else if (op == Tok::quantile) {
    q = ev.eval_scalar(*a.param);
  } else if (op == Tok::count_values) {
    value_label = ev.eval_string(*a.param);
  }
  if (auto fast = aggregate_selector(ev, a)) return std::move(*fast);
  // count and group into one group do not depend on input order: a selector directly below may
  // skip sorting. With several groups, the groups' order is that of the sorted input.
  bool direct_selector = std::holds_alternative<VectorSelector>(a.expr->node);
  bool one_group = !a.without && a.grouping.empty();
  ev.unordered_ok_ = direct_selector && one_group && (op == Tok::count || op == Tok::group);
  IVector vec = ev.eval_vector(*a.expr);
  ev.unordered_ok_ = false;
  if ((op == Tok::topk || op == Tok::bottomk) && k < 1) return {};

  std::vector<std::string> grouping = a.grouping;
  if (op == Tok::count_values) {
    if (!is_label_name(value_label))
      eval_error(fmt::format("invalid label name {}", go_quote(value_label)));
    if (!a.without) {
      grouping.emplace_back(value_label);
      std::sort(grouping.begin(), grouping.end());
    }
  }

  std::unordered_map<std::string, std::size_t> index;
  std::vector<Group> groups;
  std::string key;
  for (auto& s : vec) {
    if (op == Tok::count_values) {
      set_label(s.labels, value_label, ev.keep(format_float_f(s.value)));
    }
    signature_into(key, s.labels, grouping, !a.without);
    auto it = index.find(key);
    bool inserted = it == index.end();
    if (inserted) it = index.emplace(key, groups.size()).first;
    if (inserted) {
      Group g;
      if (a.without) {
        g.labels = s.labels;
        for (const auto& n : grouping)
          del_label(g.labels, n);
        drop_metric_name(g.labels);
      } else if (!grouping.empty()) {
        g.labels = s.labels;
        keep_labels(g.labels, grouping);
      }
      g.value = s.value;
      g.mean = s.value;
      g.count = 1;
      switch (op) {
        case Tok::stdvar:
        case Tok::stddev:
          g.value = 0;
          break;
        case Tok::topk:
        case Tok::quantile:
        case Tok::bottomk:
          g.heap.push_back(ISample{s.labels, s.value});
          break;
        case Tok::group:
          g.value = 1;
          break;
        default:
          break;
      }
      groups.push_back(std::move(g));
      continue;
    }
    Group& g = groups[it->second];
    double v = s.value;
    switch (op) {
      case Tok::topk:
        if (static_cast<int64_t>(g.heap.size()) < k || g.heap[0].value < v ||
            std::isnan(g.heap[0].value)) {
          if (static_cast<int64_t>(g.heap.size()) == k) {
            if (k == 1) {
              g.heap[0] = ISample{s.labels, v};
              break;
            }
            heap_pop(g.heap, by_value_less);
          }
          heap_push(g.heap, ISample{s.labels, v}, by_value_less);
        }
        break;
      case Tok::bottomk:
        if (static_cast<int64_t>(g.heap.size()) < k || g.heap[0].value > v ||
            std::isnan(g.heap[0].value)) {
          if (static_cast<int64_t>(g.heap.size()) == k) {
            if (k == 1) {
              g.heap[0] = ISample{s.labels, v};
              break;
            }
            heap_pop(g.heap, by_reverse_value_less);
          }
          heap_push(g.heap, ISample{s.labels, v}, by_reverse_value_less);
        }
        break;
      case Tok::quantile:
        g.heap.push_back(ISample{s.labels, v});
        break;
      default:
        accumulate(op, g, v);  // the running-value aggregations, shared with the fast path
        break;
    }
  }

  IVector out;
  out.reserve(groups.size());
  for (auto& g : groups) {
    switch (op) {
      case Tok::avg:
        g.value = g.mean;
        break;
      case Tok::count:
      case Tok::count_values:
        g.value = g.count;
        break;
      case Tok::stdvar:
        g.value = g.value / g.count;
        break;
      case Tok::stddev:
        g.value = std::sqrt(g.value / g.count);
        break;
      case Tok::topk:
        if (g.heap.size() > 1) {
          go_sort(g.heap, [](const ISample& x, const ISample& y) { return by_value_less(y, x); });
        }
        for (auto& s : g.heap)
          out.push_back(std::move(s));
        continue;
      case Tok::bottomk:
        if (g.heap.size() > 1) {
          go_sort(g.heap,
                  [](const ISample& x, const ISample& y) { return by_reverse_value_less(y, x); });
        }
        for (auto& s : g.heap)
          out.push_back(std::move(s));
        continue;
      case Tok::quantile:
        g.value = quantile_of(q, g.heap);
        break;
      default:
        break;
    }
    out.push_back(ISample{std::move(g.labels), g.value});
  }
  return out;
}

}  // namespace e2e3d::promql
