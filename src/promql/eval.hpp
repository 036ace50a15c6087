#pragma once
// The evaluator's internals, shared by engine.cpp, aggregations.cpp and functions.cpp.
// Label names and values are string_views into the scrape, the syntax tree, or the
// evaluator's arena, so selecting a million series allocates one small vector per series.

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/promql/ast.hpp"
#include "e2e3d/promql/engine.hpp"
#include "e2e3d/scrape.hpp"
#include "exposition/recycled_memory.hpp"

namespace e2e3d::promql {

struct Label {
  std::string_view name;
  std::string_view value;
  bool operator==(const Label&) const = default;
};
// Sorted by name, no empty values. Selections allocate them from the evaluator's arena, so a
// million series cost no million mallocs and frees.
using LabelSet = std::pmr::vector<Label>;

struct ISample {
  LabelSet labels;
  double value = 0;
};
using IVector = std::vector<ISample>;
using EvalValue = std::variant<IVector, double, std::string_view>;

inline constexpr std::string_view kMetricName = "__name__";

// Label set helpers with Prometheus's labels.Builder semantics (an empty value deletes).
std::string_view get(const LabelSet& ls, std::string_view name);
void set_label(LabelSet& ls, std::string_view name, std::string_view value);
void del_label(LabelSet& ls, std::string_view name);
void drop_metric_name(LabelSet& ls);
void keep_labels(LabelSet& ls, const std::vector<std::string>& names);
uint64_t hash_labels(const LabelSet& ls);
// labels.Labels.String(): {__name__="foo", a="b"}
std::string labels_string(const LabelSet& ls);
// A byte string identifying the values of `names` (on) or of all labels but `names` and
// __name__ (ignoring / without), like Prometheus's signature functions.
std::string signature(const LabelSet& ls, const std::vector<std::string>& names, bool on);

bool contains_same_labelset(const IVector& v);
// labels.Compare order: pairwise by name then value; a prefix sorts first.
bool labels_less(const LabelSet& a, const LabelSet& b);
// Indices of `v` in label-set order (stable).
std::vector<uint32_t> sort_order(const IVector& v);
// What family_order() needs from the caller's pass over the series: the first 8 bytes of each
// series' first varying label value (big-endian, zero padded) in `entries`, at the series'
// position in the selection, and the bytes seen at each of those positions. The entries'
// memory is reused from an earlier phase when it can be (recycled_memory.hpp).
struct ValuePrefixes {
  explicit ValuePrefixes(std::size_t count);
  ValuePrefixes(const ValuePrefixes&) = delete;
  ValuePrefixes& operator=(const ValuePrefixes&) = delete;
  // The value's prefix, for `entries`, with what it shows counted.
  uint64_t observe(std::string_view value);
  // Counts what `other` (whose entries are left alone) has observed.
  void merge(const ValuePrefixes& other);

  std::vector<uint64_t, detail::RecyclingAllocator<uint64_t>> entries;
  std::array<std::array<uint8_t, 256>, 8> seen{};
  std::array<bool, 8> ended{};
  std::size_t max_len = 0;
  bool zero_byte = false;  // some value has a 0 byte among its first 8
};
// Sorts the selection `series` (scrape indices of series that all have the same name and
// label names and no empty value, of which label `first_varying` is the first whose value is
// not the same everywhere, in exposition order) into label-set order, stable: afterwards the
// low 32 bits of prefixes.entries are the scrape indices of the series in that order.
void family_order(const Scrape& sc, std::span<const uint32_t> series, std::size_t first_varying,
                  ValuePrefixes& prefixes);
// signature() into a reused buffer.
void signature_into(std::string& out, const LabelSet& ls, const std::vector<std::string>& names,
                    bool on);
[[noreturn]] void eval_error(const std::string& message);

class History;

// The samples of one series in a range selector's window, staleness markers left out.
struct RangeSeries {
  LabelSet labels;
  std::vector<Point> points;
};

class Evaluator {
 public:
  Evaluator(const Scrape& scrape, int64_t time_ms, std::string_view input)
      : scrape_(scrape), time_ms_(time_ms), input_(input) {}

  EvalValue eval(const Expr& e);
  IVector eval_vector(const Expr& e);
  double eval_scalar(const Expr& e);
  std::string_view eval_string(const Expr& e);

