#pragma once
// Instant PromQL queries on one scrape, with Prometheus 2.42's semantics: the scrape is treated
// as taken at the evaluation time, so every series has exactly one sample and nothing that
// needs history (range vectors, subqueries, offset, @) can be evaluated.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::promql {

// Label pairs sorted by name; the metric name, when kept, is the `__name__` label.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels metric;
  double value = 0;
};
using Vector = std::vector<Sample>;
struct Scalar {
  double value = 0;
};
struct String {
  std::string value;
};
// One sample of a series over time (recorded scrapes, see series_store.hpp).
struct Point {
  int64_t t_ms = 0;
  double value = 0;
};
struct SeriesPoints {
  Labels metric;
  std::vector<Point> points;
};
// A range vector: only expressions evaluated over recorded scrapes produce one.
using Matrix = std::vector<SeriesPoints>;
using Value = std::variant<Vector, Scalar, String, Matrix>;

int64_t now_ms();

struct EvalOptions {
  int64_t time_ms = now_ms();  // evaluation timestamp (milliseconds since the epoch)
};

// Throws ParseError ("1:14: parse error: ...", exactly Prometheus's text) or
// Error(ErrorKind::eval) with Prometheus's execution error text, or, for expressions that need
// history, a message that says so and what to use instead.
// Vector results come in Prometheus's order: selectors in label-set order, aggregations in the
// order their groups first appear, binary operators in the order of their left-hand side, and
// so on; like Prometheus's instant queries, nothing sorts the result afterwards.
Value evaluate(const Scrape& scrape, std::string_view expr, const EvalOptions& options = {});

// Exactly the body of Prometheus's /api/v1/query answer for `value`, evaluated at `eval_time_ms`
// (a matrix's points carry their own timestamps).
std::string to_api_json(const Value& value, int64_t eval_time_ms);
// Prometheus's error body: parse errors are "bad_data" (prefixed like Prometheus's
// `invalid parameter "query": `), evaluation errors are "execution".
std::string error_json(const Error& error);
// A sample value as Prometheus's API writes it: "NaN", "+Inf", "-0", shortest round-trip decimal.
std::string format_value(double value);
// `name{a="b", c="d"}` as Prometheus prints label sets (the name outside the braces).
std::string format_series(const Labels& metric);
// The value of `__name__`, empty when there is none.
std::string_view metric_name(const Labels& metric);

// Metric names the expression's selectors select by name (`foo`, `{__name__="foo"}`), in order
// of appearance, without duplicates. Throws ParseError.
std::vector<std::string> selector_names(std::string_view expr);

}  // namespace e2e3d::promql
