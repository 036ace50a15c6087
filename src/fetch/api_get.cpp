// One GET of an HTTP API: the same Transfer as a scrape, told to expect JSON.

#include <string>

#include <fmt/format.h>

#include "e2e3d/http_api.hpp"
#include "fetch/transfer.hpp"

namespace e2e3d {

ApiResponse api_get(const FetchOptions& options) {
  ApiResponse response;
  // The Transfer counts every chunk against options.max_bytes before it reaches this sink.
  fetch_detail::Transfer::ChunkSink collect =
      [&response](std::string_view chunk, const FetchInfo&) { response.body.append(chunk); };
  fetch_detail::Transfer transfer(options, collect, fetch_detail::Expect::api);
  response.info = transfer.run();
  return response;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace e2e3d
