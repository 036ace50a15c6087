#pragma once
// The one error type the core library throws. The CLI layer turns it into a single line on
// stderr and an exit code; the core never prints and never exits.

#include <cstdint>
#include <stdexcept>
#include <string>

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

// Messages are complete sentences for a user: what failed, where, why, and the fix.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
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
