#pragma once
// One file read from inside a container, as `docker cp` does it: `GET
// /containers/{id}/archive?path=` answers a tar stream of that path.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/docker/engine_client.hpp"

namespace e2e3d::docker {

// The first entry of a tar stream: a regular file's content, or a symbolic link's target.
struct TarEntry {
  std::string name;
  std::string content;      // regular file
  std::string link_target;  // symbolic link (then content is empty)
  bool is_link = false;
  bool is_directory = false;
};
// nullopt when the stream holds no entry; throws EngineError (bad_answer) for a damaged header
// or a file larger than `max_bytes`.
std::optional<TarEntry> first_tar_entry(std::string_view tar, std::size_t max_bytes);

// The content of `path` in the container; nullopt when the path does not exist there (404).
// Follows one symbolic link within the container. Throws EngineError.
std::optional<std::string> read_container_file(const EngineClient& client, std::string_view id,
                                               std::string_view path, std::size_t max_bytes,
                                               double timeout_seconds);

}  // namespace e2e3d::docker
