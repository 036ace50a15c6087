// One HTTP(S) GET with libcurl, the body streamed to a callback chunk by chunk. The transfer
// itself (options, headers, limits, failure messages) is fetch_detail::Transfer, shared with
// the fleet scraper.

#include <string_view>

#include "e2e3d/fetch.hpp"
#include "fetch/transfer.hpp"

namespace e2e3d {

std::string_view fetch_failure_name(FetchFailure failure) {
  switch (failure) {
    case FetchFailure::none:
      return "none";
    case FetchFailure::bad_url:
      return "bad_url";
    case FetchFailure::dns:
      return "dns";
    case FetchFailure::refused:
      return "refused";
    case FetchFailure::timeout:
      return "timeout";
    case FetchFailure::tls:
      return "tls";
    case FetchFailure::http_status:
      return "http_status";
    case FetchFailure::too_large:
      return "too_large";
    case FetchFailure::too_many_redirects:
      return "too_many_redirects";
    case FetchFailure::not_exposition:
      return "not_exposition";
    case FetchFailure::read_error:
      return "read_error";
    case FetchFailure::file:
      return "file";
    case FetchFailure::bad_option:
      return "bad_option";
    case FetchFailure::not_api:
      return "not_api";
  }
  return "unknown";
}

FetchInfo fetch_url(
    const FetchOptions& options,
    const std::function<void(std::string_view chunk, const FetchInfo& sofar)>& on_chunk) {
  fetch_detail::Transfer transfer(options, on_chunk);
  return transfer.run();
}

}  // namespace e2e3d
