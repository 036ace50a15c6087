#include "fetch/safe_text.hpp"

#include <algorithm>
#include <cctype>

#include "e2e3d/fetch.hpp"
#include "e2e3d/sys/secrets.hpp"

namespace e2e3d::fetch_detail {
std::string one_line(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars));
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  auto not_space = [](char c) { return c != ' '; };
  out.erase(out.begin(), std::find_if(out.begin(), out.end(), not_space));
  out.erase(std::find_if(out.rbegin(), out.rend(), not_space).base(), out.end());
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "...";
  }
  return out;
}

bool sensitive_header(std::string_view name) {
  return sys::names_a_secret(name);
}

std::string masked_header_line(std::string_view line) {
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos && sensitive_header(line.substr(0, colon))) {
    return one_line(std::string(line.substr(0, colon)) + ": <redacted>", 1000);
  }
  return one_line(redact_urls_in(line), 1000);
}

}  // namespace e2e3d::fetch_detail
