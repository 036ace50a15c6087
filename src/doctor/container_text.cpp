#include "doctor/container_text.hpp"

#include <fmt/format.h>

#include "doctor/checks/checks.hpp"
#include "e2e3d/fetch.hpp"
#include "e2e3d/sys/secrets.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::size_t kLineChars = 300;

}  // namespace

std::string quoted_log_line(std::string_view line) {
  std::string text(line.substr(0, kLineChars));
  text = sys::mask_secrets_in_text(redact_urls_in(text));
  std::string out = one_line(text);
  if (line.size() > kLineChars) out += "…";
  return out;
}

std::string last_log_lines(const LogProbe& log, std::size_t count) {
  std::string out;
  std::size_t first = log.lines.size() > count ? log.lines.size() - count : 0;
  for (std::size_t i = first; i < log.lines.size(); ++i)
    out += (out.empty() ? "  " : "\n  ") + quoted_log_line(log.lines[i].text);
  return out;
}

std::string human_age(double seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return fmt::format("{:.0f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.0f} min", seconds / 60);
  if (seconds < 172800) return fmt::format("{:.0f} h", seconds / 3600);
  return fmt::format("{:.0f} days", seconds / 86400);
}

std::optional<Result> container_unusable(Context& context, const ContainerProbe& probe,
                                         std::string_view role) {
  if (probe.container) return std::nullopt;
  const RuntimeProbe& rt = context.runtime();
  switch (rt.state) {
    case RuntimeProbe::State::absent:
      return skip(
          fmt::format("{} does not run in a container here: no container runtime found", role),
          rt.problem);
    case RuntimeProbe::State::denied:
      return skip(fmt::format("the container runtime refuses doctor: {}", rt.problem),
                  fmt::format("endpoint: {}\nfix: {}", rt.endpoint, rt.fix));
    case RuntimeProbe::State::broken:
      if (!probe.named) {
        return skip(fmt::format("the container runtime cannot be asked: {}", rt.problem),
                    fmt::format("endpoint: {}\nfix: {}", rt.endpoint, rt.fix));
      }
      return fail(fmt::format("the container runtime cannot be asked: {}", rt.problem),
                  fmt::format("endpoint: {}", rt.endpoint), rt.fix);
    case RuntimeProbe::State::ready:
      break;
  }
  if (!probe.error.empty()) {
    return fail(
        "the container runtime's API failed", probe.error,
        fmt::format("check the daemon ({}); raise --timeout if it is only slow", rt.endpoint));
  }
  if (probe.named) {
    return fail(probe.not_found, fmt::format("runtime: {}", rt.endpoint),
                "name a container that exists (docker ps -a --format '{{{{.Names}}}}')");
  }
  return skip(fmt::format("{} does not run in a container found here", role),
              fmt::format("{}\nruntime: {}\nname it with --container NAME, or --compose FILE",
                          probe.not_found, rt.endpoint));
}

}  // namespace e2e3d::doctor
