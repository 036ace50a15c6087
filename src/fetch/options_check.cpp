// Fetch options checked before any connection, and the bearer token read within bounds.

#include "fetch/options_check.hpp"

#include <fmt/format.h>

#include <cctype>

#include "e2e3d/sys/bounded_file.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d::fetch_detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// The first control character of `text` (other than the tab), as "byte N (0xHH)".
std::optional<std::string> control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return fmt::format("byte {} (0x{:02x})", i + 1, u);
  }
  return std::nullopt;
}

void check_length(std::string_view what, std::size_t size) {
  if (size > kMaxHeaderBytes) {
    throw FetchError(FetchFailure::bad_option,
                     fmt::format("{} is {} bytes long; at most {} are sent (servers refuse "
                                 "headers far shorter)",
                                 what, size, kMaxHeaderBytes));
  }
}

}  // namespace

void check_options(const FetchOptions& options) {
  if (!(options.timeout_seconds > 0)) {
    throw FetchError(
        FetchFailure::bad_option,
        fmt::format("--timeout must be more than 0 seconds, not {}", options.timeout_seconds));
  }
  if (!(options.connect_timeout_seconds > 0)) {
    throw FetchError(FetchFailure::bad_option,
                     fmt::format("--connect-timeout must be more than 0 seconds, not {}",
                                 options.connect_timeout_seconds));
  }
  if (options.max_redirects < 0) {
    throw FetchError(FetchFailure::bad_option, "the redirect limit must not be negative");
  }
  if (options.user && options.bearer_token_file) {
    throw FetchError(FetchFailure::bad_option,
                     "--user and --bearer-token-file are both given: use one of them");
  }
  if (options.user) check_length("the value of --user", options.user->size());
  for (std::size_t i = 0; i < options.headers.size(); ++i) {
    const std::string& h = options.headers[i];
    std::size_t colon = h.find(':');
    // The value is never quoted: it may be a secret.
    if (colon == 0 || colon == std::string::npos) {
      throw FetchError(FetchFailure::bad_option,
                       fmt::format("header #{} given with -H is not 'Name: value'", i + 1));
    }
    check_length(fmt::format("header #{} given with -H ({})", i + 1,
                             one_line(h.substr(0, std::min<std::size_t>(colon, 60)), 60)),
                 h.size());
    if (h.find_first_of("\r\n") != std::string::npos) {
      throw FetchError(FetchFailure::bad_option,
                       fmt::format("header #{} given with -H ({}) contains a line break", i + 1,
                                   one_line(h.substr(0, colon), 60)));
    }
  }
  if (options.cacert) {
    // libcurl reads it later, to its end: /dev/zero would never end.
    try {
      sys::BoundedFile check(*options.cacert,
                             {"the CA file given with --cacert", sys::kMaxConfigBytes});
    } catch (const Error& e) {
      throw FetchError(FetchFailure::file, e.what());
    }
  }
}

std::string read_token_file(const std::string& path) {
  std::string text;
  try {
    text = sys::read_bounded_file(path, {"the bearer token file", kMaxHeaderBytes});
  } catch (const Error& e) {
    throw FetchError(FetchFailure::file,
                     fmt::format("{}. Check the path given with --bearer-token-file", e.what()));
  }
  std::string_view token = trim(text);
  if (token.empty()) {
    throw FetchError(
        FetchFailure::bad_option,
        fmt::format("the bearer token file {} is empty: put the token in it", one_line(path)));
  }
  if (token.find_first_of("\r\n") != std::string_view::npos) {
    throw FetchError(FetchFailure::bad_option,
                     fmt::format("the bearer token file {} holds more than one line: put only the "
                                 "token in it",
                                 one_line(path)));
  }
  if (auto where = control_character(token)) {
    throw FetchError(FetchFailure::bad_option,
                     fmt::format("the bearer token file {} holds a control character at {}: a "
                                 "token is printable text (is it the right file?)",
                                 one_line(path), *where));
  }
  return std::string(token);
}

}  // namespace e2e3d::fetch_detail
