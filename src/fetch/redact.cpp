// Removing credentials from URLs before they reach any message or trace line.

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "e2e3d/fetch.hpp"

namespace e2e3d {
namespace {

constexpr std::string_view kMask = "xxxxx";

bool contains_ci(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

// Query parameters that commonly carry secrets (`?token=...`, `?api_key=...`): their values are
// masked too, since a user may well paste such a URL.
bool secret_parameter(std::string_view key) {
  static constexpr std::array<std::string_view, 7> kWords{"token", "passw",      "secret", "key",
                                                          "auth",  "credential", "sig"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return contains_ci(key, word); });
}

std::string redact_query(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && secret_parameter(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append(kMask);
    } else {
      out.append(pair);
    }
    if (end == query.size()) break;
    out.push_back('&');
    start = end + 1;
  }
  return out;
}

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

  std::string_view rest = url.substr(authority_start + length);
  std::size_t fragment = rest.find('#');
  std::string_view before_fragment = rest.substr(0, fragment);
  std::size_t question = before_fragment.find('?');
  if (question == std::string_view::npos) {
    out.append(before_fragment);
  } else {
    out.append(before_fragment.substr(0, question + 1));
    out.append(redact_query(before_fragment.substr(question + 1)));
  }
  if (fragment != std::string_view::npos) out.append(rest.substr(fragment));
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
  return out;
}

}  // namespace e2e3d
