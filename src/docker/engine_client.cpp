// Version negotiation as Docker's client does it (/_ping's Api-Version header), with /version
// asked only when the header is missing or names a version newer than ours: that answer also
// carries the oldest version the daemon still accepts (Docker 25+ refuse very old ones).
#include "e2e3d/docker/engine_client.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "docker/transport.hpp"

namespace e2e3d::docker {
namespace {

constexpr std::size_t kSmallAnswer = 64 * 1024;

// "Docker/20.10.24+dfsg1 (linux)" -> "Docker 20.10.24+dfsg1"; "Libpod/4.3.1 (linux)" -> "Podman
// 4.3.1".
std::string engine_name(std::string_view server) {
  auto space = server.find(' ');
  std::string_view product = server.substr(0, space);
  auto slash = product.find('/');
  if (slash == std::string_view::npos)
    return server.empty() ? "the container runtime" : std::string(server);
  std::string_view name = product.substr(0, slash);
  std::string_view version = product.substr(slash + 1);
  if (name == "Libpod") name = "Podman";
  return fmt::format("{} {}", name, version);
}

bool plausible_version(std::string_view v) {
  if (v.empty() || v.size() > 10) return false;
  for (char c : v) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;
  }
  return true;
}

}  // namespace

int compare_api_versions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    int x = 0, y = 0;
    auto take = [](std::string_view& s, int& out) {
      auto dot = s.find('.');
      std::string_view part = s.substr(0, dot);
      std::from_chars(part.data(), part.data() + part.size(), out);
      s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    };
    take(a, x);
    take(b, y);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

EngineClient::EngineClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

void EngineClient::negotiate(double timeout_seconds) {
  EngineResponse ping = detail::engine_get(endpoint_, "/_ping", timeout_seconds, kSmallAnswer);
  if (ping.status != 200) {
    throw EngineError(EngineFailure::bad_answer,
                      fmt::format("GET {}/_ping: HTTP {}: is this a Docker or Podman API?",
                                  endpoint_.uri(), ping.status),
                      ping.status);
  }
  engine_ = engine_name(ping.server);
  std::string daemon = plausible_version(ping.api_version) ? ping.api_version : "";
  std::string minimum;
  if (daemon.empty() || compare_api_versions(daemon, kMaxVersion) > 0) {
    EngineResponse version =
        detail::engine_get(endpoint_, "/version", timeout_seconds, kSmallAnswer);
    auto body = nlohmann::json::parse(version.body, nullptr, false);
    if (version.status == 200 && body.is_object()) {
      auto text = [&](const char* key) {
        auto it = body.find(key);
        return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      if (plausible_version(text("ApiVersion"))) daemon = text("ApiVersion");
      if (plausible_version(text("MinAPIVersion"))) minimum = text("MinAPIVersion");
      if (ping.server.empty() && !text("Version").empty()) {
        engine_ = fmt::format("Docker {}", one_line(text("Version")));
      }
    }
  }
  if (daemon.empty()) {
    api_version_ = std::string(kFallbackVersion);
  } else if (compare_api_versions(daemon, kMaxVersion) > 0) {
    api_version_ = std::string(kMaxVersion);
  } else {
    api_version_ = daemon;
  }
  if (!minimum.empty() && compare_api_versions(api_version_, minimum) < 0) api_version_ = minimum;
}

EngineResponse EngineClient::get(std::string_view path_and_query, double timeout_seconds,
                                 std::size_t max_bytes) const {
  return detail::engine_get(endpoint_, fmt::format("/v{}{}", api_version_, path_and_query),
                            timeout_seconds, max_bytes);
}

std::string EngineClient::get_ok(std::string_view path_and_query, double timeout_seconds,
                                 std::size_t max_bytes) const {
  EngineResponse r = get(path_and_query, timeout_seconds, max_bytes);
  if (r.status == 200) return std::move(r.body);
  // The daemon's errors are {"message": "..."}.
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  std::string message;
  if (body.is_object()) {
    auto it = body.find("message");
    if (it != body.end() && it->is_string()) message = it->get<std::string>();
  }
  if (message.empty()) message = fmt::format("HTTP {}", r.status);
  throw EngineError(
      EngineFailure::http_status,
      fmt::format("GET {}: {}", one_line(path_and_query), one_line(message.substr(0, 300))),
      r.status);
}

}  // namespace e2e3d::docker
