#pragma once
// Text from files and processes goes into messages: control characters (an escape sequence in
// a service name, a NUL in a YAML error) must not reach a terminal, a JSON consumer or a
// one-line summary, so they are written as \xNN.

#include <string>
#include <string_view>

namespace e2e3d::doctor {

// `text` with control characters escaped; line breaks kept only when `keep_newlines`.
inline std::string printable(std::string_view text, bool keep_newlines) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace e2e3d::doctor
