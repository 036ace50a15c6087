#pragma once
// The evaluator's internals, shared by engine.cpp, aggregations.cpp and functions.cpp.
// Label names and values are string_views into the scrape, the syntax tree, or the
// evaluator's arena, so selecting a million series allocates one small vector per series.

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
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
#include "promql/go_sort.hpp"

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

class SeriesStore;

// The samples of one series in a range selector's window, staleness markers left out.
struct RangeSeries {
  LabelSet labels;
  std::vector<Point> points;
};

// Time arithmetic as Go does it: wrapping, never undefined (an `@` far outside int64's
// milliseconds becomes math.MinInt64 in Prometheus, and the times derived from it wrap).
inline int64_t time_sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t time_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// The evaluation times of a subquery: start, start + interval, ..., up to end.
struct Steps {
  int64_t start = 0;
  int64_t end = 0;
  int64_t interval = 1;
  std::size_t count() const {
    return start > end ? 0 : static_cast<std::size_t>((end - start) / interval) + 1;
  }
};

// The first multiple of `interval` at or after `t`: where a subquery's steps start (they are
// aligned to the epoch, not to the evaluation time).
inline int64_t aligned_step(int64_t t, int64_t interval) {
  int64_t start = interval * (t / interval);
  if (start < t) start += interval;
  return start;
}

// A subquery without a step (`[30m:]`) steps by Prometheus's default evaluation interval.
inline constexpr int64_t kDefaultSubqueryStepMs = 60 * 1000;

// Text the evaluation makes (label_replace's and label_join's values, count_values' labels) is
// bounded, one value and all of them together, so that no expression multiplies a label's
// text into gigabytes.
inline constexpr std::size_t kMaxLabelValueBytes = 1 << 20;
inline constexpr std::size_t kMaxMadeTextBytes = 128 << 20;

// What one query may materialize in subquery results, and what it has so far, shared by the
// evaluators of every step.
struct SubqueryBudget {
  std::size_t max_samples = 5'000'000;
  std::size_t max_steps = 1'000'000;
  std::size_t samples = 0;
  std::size_t steps = 0;
  std::size_t text_bytes = 0;  // kept by Evaluator::keep
};

class Evaluator {
 public:
  Evaluator(const Scrape& scrape, int64_t time_ms, std::string_view input)
      : scrape_(scrape), time_ms_(time_ms), query_time_ms_(time_ms), input_(input) {}
  // An evaluator of the same query over the same history at another time (a subquery's step):
  // its selectors read the history, there is no instant view of that time.
  Evaluator(const Evaluator& parent, int64_t time_ms);

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

  // Text made by the evaluation, kept as long as the evaluator (bounded: kMaxMadeTextBytes).
  std::string_view keep(std::string text);
  int64_t time_ms() const { return time_ms_; }
  const Scrape& scrape() const { return scrape_; }
  // "1:5" for a byte offset in the expression.
  std::string position(uint32_t pos) const;
  [[noreturn]] void needs_history(const Expr& e, std::string_view what) const;

  // Recorded samples, when the expression is evaluated over them (series_store.hpp); the scrape is
  // then the history's instant view at time_ms (see has_view()).
  void set_history(const SeriesStore* history) { history_ = history; }
  const SeriesStore* history() const { return history_; }
  // Whether scrape() holds what instant selectors see at time_ms(); false for a subquery's steps,
  // whose selectors read the history.
  bool has_view() const { return view_; }
  // What `vs` selects at `t_ms` from the history (instant selectors with offset or @).
  IVector select_at(const VectorSelector& vs, int64_t t_ms, std::vector<int64_t>* timestamps);
  // What a selector without offset and @ selects now, from the view or the history.
  IVector select_now(const VectorSelector& vs, std::vector<int64_t>* timestamps = nullptr);
  // The time `@` names: its timestamp, or the query's time for start() and end().
  int64_t at_time(const AtModifier& at) const;
  // The time a selector (or a range selector's end) reads at: now or @, minus the offset.
  int64_t selector_time(const VectorSelector& vs) const;
  // What `ms` selects from the history: the samples in [t - offset - range, t - offset], or,
  // with `until_ms` later than t, the samples of every window up to that one ending there.
  std::vector<RangeSeries> select_range(const MatrixSelector& ms);
  std::vector<RangeSeries> select_range_between(const MatrixSelector& ms, int64_t from_ms,
                                                int64_t to_ms);
  // A subquery's result: each series the inner expression yields at the subquery's steps,
  // in Prometheus's order (subquery.cpp).
  std::vector<RangeSeries> select_subquery(const SubqueryExpr& sq, const Expr& e);
  // The steps of `sq` evaluated at time_ms() (Prometheus's alignment).
  Steps subquery_steps(const SubqueryExpr& sq) const;
  // `e` (an instant vector expression) at each of `steps`, in Prometheus's order.
  std::vector<RangeSeries> eval_steps(const Expr& e, const Steps& steps);
  // A selector at each of `steps` (the lookback, staleness, offset and @ of an instant
  // selector), in label-set order.
  std::vector<RangeSeries> select_steps(const VectorSelector& vs, const Steps& steps);
  // A copy of `labels` whose strings live as long as this evaluator.
  LabelSet adopt(const LabelSet& labels);
  SubqueryBudget& budget() { return *budget_; }

 private:
  EvalValue binary(const BinaryExpr& b);
  const Scrape& scrape_;
  int64_t time_ms_;
  int64_t query_time_ms_;  // what start() and end() stand for
  std::string_view input_;
  const SeriesStore* history_ = nullptr;
  bool view_ = true;
  std::shared_ptr<SubqueryBudget> budget_ = std::make_shared<SubqueryBudget>();
  std::deque<std::string> arena_;
  std::pmr::monotonic_buffer_resource label_arena_{1 << 20};
};

IVector aggregate(Evaluator& ev, const AggregateExpr& a);
// The functions that take a range vector (rate, *_over_time, ...), over ev.history(): at the
// evaluation time, or at each of `steps` (each output series with its points at those steps).
IVector range_function(Evaluator& ev, const Call& c, const Expr& e);
std::vector<RangeSeries> range_function_steps(Evaluator& ev, const Call& c, const Expr& e,
                                              const Steps& steps);
// createLabelsForAbsentFunction: the equality matchers of a selector argument.
LabelSet absent_labels(const Expr& arg);
const Expr& unwrap_parens(const Expr& e);
// The public form of an evaluation result, in the order the evaluation produced (Prometheus's
// order: an instant query's result is never sorted afterwards).
Value to_value(EvalValue value);
EvalValue call_function(Evaluator& ev, const Call& c, const Expr& e);
IVector histogram_quantile(double q, const IVector& in);
// quantile's value of `values` (sorted in place), as aggregations and quantile_over_time
// compute it.
double quantile_of(double q, std::vector<ISample>& values);

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
