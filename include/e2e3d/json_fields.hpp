#pragma once
// Reading JSON that came from outside (an API's answer, a file_sd file) without trusting its
// shape. nlohmann's own accessors are not fit for that: operator[] on a const value without
// the key is undefined behaviour, and .at()/.get<T>() throw exceptions whose text is nlohmann's
// ("[json.exception.type_error.302] ..."), not a message for a user. Every reader of untrusted
// JSON goes through these: a missing member or a value of the wrong type is simply absent, and
// the reader says what it expected in its own words.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "e2e3d/error.hpp"

namespace e2e3d::json_fields {

using Json = nlohmann::json;

// Nesting and size limits of parse_untrusted: no API answer or file_sd file needs more, and a
// value tree costs several times its text (90 MB of JSON became 3 GB once).
inline constexpr std::size_t kMaxDepth = 64;
inline constexpr std::size_t kMaxValues = 2'000'000;

// Parses `text`, or throws Error(kind) with a one-line message starting with `what` ("the
// answer of http://prometheus:9090/api/v1/query") that says why (not JSON at line:column,
// nested deeper than kMaxDepth, more than kMaxValues values).
Json parse_untrusted(std::string_view text, std::string_view what, ErrorKind kind);

// The member `name` of `value` when `value` is an object that has it; nullptr otherwise.
inline const Json* member(const Json& value, std::string_view name) {
  if (!value.is_object()) return nullptr;
  auto it = value.find(name);
  return it == value.end() ? nullptr : &*it;
}

// Element `index` of `value` when it is an array that long; nullptr otherwise.
inline const Json* element(const Json& value, std::size_t index) {
  if (!value.is_array() || index >= value.size()) return nullptr;
  return &value[index];
}

// The member as a string / number / object / array, when it is one.
inline std::optional<std::string> string_member(const Json& value, std::string_view name) {
  const Json* m = member(value, name);
  if (!m || !m->is_string()) return std::nullopt;
  return m->get<std::string>();
}
inline std::optional<double> number_member(const Json& value, std::string_view name) {
  const Json* m = member(value, name);
  if (!m || !m->is_number()) return std::nullopt;
  return m->get<double>();
}
inline const Json* object_member(const Json& value, std::string_view name) {
  const Json* m = member(value, name);
  return m && m->is_object() ? m : nullptr;
}
inline const Json* array_member(const Json& value, std::string_view name) {
  const Json* m = member(value, name);
  return m && m->is_array() ? m : nullptr;
}

// `value` itself as a string, when it is one.
inline std::optional<std::string> as_string(const Json* value) {
  if (!value || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

}  // namespace e2e3d::json_fields
