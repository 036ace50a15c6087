// Removing credentials from URLs before they reach any message or trace line.

#include <cctype>
#include <string>
#include <string_view>

#include "e2e3d/fetch.hpp"
#include "e2e3d/sys/secrets.hpp"

namespace e2e3d {
namespace {

// Length of the authority (host part) starting at `from`: it ends at the path, query or
// fragment, or, inside free text, at whitespace or a quote.
std::size_t authority_length(std::string_view text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size()) {
    char c = text[end];
    if (c == '/' || c == '?' || c == '#' || c == '\'' || c == '"' || c == '<' || c == '>' ||
        std::isspace(static_cast<unsigned char>(c))) {
      break;
    }
    ++end;
  }
  return end - from;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t length = authority_length(url, authority_start);
  std::string_view authority = url.substr(authority_start, length);

  std::string out(url.substr(0, authority_start));
  std::size_t at = authority.rfind('@');
  out.append(at == std::string_view::npos ? authority : authority.substr(at + 1));

  // Secret query parameters (?token=..., &api_key=...) are masked too: a user may well paste
  // such a URL.
  out.append(sys::mask_secret_parameters(url.substr(authority_start + length)));
  return out;
}

std::string redact_urls_in(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t scheme_end = text.find("://", pos);
    if (scheme_end == std::string_view::npos) break;
    std::size_t authority_start = scheme_end + 3;
    std::size_t length = authority_length(text, authority_start);
    std::string_view authority = text.substr(authority_start, length);
    out.append(text.substr(pos, authority_start - pos));
    std::size_t at = authority.rfind('@');
    out.append(at == std::string_view::npos ? authority : authority.substr(at + 1));
    pos = authority_start + length;
  }
  out.append(text.substr(pos));
  return sys::mask_secret_parameters(out);
}

}  // namespace e2e3d
