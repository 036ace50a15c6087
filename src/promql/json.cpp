// Prometheus's /api/v1/query bodies, byte for byte: key order as Prometheus's structs declare
// them, label maps sorted by name, Go's JSON string escaping (HTML characters as \u003c etc.),
// values as strconv.FormatFloat(v, 'f', -1, 64) in strings.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "e2e3d/error.hpp"
#include "e2e3d/promql/engine.hpp"
#include "promql/go_text.hpp"

namespace e2e3d::promql {
namespace {

// encoding/json's string encoder with HTML escaping on (what jsoniter's standard config does).
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        out += static_cast<char>(c);
      } else if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
      ++i;
      continue;
    }
    auto [r, w] = decode_rune(s.substr(i));
    if (r == 0xFFFD && w == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(r));
    } else {
      out.append(s.substr(i, w));
    }
    i += w;
  }
  out += '"';
}

// jsonutil.MarshalTimestamp: whole seconds, then the milliseconds as three digits when there
// are any (1700003600.250, 1700003600, -1.500).
void append_timestamp(std::string& out, int64_t t_ms) {
  uint64_t magnitude = static_cast<uint64_t>(t_ms);
  if (t_ms < 0) {
    out += '-';
    magnitude = 0 - magnitude;
  }
  out += fmt::format("{}", magnitude / 1000);
  if (magnitude % 1000 != 0) out += fmt::format(".{:03}", magnitude % 1000);
}

// A vector's or a matrix's point, as marshalPointJSON writes it: the exponent form for very
// small and very large magnitudes.
void append_point(std::string& out, int64_t t_ms, double v) {
  out += '[';
  append_timestamp(out, t_ms);
  out += ',';
  append_json_string(out, format_value(v));
  out += ']';
}

// Scalars and strings marshal through encoding/json: the time as float64(T)/1000 in Go's
// shortest form (1700003600.25), a scalar's value with FormatFloat(v, 'f', -1, 64).
std::string go_json_seconds(int64_t t_ms) {
  return format_float_f(static_cast<double>(t_ms) / 1000);
}

void append_labels(std::string& out, const Labels& labels) {
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  out += '{';
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    if (k > 0) out += ',';
    append_json_string(out, sorted[k].first);
    out += ':';
    append_json_string(out, sorted[k].second);
  }
  out += '}';
}

}  // namespace

std::string format_value(double v) {
  double a = std::fabs(v);
  if (a != 0 && !std::isnan(a) && !std::isinf(a) && (a < 1e-6 || a >= 1e21)) {
    return format_float_e(v);
  }
  return format_float_f(v);
}

std::string_view metric_name(const Labels& metric) {
  for (const auto& [name, value] : metric) {
    if (name == "__name__") return value;
  }
  return {};
}

std::string format_series(const Labels& metric) {
  std::string name;
  std::string out;
  bool first = true;
  for (const auto& [n, v] : metric) {
    if (n == "__name__") {
      name = v;
      continue;
    }
    out += first ? "" : ", ";
    first = false;
    out += one_line(n);  // a name from a remote server may hold anything
    out += '=';
    out += go_quote(v);
  }
  name = one_line(name);
  if (!name.empty() && first) return name;
  return name + "{" + out + "}";
}

std::string to_api_json(const Value& value, int64_t t_ms) {
  std::string out = R"({"status":"success","data":{"resultType":)";
  if (const auto* s = std::get_if<Scalar>(&value)) {
    out += R"("scalar","result":[)";
    out += go_json_seconds(t_ms);
    out += ',';
    append_json_string(out, format_float_f(s->value));
    out += ']';
  } else if (const auto* str = std::get_if<String>(&value)) {
    out += R"("string","result":[)";
    out += go_json_seconds(t_ms);
    out += ',';
    append_json_string(out, str->value);
    out += ']';
  } else if (const auto* matrix = std::get_if<Matrix>(&value)) {
    out += R"("matrix","result":[)";
    for (std::size_t i = 0; i < matrix->size(); ++i) {
      if (i > 0) out += ',';
      out += R"({"metric":)";
      append_labels(out, (*matrix)[i].metric);
      out += R"(,"values":[)";
      const auto& points = (*matrix)[i].points;
      for (std::size_t k = 0; k < points.size(); ++k) {
        if (k > 0) out += ',';
        append_point(out, points[k].t_ms, points[k].value);
      }
      out += "]}";
    }
    out += ']';
  } else {
    out += R"("vector","result":[)";
    const auto& vec = std::get<Vector>(value);
    for (std::size_t i = 0; i < vec.size(); ++i) {
      if (i > 0) out += ',';
      out += R"({"metric":)";
      append_labels(out, vec[i].metric);
      out += R"(,"value":)";
      append_point(out, t_ms, vec[i].value);
      out += '}';
    }
    out += ']';
  }
  out += "}}";
  return out;
}

std::string error_json(const Error& error) {
  std::string out = R"({"status":"error","errorType":)";
  if (error.kind() == ErrorKind::parse) {
    out += R"("bad_data","error":)";
    append_json_string(out, std::string("invalid parameter \"query\": ") + error.what());
  } else {
    out += R"("execution","error":)";
    append_json_string(out, error.what());
  }
  out += '}';
  return out;
}

}  // namespace e2e3d::promql
