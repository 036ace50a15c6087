// The evaluator on small hand-written scrapes: every function and aggregation, the operators'
// label handling, and what a single scrape cannot answer. Expected values are worked out by hand
// from Prometheus's documented semantics (the differential test compares with Prometheus itself).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/promql/engine.hpp"

using namespace e2e3d;
using namespace e2e3d::promql;

namespace {

const char* kScrape = R"(# TYPE jobs counter
jobs{status="ok",id="a"} 10
jobs{status="ok",id="b"} 20
jobs{status="failed",id="c"} 4
# TYPE temp gauge
temp{room="x"} -2.5
temp{room="y"} 0.49
temp{room="z"} NaN
# TYPE req_seconds histogram
req_seconds_bucket{le="0.5"} 2
req_seconds_bucket{le="1"} 6
req_seconds_bucket{le="+Inf"} 8
req_seconds_sum 5
req_seconds_count 8
# TYPE when gauge
when 1709210096
)";

const Scrape& scrape() {
  static Scrape s = parse_exposition(kScrape);
  return s;
}

constexpr int64_t kTime = 1700000000123;

Vector vec(const std::string& expr) {
  return std::get<Vector>(evaluate(scrape(), expr, EvalOptions{kTime}));
}
double scalar(const std::string& expr) {
  return std::get<Scalar>(evaluate(scrape(), expr, EvalOptions{kTime})).value;
}
// "labels => value" lines, in result order.
std::string show(const std::string& expr) {
  std::string out;
  for (const auto& s : vec(expr))
    out += format_series(s.metric) + " => " + format_value(s.value) + "\n";
  return out;
}
std::string failure(const std::string& expr) {
  try {
    evaluate(scrape(), expr, EvalOptions{kTime});
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("selectors pick series by name and matchers, sorted by label set") {
  CHECK(show("jobs") ==
        "jobs{id=\"a\", status=\"ok\"} => 10\njobs{id=\"b\", status=\"ok\"} => 20\n"
        "jobs{id=\"c\", status=\"failed\"} => 4\n");
  CHECK(show("jobs{status=~\"fail.*\"}") == "jobs{id=\"c\", status=\"failed\"} => 4\n");
  CHECK(show("{__name__=~\"te.p\", room!=\"x\"}") ==
        "temp{room=\"y\"} => 0.49\ntemp{room=\"z\"} => NaN\n");
  CHECK(show("jobs{missing=\"\"}").size() == show("jobs").size());
  CHECK(vec("nothing_here").empty());
}

TEST_CASE("arithmetic drops the metric name, comparisons keep it unless bool") {
  CHECK(show("jobs{id=\"a\"} * 2") == "{id=\"a\", status=\"ok\"} => 20\n");
  CHECK(show("jobs > 5") ==
        "jobs{id=\"a\", status=\"ok\"} => 10\njobs{id=\"b\", status=\"ok\"} => 20\n");
  CHECK(show("jobs{id=\"c\"} > bool 5") == "{id=\"c\", status=\"failed\"} => 0\n");
  CHECK(show("1 < jobs{id=\"c\"}") == "jobs{id=\"c\", status=\"failed\"} => 4\n");
  CHECK(scalar("2 ^ 3 ^ 2") == 512);
  CHECK(scalar("-2 ^ 2") == -4);
  CHECK(scalar("7 % 4") == 3);
  CHECK(scalar("1 < bool 2") == 1);
}

TEST_CASE("vector matching: on, ignoring, group_left, set operators") {
  // The left-hand side's order: its groups as first met in label-set order (id="a" is "ok").
  CHECK(show("sum by (status) (jobs) / on(status) group_left count by (status) (jobs)") ==
        "{status=\"ok\"} => 15\n{status=\"failed\"} => 4\n");
  CHECK(show("jobs / ignoring(id) group_left sum by (status) (jobs)") ==
        "{id=\"a\", status=\"ok\"} => 0.3333333333333333\n{id=\"b\", status=\"ok\"} => "
        "0.6666666666666666\n{id=\"c\", status=\"failed\"} => 1\n");
  CHECK(vec("jobs and on(status) temp").empty());
  CHECK(vec("jobs or temp").size() == 6);
  CHECK(vec("jobs unless on(status) jobs{id=\"c\"}").size() == 2);
  CHECK(failure("jobs + on(status) jobs") ==
        "found duplicate series for the match group {status=\"ok\"} on the right hand-side of the "
        "operation: [{__name__=\"jobs\", id=\"b\", status=\"ok\"}, {__name__=\"jobs\", id=\"a\", "
        "status=\"ok\"}];many-to-many matching not allowed: matching labels must be unique on one "
        "side");
}

TEST_CASE("aggregations") {
  CHECK(show("sum(jobs)") == "{} => 34\n");
  // Groups in the order Prometheus first meets them in its label-sorted input: id="a" (ok)
  // comes before id="c" (failed).
  CHECK(show("sum by (status) (jobs)") == "{status=\"ok\"} => 30\n{status=\"failed\"} => 4\n");
  CHECK(show("sum without (id) (jobs)") == "{status=\"ok\"} => 30\n{status=\"failed\"} => 4\n");
  // Prometheus's incremental mean over a=10, b=20, c=4 (label order): 10, 15, 15 + 4/3 - 15/3.
  CHECK(show("avg(jobs)") == "{} => 11.333333333333332\n");
  CHECK(show("min(jobs)") == "{} => 4\n");
  CHECK(show("max(temp)") == "{} => 0.49\n");
  CHECK(show("count(temp)") == "{} => 3\n");
  CHECK(show("group by (status) (jobs)") == "{status=\"ok\"} => 1\n{status=\"failed\"} => 1\n");
  CHECK(show("count by (status) (jobs)") == "{status=\"ok\"} => 2\n{status=\"failed\"} => 1\n");
  CHECK(show("jobs{id=\"c\"} or jobs") ==
        "jobs{id=\"c\", status=\"failed\"} => 4\njobs{id=\"a\", status=\"ok\"} => 10\n"
        "jobs{id=\"b\", status=\"ok\"} => 20\n");
  CHECK(show("stdvar(jobs{status=\"ok\"})") == "{} => 25\n");
  CHECK(show("stddev(jobs{status=\"ok\"})") == "{} => 5\n");
  CHECK(show("topk(2, jobs)") ==
        "jobs{id=\"b\", status=\"ok\"} => 20\njobs{id=\"a\", status=\"ok\"} => 10\n");
  CHECK(show("bottomk(1, jobs)") == "jobs{id=\"c\", status=\"failed\"} => 4\n");
  CHECK(show("quantile(0.5, jobs)") == "{} => 10\n");
  CHECK(show("quantile(0.75, jobs)") == "{} => 15\n");
  CHECK(show("count_values(\"value\", jobs)") ==
        "{value=\"10\"} => 1\n{value=\"20\"} => 1\n{value=\"4\"} => 1\n");
  CHECK(failure("count_values(\"1x\", jobs)") == "invalid label name \"1x\"");
  CHECK(failure("topk(NaN, jobs)") == "Scalar value NaN overflows int64");
}

TEST_CASE("math functions drop the name and follow Go's math") {
  CHECK(show("abs(temp{room=\"x\"})") == "{room=\"x\"} => 2.5\n");
  CHECK(show("ceil(temp{room=\"y\"})") == "{room=\"y\"} => 1\n");
  CHECK(show("floor(temp{room=\"x\"})") == "{room=\"x\"} => -3\n");
  CHECK(show("round(temp{room=\"x\"})") == "{room=\"x\"} => -2\n");  // ties round up
  CHECK(show("round(jobs{id=\"a\"}, 3)") == "{id=\"a\", status=\"ok\"} => 9\n");
  CHECK(show("sqrt(jobs{id=\"c\"})") == "{id=\"c\", status=\"failed\"} => 2\n");
  CHECK(show("exp(jobs{id=\"c\"} - 4)") == "{id=\"c\", status=\"failed\"} => 1\n");
  CHECK(show("ln(jobs{id=\"c\"} - 3)") == "{id=\"c\", status=\"failed\"} => 0\n");
  CHECK(show("log2(jobs{id=\"c\"})") == "{id=\"c\", status=\"failed\"} => 2\n");
  CHECK(show("log10(jobs{id=\"a\"})") == "{id=\"a\", status=\"ok\"} => 1\n");
  CHECK(show("sgn(temp)") == "{room=\"x\"} => -1\n{room=\"y\"} => 1\n{room=\"z\"} => NaN\n");
  CHECK(show("clamp(jobs, 5, 15)") ==
        "{id=\"a\", status=\"ok\"} => 10\n{id=\"b\", status=\"ok\"} => 15\n{id=\"c\", "
        "status=\"failed\"} => 5\n");
  CHECK(vec("clamp(jobs, 15, 5)").empty());
  CHECK(show("clamp_max(jobs{id=\"b\"}, 12)") == "{id=\"b\", status=\"ok\"} => 12\n");
  CHECK(show("clamp_min(jobs{id=\"c\"}, 12)") == "{id=\"c\", status=\"failed\"} => 12\n");
  CHECK(show("clamp_min(temp{room=\"z\"}, 0)") == "{room=\"z\"} => NaN\n");
}

TEST_CASE("absent, scalar, vector, sort, time and timestamp") {
  CHECK(vec("absent(jobs)").empty());
  CHECK(show("absent(nope{a=\"b\", c=~\"d\"})") == "{a=\"b\"} => 1\n");
  CHECK(show("absent(sum(nope))") == "{} => 1\n");
  CHECK(scalar("scalar(jobs{id=\"a\"})") == 10);
  CHECK(std::isnan(scalar("scalar(jobs)")));
  CHECK(show("vector(3)") == "{} => 3\n");
  CHECK(show("sort(jobs)") ==
        "jobs{id=\"c\", status=\"failed\"} => 4\njobs{id=\"a\", status=\"ok\"} => "
        "10\njobs{id=\"b\", status=\"ok\"} => 20\n");
  CHECK(show("sort_desc(temp)") ==
        "temp{room=\"y\"} => 0.49\ntemp{room=\"x\"} => -2.5\ntemp{room=\"z\"} => NaN\n");
  CHECK(show("sort(temp)") ==
        "temp{room=\"x\"} => -2.5\ntemp{room=\"y\"} => 0.49\ntemp{room=\"z\"} => NaN\n");
  CHECK(scalar("time()") == 1700000000.123);
  CHECK(show("timestamp(when)") == "{} => 1700000000.123\n");
}

TEST_CASE("date functions read Unix seconds in UTC") {
  // 1709210096 is 2024-02-29 12:34:56 UTC, a Thursday, day 60 of a leap year.
  CHECK(show("year(when)") == "{} => 2024\n");
  CHECK(show("month(when)") == "{} => 2\n");
  CHECK(show("day_of_month(when)") == "{} => 29\n");
  CHECK(show("day_of_week(when)") == "{} => 4\n");
  CHECK(show("day_of_year(when)") == "{} => 60\n");
  CHECK(show("days_in_month(when)") == "{} => 29\n");
  CHECK(show("hour(when)") == "{} => 12\n");
  CHECK(show("minute(when)") == "{} => 34\n");
  // Without an argument: the evaluation time, 2023-11-14 22:13:20 UTC.
  CHECK(show("year()") == "{} => 2023\n");
  CHECK(show("hour()") == "{} => 22\n");
}

TEST_CASE("label_replace and label_join") {
  CHECK(show("label_replace(jobs{id=\"a\"}, \"x\", \"$1-$2\", \"status\", \"(o)(k)\")") ==
        "jobs{id=\"a\", status=\"ok\", x=\"o-k\"} => 10\n");
  CHECK(show("label_replace(jobs{id=\"a\"}, \"x\", \"$1\", \"status\", \"nomatch\")") ==
        "jobs{id=\"a\", status=\"ok\"} => 10\n");
  CHECK(show("label_replace(jobs{id=\"a\"}, \"status\", \"\", \"id\", \".*\")") ==
        "jobs{id=\"a\"} => 10\n");
  CHECK(show("label_join(jobs{id=\"a\"}, \"x\", \"/\", \"status\", \"id\")") ==
        "jobs{id=\"a\", status=\"ok\", x=\"ok/a\"} => 10\n");
  CHECK(failure("label_replace(jobs, \"x\", \"y\", \"id\", \"(\")") ==
        "invalid regular expression in label_replace(): (");
  CHECK(failure("label_replace(jobs, \"1x\", \"y\", \"id\", \".*\")") ==
        "invalid destination label name in label_replace(): 1x");
  CHECK(failure("label_join(jobs, \"x\", \"\", \"a-b\")") ==
        "invalid source label name in label_join(): a-b");
  CHECK(failure("label_replace(jobs{status=\"ok\"}, \"id\", \"\", \"\", \"\")") ==
        "vector cannot contain metrics with the same labelset");
}

TEST_CASE("histogram_quantile over classic buckets and its edge cases") {
  // rank 4 of 8 lies in (0.5, 1] holding observations 3..6: 0.5 + 0.5 * (2/4).
  CHECK(show("histogram_quantile(0.5, req_seconds_bucket)") == "{} => 0.75\n");
  // Above the last finite bucket: its upper bound.
  CHECK(show("histogram_quantile(0.99, req_seconds_bucket)") == "{} => 1\n");
  CHECK(show("histogram_quantile(-1, req_seconds_bucket)") == "{} => -Inf\n");
  CHECK(show("histogram_quantile(2, req_seconds_bucket)") == "{} => +Inf\n");
  CHECK(show("histogram_quantile(0.5, req_seconds_bucket{le!=\"+Inf\"})") == "{} => NaN\n");
  CHECK(vec("histogram_quantile(0.5, req_seconds_sum)").empty());
}

TEST_CASE("what a single scrape cannot answer says so, with the position") {
  for (const char* expr : {"rate(jobs[5m])", "jobs[5m]", "jobs offset 5m", "jobs @ 100",
                           "max_over_time(jobs[1h])", "sum(jobs)[5m:1m]"}) {
    INFO(expr);
    std::string message = failure(expr);
    CHECK(message.find("single scrape") != std::string::npos);
    CHECK(message.find("--prometheus") != std::string::npos);
    CHECK(message.starts_with("1:"));
  }
  try {
    evaluate(scrape(), "rate(jobs[5m])", EvalOptions{kTime});
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::eval);
  }
}

TEST_CASE("API JSON is Prometheus's body, byte for byte") {
  Value v = evaluate(scrape(), "temp{room=\"y\"}", EvalOptions{kTime});
  CHECK(
      to_api_json(v, 1700000000123) ==
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"temp","room":"y"},"value":[1700000000.123,"0.49"]}]}})");
  // jsonutil.MarshalTimestamp pads the milliseconds to three digits.
  CHECK(
      to_api_json(v, 1700003600250) ==
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"temp","room":"y"},"value":[1700003600.250,"0.49"]}]}})");
  CHECK(
      to_api_json(v, -1500) ==
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"temp","room":"y"},"value":[-1.500,"0.49"]}]}})");
  // Scalars and strings go through encoding/json: the shortest float.
  CHECK(to_api_json(Scalar{1}, 1700003600250) ==
        R"({"status":"success","data":{"resultType":"scalar","result":[1700003600.25,"1"]}})");
  CHECK(
      to_api_json(Scalar{1e21}, 1000) ==
      R"({"status":"success","data":{"resultType":"scalar","result":[1,"1000000000000000000000"]}})");
  CHECK(
      to_api_json(String{"<a&b>\n"}, 2500) ==
      R"({"status":"success","data":{"resultType":"string","result":[2.5,"\u003ca\u0026b\u003e\n"]}})");
  CHECK(to_api_json(Vector{}, 3000) ==
        R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  CHECK(format_value(1e21) == "1e+21");
  CHECK(format_value(1e-7) == "1e-07");
  CHECK(format_value(0.000001) == "0.000001");
  CHECK(format_value(-0.0) == "-0");
  CHECK(format_value(INFINITY) == "+Inf");
  CHECK(format_value(-INFINITY) == "-Inf");
  CHECK(format_value(NAN) == "NaN");
  CHECK(format_value(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_value(123456789012345678901.0) == "123456789012345680000");
}

TEST_CASE("error bodies") {
  try {
    evaluate(scrape(), "sum(", EvalOptions{kTime});
    FAIL("parsed");
  } catch (const Error& e) {
    CHECK(
        error_json(e) ==
        R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis"})");
  }
  Error eval(ErrorKind::eval, "vector cannot contain metrics with the same labelset");
  CHECK(
      error_json(eval) ==
      R"({"status":"error","errorType":"execution","error":"vector cannot contain metrics with the same labelset"})");
}

TEST_CASE("selector_names lists the names an expression selects") {
  CHECK(selector_names("sum(a) / count(b{x=\"1\"}) + on() c * a") ==
        std::vector<std::string>{"a", "b", "c"});
  CHECK(selector_names("{__name__=\"d\"} or {__name__=~\"e.*\"}") == std::vector<std::string>{"d"});
  CHECK(selector_names("rate(f[5m])") == std::vector<std::string>{"f"});
}