  // The samples a selector picks; `timestamps` (optional) receives each sample's own timestamp.
  IVector select(const VectorSelector& vs, std::vector<int64_t>* timestamps = nullptr);
  // The indices of the scrape's series a selector matches, in exposition order.
  std::vector<uint32_t> select_indices(const VectorSelector& vs) const;
  bool series_matches(const VectorSelector& vs, std::size_t index) const;
  // A series' labels as Prometheus stores them: __name__ included, empty values left out.
  LabelSet series_labels(std::size_t index);

  // Set while evaluating the argument of an aggregation whose result does not depend on the
  // order of its input (count, group): selectors may then skip sorting.
  bool unordered_ok_ = false;

  std::string_view keep(std::string text) { return arena_.emplace_back(std::move(text)); }
  int64_t time_ms() const { return time_ms_; }
  const Scrape& scrape() const { return scrape_; }
  // "1:5" for a byte offset in the expression.
  std::string position(uint32_t pos) const;
  [[noreturn]] void needs_history(const Expr& e, std::string_view what) const;

  // Recorded scrapes, when the expression is evaluated over them (history.hpp); the scrape is
  // then the history's instant view at time_ms.
  void set_history(const History* history) { history_ = history; }
  const History* history() const { return history_; }
  // What `vs` selects at `t_ms` from the history (instant selectors with offset).
  IVector select_at(const VectorSelector& vs, int64_t t_ms, std::vector<int64_t>* timestamps);
  // What `ms` selects from the history: the samples in [t - offset - range, t - offset].
  std::vector<RangeSeries> select_range(const MatrixSelector& ms);

 private:
  EvalValue binary(const BinaryExpr& b);
  const Scrape& scrape_;
  int64_t time_ms_;
  std::string_view input_;
  const History* history_ = nullptr;
  std::deque<std::string> arena_;
  std::pmr::monotonic_buffer_resource label_arena_{1 << 20};
};

IVector aggregate(Evaluator& ev, const AggregateExpr& a);
// The functions that take a range vector (rate, *_over_time, ...), over ev.history().
IVector range_function(Evaluator& ev, const Call& c, const Expr& e);
// createLabelsForAbsentFunction: the equality matchers of a selector argument.
LabelSet absent_labels(const Expr& arg);
const Expr& unwrap_parens(const Expr& e);
// The public form of an evaluation result, sorted by label set unless `tree` orders it.
Value to_value(EvalValue value, const Expr& tree);
EvalValue call_function(Evaluator& ev, const Call& c, const Expr& e);
IVector histogram_quantile(double q, const IVector& in);
// quantile's value of `values` (sorted in place), as aggregations and quantile_over_time
// compute it.
double quantile_of(double q, std::vector<ISample>& values);

// sort.Sort as Go 1.19 runs it: insertion sort up to 12 elements (stable, and well defined
// even for Prometheus's NaN-first comparators); larger inputs use a stable sort that places NaN
// where the comparator puts it.
template <typename Less>
void go_sort(std::vector<ISample>& v, Less less) {
  if (v.size() <= 12) {
    for (std::size_t i = 1; i < v.size(); ++i) {
      for (std::size_t j = i; j > 0 && less(v[j], v[j - 1]); --j)
        std::swap(v[j], v[j - 1]);
    }
    return;
  }
  std::stable_sort(v.begin(), v.end(), [&](const ISample& a, const ISample& b) {
    bool an = a.value != a.value;
    bool bn = b.value != b.value;
    if (an && bn) return false;
    if (an || bn) return less(a, b) && !less(b, a);
    return less(a, b);
  });
}

// vectorByValueHeap.Less and vectorByReverseValueHeap.Less: NaN counts as smallest/largest.
inline bool by_value_less(const ISample& a, const ISample& b) {
  if (a.value != a.value) return true;
  return a.value < b.value;
}
inline bool by_reverse_value_less(const ISample& a, const ISample& b) {
  if (a.value != a.value) return true;
  return a.value > b.value;
}

// Go's math behaviour where C's differs: Max/Min NaN and signed-zero rules, Pow's algorithm,
// Log's polynomial (and Log2/Log10 built on it).
double go_max(double a, double b);
double go_min(double a, double b);
double go_pow(double x, double y);
double go_log(double x);
double go_exp(double x);
double go_atan2(double y, double x);
double go_log2(double x);
double go_log10(double x);

}  // namespace e2e3d::promql
