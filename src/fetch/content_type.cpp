#include "fetch/content_type.hpp"

#include <cctype>

namespace e2e3d::fetch_detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of parameter `name` ("version"), unquoted, or nullopt.
std::optional<std::string> parameter(std::string_view content_type, std::string_view name) {
  std::size_t pos = content_type.find(';');
  while (pos != std::string_view::npos) {
    std::size_t next = content_type.find(';', pos + 1);
    std::string_view param = trim(content_type.substr(pos + 1, next - pos - 1));
    std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == name) {
      std::string_view value = trim(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    pos = next;
  }
  return std::nullopt;
}

}  // namespace

std::string media_type(std::string_view content_type) {
  return lower(trim(content_type.substr(0, content_type.find(';'))));
}

std::optional<ExpositionFormat> format_named_by(std::string_view content_type) {
  std::string type = media_type(content_type);
  if (type == "application/openmetrics-text") return ExpositionFormat::openmetrics;
  if (type == "text/plain") {
    auto version = parameter(content_type, "version");
    if (!version || *version == "0.0.4") return ExpositionFormat::prometheus_text;
  }
  return std::nullopt;
}

std::optional<std::string_view> non_exposition_type(std::string_view content_type) {
  std::string type = media_type(content_type);
  if (type == "text/html" || type == "application/xhtml+xml") return "an HTML page";
  if (type == "application/json" || type.ends_with("+json")) return "JSON";
  return std::nullopt;
}

}  // namespace e2e3d::fetch_detail
