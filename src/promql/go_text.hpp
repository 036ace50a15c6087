#pragma once
// The few pieces of Go's fmt/strconv behaviour that Prometheus's messages and API output depend
// on, reimplemented so our text is byte-for-byte what Prometheus prints.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace e2e3d::promql {

// One UTF-8 rune and its width; invalid bytes decode as U+FFFD with width 1 (like Go).
std::pair<char32_t, std::size_t> decode_rune(std::string_view text);
std::size_t rune_count(std::string_view text);
std::string_view truncate_runes(std::string_view text, std::size_t runes);
void append_utf8(std::string& out, char32_t rune);

std::string go_quote(std::string_view text);  // strconv.Quote / %q of a string
std::string go_quote_rune(char32_t rune);     // %q of a rune: 'x'
std::string go_sharp_u(char32_t rune);        // %#U: U+0071 'q'

// strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent.
std::string format_float_f(double v);
// strconv.FormatFloat(v, 'e', -1, 64): 1.5e+21, 1e-07.
std::string format_float_e(double v);
// strconv.FormatFloat(v, 'g', -1, 64), which is also what %v prints.
std::string format_float_g(double v);

// strconv.ParseFloat(s, 64) for the forms PromQL and `le` labels use: decimal, exponent, hex
// integers/floats, Inf/Infinity/NaN with optional sign. nullopt for invalid syntax.
std::optional<double> parse_go_float(std::string_view text);

}  // namespace e2e3d::promql
