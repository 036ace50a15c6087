#pragma once
// What fetch options must be before any connection is made, and the bearer token they name.

#include <string>

#include "e2e3d/fetch.hpp"

namespace e2e3d::fetch_detail {

// The longest -H header, --user and token accepted: servers refuse far less (8 to 64 KiB for
// all headers), and libcurl fails a larger request with "out of memory".
inline constexpr std::size_t kMaxHeaderBytes = 16u * 1024u;

// Throws FetchError(bad_option) or FetchError(file) for options that cannot work, naming the
// option and never quoting a value that may be a secret.
void check_options(const FetchOptions& options);

// The token of --bearer-token-file: a regular file of at most kMaxHeaderBytes, one line,
// surrounding whitespace trimmed, no control character (a NUL would cut it short unseen).
// Throws FetchError(file) or FetchError(bad_option).
std::string read_token_file(const std::string& path);

}  // namespace e2e3d::fetch_detail
