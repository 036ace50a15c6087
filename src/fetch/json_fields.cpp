// Parsing untrusted JSON within limits, with messages of our own.

#include "e2e3d/json_fields.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fetch/safe_text.hpp"

namespace e2e3d::json_fields {
namespace {

// Thrown from the parser's callback to stop it at once; never leaves this file.
struct LimitReached {
  std::string why;
};

// 1-based line and column of byte `offset` of `text`.
Position position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  auto before = text.substr(0, offset);
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  return {static_cast<uint32_t>(1 + std::count(before.begin(), before.end(), '\n')),
          static_cast<uint32_t>(offset - line_start + 1)};
}

}  // namespace

Json parse_untrusted(std::string_view text, std::string_view what, ErrorKind kind) {
  std::size_t values = 0;
  Json::parser_callback_t limits = [&values](int depth, Json::parse_event_t event, Json&) {
    if (static_cast<std::size_t>(depth) > kMaxDepth) {
      throw LimitReached{fmt::format("it is nested more than {} levels deep", kMaxDepth)};
    }
    if (event == Json::parse_event_t::value || event == Json::parse_event_t::object_start ||
        event == Json::parse_event_t::array_start) {
      if (++values > kMaxValues) {
        throw LimitReached{fmt::format("it holds more than {} values", kMaxValues)};
      }
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), limits);
  } catch (const LimitReached& limit) {
    throw Error(kind, fmt::format("{} is refused: {}", what, limit.why));
  } catch (const Json::parse_error& e) {
    // nlohmann's explanation, without its own place (given as line:column here) and without
    // its "last read: '...'", which may quote any amount of the text.
    std::string why = e.what();
    if (auto colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
    if (auto quote = why.find("; last read:"); quote != std::string::npos) why.resize(quote);
    std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    Position where = position_of(text, offset);
    std::string_view near = text.substr(std::min(offset, text.size()), 24);
    throw Error(
        kind, fmt::format("{} is not JSON: at line {}, column {}: {} (near '{}')", what, where.line,
                          where.column, fetch_detail::one_line(why, 120), e2e3d::one_line(near)));
  }
}

}  // namespace e2e3d::json_fields
