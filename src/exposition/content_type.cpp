#include <string>

#include "e2e3d/exposition_parser.hpp"

namespace e2e3d {

namespace {

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

// Prometheus negotiates these two media types; anything else (protobuf, HTML, JSON) is neither.
std::optional<ExpositionFormat> format_from_content_type(std::string_view content_type) {
  const std::string media = lower_trimmed(content_type.substr(0, content_type.find(';')));
  if (media == "application/openmetrics-text") return ExpositionFormat::openmetrics;
  if (media == "text/plain") return ExpositionFormat::prometheus_text;
  return std::nullopt;
}

}  // namespace e2e3d
