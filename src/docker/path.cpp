#include "docker/path.hpp"

#include <cctype>

#include <fmt/format.h>

#include "e2e3d/docker/engine_client.hpp"

namespace e2e3d::docker {

std::string checked_name(std::string_view name) {
  bool ok =
      !name.empty() && name.size() <= 255 && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  }
  if (!ok) {
    throw EngineError(EngineFailure::http_status,
                      fmt::format("no such container: {} (a container name is letters, digits "
                                  "and _ . -)",
                                  one_line(name.substr(0, 80))),
                      404);
  }
  return std::string(name);
}

std::string query_value(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace e2e3d::docker
