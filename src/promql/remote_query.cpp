// Reading a /api/v1/query answer's data into a Value, with checked access only: the server
// may be anything that answers JSON.

#include <fmt/format.h>

#include <algorithm>

#include "e2e3d/promql/remote.hpp"
#include "promql/go_text.hpp"

namespace e2e3d::promql {
namespace {

using json_fields::Json;

Error malformed(std::string_view why) {
  return Error(ErrorKind::fetch,
               fmt::format("the server's answer is not a Prometheus query result: {}", why));
}

// [<unix seconds>, "<value>"]: the value as Prometheus formats it ("NaN", "+Inf", "1.5").
std::pair<double, std::string> sample_pair(const Json* pair, std::string_view where) {
  const Json* time = pair ? json_fields::element(*pair, 0) : nullptr;
  auto text = json_fields::as_string(pair ? json_fields::element(*pair, 1) : nullptr);
  if (!time || !time->is_number() || !text || pair->size() != 2) {
    throw malformed(fmt::format("{} is not [<time>, \"<value>\"]", where));
  }
  return {time->get<double>(), std::move(*text)};
}

double sample_value(const std::string& text) {
  auto v = parse_go_float(text);
  if (!v) throw malformed(fmt::format("'{}' is not a number", one_line(text.substr(0, 40))));
  return *v;
}

}  // namespace

RemoteValue decode_query_data(const Json& data) {
  auto type = json_fields::string_member(data, "resultType");
  const Json* result = json_fields::member(data, "result");
  if (!type || !result) throw malformed("data has no resultType and result");
  RemoteValue out;
  if (*type == "scalar") {
    auto [time, text] = sample_pair(result, "the scalar result");
    out.time_seconds = time;
    out.value = Scalar{sample_value(text)};
  } else if (*type == "string") {
    auto [time, text] = sample_pair(result, "the string result");
    out.time_seconds = time;
    out.value = String{std::move(text)};
  } else if (*type == "vector") {
    if (!result->is_array()) throw malformed("the vector result is not a list");
    Vector v;
    v.reserve(result->size());
    for (const Json& item : *result) {
      const Json* metric = json_fields::object_member(item, "metric");
      if (!metric) throw malformed("a sample of the vector has no metric");
      Sample s;
      for (const auto& [name, value] : metric->items()) {
        auto text = json_fields::as_string(&value);
        if (!text) throw malformed(fmt::format("label {} is not a string", one_line(name)));
        s.metric.emplace_back(name, std::move(*text));
      }
      std::sort(s.metric.begin(), s.metric.end());
      auto [time, text] = sample_pair(json_fields::member(item, "value"), "a sample's value");
      out.time_seconds = time;
      s.value = sample_value(text);
      v.push_back(std::move(s));
    }
    out.value = std::move(v);
  } else {
    throw Error(ErrorKind::eval,
                fmt::format("the server answered with a {} result; only instant queries (vector, "
                            "scalar, string) are rendered",
                            one_line(type->substr(0, 40))));
  }
  return out;
}

}  // namespace e2e3d::promql
