#pragma once
// The one error type the core library throws. The CLI layer turns it into a single line on
// stderr and an exit code; the core never prints and never exits.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace e2e3d {

// What failed, so the CLI can pick the exit code and callers can react without parsing text.
enum class ErrorKind {
  fetch,   // the target could not be fetched (network, HTTP status, size limit)
  parse,   // an exposition, expression or file did not parse
  eval,    // an expression parsed but cannot be evaluated on this input
  config,  // a configuration, Compose or rule file is unusable
  io,      // a local file could not be read
};

// A 1-based place in some text. Zero means "not known".
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
};

// A message quotes what the user gave (a label value, a YAML key, a regexp), and that may hold
// any byte. Control characters are written as escapes here, once for every error, so no
// message can break the one-line contract or send escape sequences to a terminal.
inline std::string one_line(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// Messages are complete sentences for a user: what failed, where, why, and the fix.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(one_line(message)), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// A parse error carries its position separately as well as in the message, so tests and
// renderers (JSON, JUnit) can use it without re-parsing the text.
class ParseError : public Error {
 public:
  ParseError(Position position, const std::string& message)
      : Error(ErrorKind::parse, message), position_(position) {}
  Position position() const noexcept { return position_; }

 private:
  Position position_;
};

}  // namespace e2e3d
