// `docker cp CONTAINER:PATH -`: the archive endpoint's tar stream, first entry only. A ustar
// header is 512 bytes: name at 0 (100), size at 124 (12, octal), type at 156, link name at 157
// (100), "ustar" at 257, prefix at 345 (155). GNU long names ('L') come before the entry.
#include "e2e3d/docker/archive.hpp"

#include <fmt/format.h>

#include "docker/path.hpp"

namespace e2e3d::docker {
namespace {

constexpr std::size_t kBlock = 512;

std::string field(std::string_view header, std::size_t offset, std::size_t size) {
  std::string_view f = header.substr(offset, size);
  auto nul = f.find('\0');
  return std::string(f.substr(0, nul));
}

std::optional<std::size_t> octal(std::string_view header, std::size_t offset, std::size_t size) {
  std::size_t value = 0;
  bool digits = false;
  for (char c : header.substr(offset, size)) {
    if (c == ' ' || c == '\0') {
      if (digits) break;
      continue;
    }
    if (c < '0' || c > '7') return std::nullopt;
    if (value > (SIZE_MAX >> 3)) return std::nullopt;
    value = value * 8 + static_cast<std::size_t>(c - '0');
    digits = true;
  }
  return value;
}

EngineError damaged(std::string_view why) {
  return EngineError(EngineFailure::bad_answer,
                     fmt::format("the archive answer is not a tar stream: {}", why));
}

}  // namespace

std::optional<TarEntry> first_tar_entry(std::string_view tar, std::size_t max_bytes) {
  std::size_t at = 0;
  std::string long_name, long_link;
  while (at + kBlock <= tar.size()) {
    std::string_view header = tar.substr(at, kBlock);
    if (header.find_first_not_of('\0') == std::string_view::npos) return std::nullopt;  // end
    auto size = octal(header, 124, 12);
    if (!size) throw damaged("a header's size is not octal");
    char type = header[156];
    std::size_t data = at + kBlock;
    std::size_t padded = (*size + kBlock - 1) / kBlock * kBlock;
    if (*size > tar.size() - data && (type == 'L' || type == 'K' || type == '0' || type == '\0'))
      throw damaged("the stream ends inside an entry");
    if (type == 'L' || type == 'K') {  // GNU long name or link name of the next entry
      std::string value(tar.substr(data, std::min<std::size_t>(*size, 4096)));
      value = value.substr(0, value.find('\0'));
      (type == 'L' ? long_name : long_link) = value;
      at = data + padded;
      continue;
    }
    if (type == 'x' || type == 'g') {  // pax extended headers: skipped
      at = data + padded;
      continue;
    }
    TarEntry entry;
    std::string prefix = header.substr(257, 5) == "ustar" ? field(header, 345, 155) : "";
    entry.name = !long_name.empty() ? long_name
                 : prefix.empty()   ? field(header, 0, 100)
                                    : prefix + "/" + field(header, 0, 100);
    if (type == '2') {
      entry.is_link = true;
      entry.link_target = !long_link.empty() ? long_link : field(header, 157, 100);
    } else if (type == '5') {
      entry.is_directory = true;
    } else {
      if (*size > max_bytes) {
        throw EngineError(
            EngineFailure::too_large,
            fmt::format("{} is {} bytes, more than the {} read", entry.name, *size, max_bytes));
      }
      entry.content = std::string(tar.substr(data, *size));
    }
    return entry;
  }
  return std::nullopt;
}

std::optional<std::string> read_container_file(const EngineClient& client, std::string_view id,
                                               std::string_view path, std::size_t max_bytes,
                                               double timeout_seconds) {
  std::string wanted(path);
  for (int hop = 0; hop < 2; ++hop) {
    std::string request =
        fmt::format("/containers/{}/archive?path={}", checked_name(id), query_value(wanted));
    EngineResponse r = client.get(request, timeout_seconds, max_bytes + 64 * 1024);
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) client.get_ok(request, timeout_seconds, max_bytes);  // throws its message
    auto entry = first_tar_entry(r.body, max_bytes);
    if (!entry) return std::nullopt;
    if (entry->is_directory) {
      throw EngineError(EngineFailure::bad_answer,
                        fmt::format("{} is a directory in the container", one_line(wanted)));
    }
    if (!entry->is_link) return std::move(entry->content);
    // A relative link is relative to the link's directory.
    const std::string& target = entry->link_target;
    wanted = target.starts_with("/") ? target : wanted.substr(0, wanted.rfind('/') + 1) + target;
  }
  throw EngineError(
      EngineFailure::bad_answer,
      fmt::format("{} is a chain of symbolic links in the container", one_line(path)));
}

}  // namespace e2e3d::docker
