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

}  // namespace

std::string media_type(std::string_view content_type) {
  return lower(trim(content_type.substr(0, content_type.find(';'))));
}

bool is_json_type(std::string_view content_type) {
  std::string type = media_type(content_type);
  return type == "application/json" || type.ends_with("+json");
}

std::optional<std::string_view> non_exposition_type(std::string_view content_type) {
  std::string type = media_type(content_type);
  if (type == "text/html" || type == "application/xhtml+xml") return "an HTML page";
  if (is_json_type(type)) return "JSON";
  return std::nullopt;
}

}  // namespace e2e3d::fetch_detail
