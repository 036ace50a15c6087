// Label sets and quoted strings, shared by both formats. OpenMetrics is strict (no blanks); the
// text format takes blanks between tokens.

#include <cstring>

#include <fmt/format.h>

#include "exposition/parser_impl.hpp"
#include "exposition/syntax.hpp"

namespace e2e3d {

namespace {

const char* skip_blanks(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    ++p;
  return p;
}

constexpr std::size_t kCachedLabelPositions = 64;

}  // namespace

const char* ExpositionParser::Impl::parse_labels(const char* p, const char* end, bool openmetrics,
                                                 bool intern) {
  bool first = true;
  for (;;) {
    if (!openmetrics) p = skip_blanks(p, end);
    // A trailing comma is allowed in both formats, as Prometheus allows it.
    if (p < end && *p == '}') return p + 1;
    const char* name_at = p;
    if (p < end && detail::is_label_name_start(*p)) {
      ++p;
      while (p < end && detail::is_label_name_char(*p))
        ++p;
    }
    if (p == name_at) {
      fail(p, first ? "expected a label name or \"}\"" : "expected a label name after \",\"");
    }
    const std::string_view name(name_at, p - name_at);
    if (!openmetrics) p = skip_blanks(p, end);
    if (p == end || *p != '=')
      fail(p, fmt::format("expected \"=\" after the label name \"{}\"", name));
    ++p;
    if (!openmetrics) p = skip_blanks(p, end);
    if (p == end || *p != '"') {
      fail(p, fmt::format("expected a quoted label value after \"{}=\"", name));
    }
    std::string_view value;
    p = parse_quoted(p + 1, end, value);
    if (intern) add_label(name_at, name, value, std::nullopt);
    first = false;
    if (!openmetrics) p = skip_blanks(p, end);
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    if (p < end && *p == '}') return p + 1;
    fail(p, "expected \",\" or \"}\" after a label value");
  }
}

void ExpositionParser::Impl::add_label(const char* name_at, std::string_view name,
                                       std::string_view value, std::optional<uint32_t> value_hash) {
  if (name == "__name__") {
    fail(name_at, "the label name \"__name__\" is reserved for the metric name");
  }
  if (labels.size() >= Scrape::Builder::kMaxLabels) {
    fail(name_at,
         fmt::format("too many labels: a series may have at most {}", Scrape::Builder::kMaxLabels));
  }
  // Consecutive series usually carry the same label names in the same order.
  const std::size_t position = labels.size();
  Symbol name_symbol;
  if (position < label_name_cache.size() && label_name_cache[position].text == name) {
    name_symbol = label_name_cache[position].symbol;
  } else {
    name_symbol = builder.intern(name);
    if (position < kCachedLabelPositions) {
      if (position >= label_name_cache.size()) label_name_cache.resize(position + 1);
      label_name_cache[position].text.assign(name);
      label_name_cache[position].symbol = name_symbol;
    }
  }
  // A repeated value, or the one interned right after the previous one, is found at once;
  // anything else waits for the end of the line, its slot prefetched.
  Symbol value_symbol = kNone;
  Symbol* last = nullptr;
  if (position < label_name_cache.size() && label_name_cache[position].symbol == name_symbol) {
    last = &label_name_cache[position].last_value;
    if (*last != kNone) {
      if (const auto hit = builder.match_hint(value, *last)) value_symbol = *hit;
    }
  }
  if (value_symbol == kNone) {
    // Filled in place: a copy of one built here stalls on store forwarding.
    PendingValue& pending = pending_values.emplace_back();
    pending.label = static_cast<uint32_t>(labels.size());
    pending.hash = value_hash ? *value_hash : Scrape::Builder::hash(value);
    pending.data = value.data();
    pending.arena_offset = 0;
    pending.size = static_cast<uint32_t>(value.size());
    if (value.data() == unescaped.data()) {
      pending.data = nullptr;
      pending.arena_offset = pending_arena.size();
      pending_arena.append(value);
    }
    builder.prefetch(pending.hash);
  } else if (last != nullptr) {
    *last = value_symbol;
  }
  labels.push_back(LabelRef{name_symbol, value_symbol});
  label_positions.push_back(name_at);
}

const char* ExpositionParser::Impl::parse_quoted(const char* p, const char* end,
                                                 std::string_view& value) {
  const char* const start = p;
  const auto* quote = static_cast<const char*>(std::memchr(p, '"', end - p));
  const char* plain_end = quote != nullptr ? quote : end;
  const auto* backslash = static_cast<const char*>(std::memchr(p, '\\', plain_end - p));
  const char* close = nullptr;
  if (backslash == nullptr && quote != nullptr) {
    close = quote;
    value = std::string_view(start, close - start);
  } else {
    p = backslash != nullptr ? backslash : plain_end;
    unescaped.assign(start, p);
    while (p < end && *p != '"') {
      if (*p != '\\') {
        unescaped.push_back(*p++);
        continue;
      }
      if (p + 1 == end) break;
      switch (p[1]) {
        case '\\':
          unescaped.push_back('\\');
          break;
        case '"':
          unescaped.push_back('"');
          break;
        case 'n':
          unescaped.push_back('\n');
          break;
        default:
          fail(p, "invalid escape sequence in a label value: only \\\\, \\\" and \\n are allowed");
      }
      p += 2;
    }
    if (p == end) fail(start - 1, "unterminated label value: the closing quote is missing");
    close = p;
    value = unescaped;
  }
  const std::size_t bad = detail::find_invalid_utf8(std::string_view(start, close - start));
  if (bad != std::string_view::npos) {
    fail(start + bad,
         "invalid UTF-8 in a label value: label values must be UTF-8 without NUL bytes");
  }
  return close + 1;
}

void ExpositionParser::Impl::intern_pending_values() {
  for (const PendingValue& pending : pending_values) {
    const char* data =
        pending.data != nullptr ? pending.data : pending_arena.data() + pending.arena_offset;
    const Symbol symbol = builder.intern_hashed(std::string_view(data, pending.size), pending.hash);
    labels[pending.label].value = symbol;
    if (pending.label < label_name_cache.size() &&
        label_name_cache[pending.label].symbol == labels[pending.label].name) {
      label_name_cache[pending.label].last_value = symbol;
    }
  }
  pending_values.clear();
  pending_arena.clear();
}

std::string_view ExpositionParser::Impl::unescape_help(const char* p, const char* end,
                                                       bool openmetrics) {
  const std::size_t bad = detail::find_invalid_utf8(std::string_view(p, end - p));
  if (bad != std::string_view::npos) {
    fail(p + bad, "invalid UTF-8 in a HELP text: it must be UTF-8 without NUL bytes");
  }
  help_text.clear();
  while (p < end) {
    if (*p != '\\') {
      help_text.push_back(*p++);
      continue;
    }
    const char next = p + 1 < end ? p[1] : '\0';
    if (next == '\\') {
      help_text.push_back('\\');
    } else if (next == 'n') {
      help_text.push_back('\n');
    } else if (next == '"' && openmetrics) {
      help_text.push_back('"');
    } else {
      fail(p, openmetrics
                  ? "invalid escape sequence in a HELP text: only \\\\, \\\" and \\n are allowed"
                  : "invalid escape sequence in a HELP text: the text format allows only \\\\ and "
                    "\\n");
    }
    p += 2;
  }
  return help_text;
}

}  // namespace e2e3d
