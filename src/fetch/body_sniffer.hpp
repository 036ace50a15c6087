#pragma once
// A look at the first bytes of a body, to tell a user "this is an HTML page" rather than
// "line 1, column 1: unexpected character '<'" when --url points at the wrong thing.

#include <optional>
#include <string_view>

namespace e2e3d::fetch_detail {

class BodySniffer {
 public:
  // Call with each chunk in order. Returns what the body looks like ("an HTML page", "JSON",
  // "binary data", "gzip-compressed data") when it is certainly not an exposition; nullopt
  // while it may be one. Decides on the first non-blank byte, then stays quiet.
  std::optional<std::string_view> look(std::string_view chunk);

 private:
  bool decided_ = false;
  std::size_t bom_bytes_seen_ = 0;
};

// What to do about a body that looks like `what`: one sentence for the error message.
std::string_view advice_for(std::string_view what);
// The same for a file given with --file.
std::string_view advice_for_file(std::string_view what);

}  // namespace e2e3d::fetch_detail
