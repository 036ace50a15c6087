#include "exposition/lexed_lines.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "e2e3d/scrape.hpp"
#include "exposition/syntax.hpp"

namespace e2e3d::detail {

namespace {

// Past this many labels a sample goes the parser's way, which checks large sets by sorting.
constexpr uint32_t kMaxLexedLabels = 32;

// The first byte from `p` that is a quote, a backslash, a NUL or not ASCII, or `end`. A label
// value is nearly always plain ASCII up to its closing quote, and then this one pass stands for
// three (find the quote, look for escapes, check UTF-8). SSE2 is part of x86-64.
const char* plain_ascii_end(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i stops =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                     _mm_cmpeq_epi8(bytes, zero));
    // The byte mask of `bytes` itself is their top bits: the non-ASCII ones.
    const int mask = _mm_movemask_epi8(stops) | _mm_movemask_epi8(bytes);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c == 0 || c >= 0x80) return p;
  }
  return end;
}

// The first byte from `p` that cannot be in a metric name ([a-zA-Z0-9_:]), or `end`. Sample
// names are long (e2e3d_job_duration_seconds_created: 34 bytes), so 16 bytes per step.
const char* metric_name_end(const char* p, const char* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // OR 0x20 folds A-Z onto a-z and moves no other byte into a-z. Bytes from 0x80 compare
    // as negative, below every bound.
    const __m128i folded = _mm_or_si128(bytes, _mm_set1_epi8(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(bytes, _mm_set1_epi8('9' + 1)));
    const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('_')),
                                       _mm_cmpeq_epi8(bytes, _mm_set1_epi8(':')));
    const __m128i name = _mm_or_si128(_mm_or_si128(letter, digit), other);
    const auto stops = static_cast<unsigned>(~_mm_movemask_epi8(name)) & 0xffffu;
    if (stops != 0) return p + __builtin_ctz(stops);
    p += 16;
  }
#endif
  while (p < end && is_metric_name_char(*p))
    ++p;
  return p;
}

// Lexes one line as a text-format sample into `line` and `labels`; false when the line has any
// other shape (then `labels` may hold entries past the line's, which the caller drops).
bool lex_sample(const char* p, const char* end, LexedLine& line, std::vector<LexedLabel>& labels) {
  const char* const begin = p;
  if (p == end || !is_metric_name_start(*p) || end[-1] == '\r') return false;
  p = metric_name_end(p + 1, end);
  line.name_size = static_cast<uint32_t>(p - begin);
  line.first_label = static_cast<uint32_t>(labels.size());
  line.label_count = 0;
  if (p < end && *p == '{') {
    ++p;
    if (p < end && *p == '}') {
      ++p;
    } else {
      for (;;) {
        const char* name_at = p;
        if (p == end || !is_label_name_start(*p)) return false;
        ++p;
        while (p < end && is_label_name_char(*p))
          ++p;
        const std::string_view name(name_at, p - name_at);
        if (p + 1 >= end || p[0] != '=' || p[1] != '"') return false;
        p += 2;
        const char* quote = plain_ascii_end(p, end);
        if (quote == end) return false;
        if (*quote != '"') {
          // An escape, a NUL or UTF-8 in the value: the checks one by one.
          quote = static_cast<const char*>(std::memchr(p, '"', end - p));
          if (quote == nullptr || std::memchr(p, '\\', quote - p) != nullptr) return false;
          if (find_invalid_utf8(std::string_view(p, quote - p)) != std::string_view::npos) {
            return false;
          }
        }
        const std::string_view value(p, quote - p);
        if (name == "__name__" || line.label_count == kMaxLexedLabels) return false;
        labels.push_back(
            LexedLabel{static_cast<uint32_t>(name_at - begin), static_cast<uint32_t>(name.size()),
                       static_cast<uint32_t>(p - begin), static_cast<uint32_t>(value.size()),
                       Scrape::Builder::hash(value)});
        ++line.label_count;
        p = quote + 1;
        if (p < end && *p == '}') {
          ++p;
          break;
        }
        // A comma must be followed by another label here: a trailing comma goes the long way.
        if (p == end || *p != ',') return false;
        ++p;
      }
    }
  }
  if (p == end || *p != ' ') return false;
  ++p;
  const char* value_at = p;
  while (p < end && *p != ' ' && *p != '\t' && *p != '{')
    ++p;
  const auto value = parse_go_float(std::string_view(value_at, p - value_at));
  if (!value) return false;
  line.value = *value;
  line.timestamp_ms = Series::kNoTimestamp;
  if (p == end) return true;
  if (*p != ' ') return false;
  ++p;
  const char* timestamp_at = p;
  while (p < end && *p != ' ' && *p != '\t')
    ++p;
  if (p != end) return false;
  const auto timestamp = parse_decimal_int64(std::string_view(timestamp_at, p - timestamp_at));
  if (!timestamp) return false;
  line.timestamp_ms = *timestamp;
  return true;
}

}  // namespace

void lex_lines(const char* begin, const char* end, LexedChunk& out) {
  out.lines.clear();
  out.labels.clear();
  const char* p = begin;
  while (p < end) {
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
    if (newline == nullptr) newline = end;  // not expected: the caller passes whole lines
    // Lexed in place: a LexedLine built on the stack and copied in stalled on store
    // forwarding (its fields written one by one, then read back 16 bytes at a time).
    LexedLine& line = out.lines.emplace_back();
    line.begin = p;
    line.size = static_cast<std::size_t>(newline - p);
    if (line.size <= 0xffffffffu) {
      const std::size_t labels_before = out.labels.size();
      if (!lex_sample(p, newline, line, out.labels)) {
        line.name_size = LexedLine::kNotLexed;
        out.labels.resize(labels_before);
      }
    }
    p = newline + 1;
  }
}

}  // namespace e2e3d::detail
