#pragma once
// What may go into an API path: container names and ids as Docker itself allows them, and
// query values percent-encoded.

#include <string>
#include <string_view>

namespace e2e3d::docker {

// `name` when it is a valid container name or id ([a-zA-Z0-9][a-zA-Z0-9_.-]*); throws
// EngineError (http_status 404, as the daemon would answer) otherwise.
std::string checked_name(std::string_view name);

// `text` percent-encoded for a query value.
std::string query_value(std::string_view text);

}  // namespace e2e3d::docker
