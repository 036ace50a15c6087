#pragma once
// How the container checks say things: one skip or failure for "no runtime / not found", log
// lines quoted safely (escaped, cut, credentials masked), ages for people.

#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/doctor/context.hpp"
#include "e2e3d/doctor/result.hpp"

namespace e2e3d::doctor {

// The result of a container check that has no container to look at: skip when there is no
// runtime or the service is not in a container (and nobody named one), skip with the fix when
// the socket refuses us, fail when a named container does not exist or the API failed.
// nullopt when the probe has a container.
std::optional<Result> container_unusable(Context& context, const ContainerProbe& probe,
                                         std::string_view role = "the service");

// The last `count` lines of a log, each indented, escaped and with credentials masked.
std::string last_log_lines(const LogProbe& log, std::size_t count);

// One log line fit to quote: control characters escaped, at most 300 characters, secrets
// masked by the program's one denylist (sys::mask_secrets_in_text).
std::string quoted_log_line(std::string_view line);

// "3 s", "5 min", "2 h", "4 days"
std::string human_age(double seconds);

}  // namespace e2e3d::doctor
