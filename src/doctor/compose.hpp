#pragma once
// Reading one variable of one service from a Docker Compose file, as Compose itself resolves
// it: `environment:` in list form ("- K=V") or map form ("K: V") wins over `env_file:` files
// (later files over earlier ones), and ${VAR} / ${VAR:-default} are interpolated from the
// environment and the project's .env file.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace e2e3d::doctor {

struct ComposeValue {
  std::string service;                // the service read
  std::vector<std::string> services;  // all services of the file
  std::optional<std::string> value;   // after interpolation; nullopt: not set for the service
  // Where the value comes from, for people: "docker-compose.yml:7 (environment:)".
  std::string origin;
  // `- K` or `K:` without a value: Compose passes the variable from the shell it runs in.
  bool from_shell = false;
  std::string raw;             // as written, before interpolation (equal to value when nothing was)
  std::string container_name;  // the service's `container_name:`, when it sets one
};

// Throws e2e3d::Error (config) when the file cannot be read or parsed (with line:column), has
// no services, names no such --service, or has several candidate services and no --service.
// `interpolation_environment` is the environment `docker compose` would run in.
ComposeValue read_compose_variable(
    const std::string& path, const std::optional<std::string>& service, std::string_view variable,
    const std::vector<std::pair<std::string, std::string>>& interpolation_environment);

// The KEY=VALUE lines of an env file (comments, blank lines, `export`, quotes handled);
// each with its 1-based line number.
struct EnvFileEntry {
  std::string key;
  std::string value;
  int line = 0;
};
std::vector<EnvFileEntry> parse_env_file(std::string_view text);

// Compose's interpolation of $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
// ${VAR?message} and $$; unknown variables become empty, as Compose makes them.
std::string interpolate(std::string_view text,
                        const std::vector<std::pair<std::string, std::string>>& environment);

}  // namespace e2e3d::doctor
