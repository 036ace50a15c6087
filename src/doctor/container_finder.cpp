// Which container runs the service, and which runs Prometheus, in the order an operator would
// look: the name they gave; the container that publishes the URL's port; the Compose file's
// service; the container whose address or network alias is the URL's host. Each result says
// how it was found, so a wrong guess is visible in the report.
#include <filesystem>

#include <fmt/format.h>

#include "doctor/compose.hpp"
#include "doctor/containers_detail.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/doctor/context.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::string_view kComposeService = "com.docker.compose.service";
constexpr std::string_view kComposeProject = "com.docker.compose.project";
constexpr std::string_view kComposeDir = "com.docker.compose.project.working_dir";

std::string label_of(const docker::ContainerSummary& s, std::string_view key) {
  auto it = s.labels.find(std::string(key));
  return it == s.labels.end() ? std::string() : it->second;
}

std::string names_of(const std::vector<const docker::ContainerSummary*>& list) {
  std::string out;
  for (const auto* s : list)
    out += (out.empty() ? "" : ", ") + (s->names.empty() ? s->id.substr(0, 12) : s->names[0]);
  return out;
}

// Running containers first: of a restarted service's old and new container, the live one.
const docker::ContainerSummary* pick(const std::vector<const docker::ContainerSummary*>& list) {
  for (const auto* s : list) {
    if (s->state == "running") return s;
  }
  return list.empty() ? nullptr : list.front();
}

}  // namespace

const ContainerProbe& Context::service_container() {
  std::call_once(service_once_, [this] {
    ContainerProbe& probe = service_;
    const RuntimeProbe& rt = runtime();
    if (rt.state != RuntimeProbe::State::ready) {
      probe.not_found = rt.problem;
      probe.named = options_.container.has_value();
      return;
    }
    const docker::EngineClient& client = *rt.client;
    auto inspect = [&](const std::string& id, std::string how) {
      probe.container = docker::inspect_container(client, id, call_budget(*this));
      if (probe.container) probe.found_by = std::move(how);
    };
    try {
      if (options_.container) {
        probe.named = true;
        inspect(*options_.container, fmt::format("--container {}", *options_.container));
        if (!probe.container) {
          probe.not_found = fmt::format("the runtime has no container {} (docker ps -a lists them)",
                                        *options_.container);
        }
        return;
      }
      auto all = docker::list_containers(client, true, call_budget(*this));
      std::vector<std::string> tried;

      // 1. The container that publishes the URL's port on this machine.
      if (url_ && url_host_is_local().value_or(false)) {
        std::vector<const docker::ContainerSummary*> publishing;
        for (const auto& s : all) {
          for (const auto& p : s.ports) {
            if (p.host_port == url_->port && p.protocol == "tcp") {
              publishing.push_back(&s);
              break;
            }
          }
        }
        if (const auto* s = pick(publishing)) {
          return inspect(s->id, fmt::format("it publishes port {} on this host", url_->port));
        }
        tried.push_back(fmt::format("no running container publishes port {}", url_->port));
      }

      // 2. The Compose file's service: Compose labels its containers with the service and the
      // project's directory; a container_name is a name.
      if (options_.compose_file) {
        ComposeValue compose;
        try {
          compose = read_compose_variable(*options_.compose_file, options_.service,
                                          catalog::kEnableMetricsVariable, own_environment_);
        } catch (const Error& e) {
          tried.push_back(e.what());
        }
        if (!compose.service.empty()) {
          std::error_code ec;
          auto dir = std::filesystem::weakly_canonical(
              std::filesystem::absolute(*options_.compose_file).parent_path(), ec);
          std::vector<const docker::ContainerSummary*> same_dir, same_service;
          for (const auto& s : all) {
            if (label_of(s, kComposeService) != compose.service) continue;
            same_service.push_back(&s);
            if (!ec && label_of(s, kComposeDir) == dir.string()) same_dir.push_back(&s);
          }
          std::string how =
              fmt::format("service {} of {}", compose.service, *options_.compose_file);
          if (const auto* s = pick(same_dir)) return inspect(s->id, how + " (Compose labels)");
          if (!compose.container_name.empty()) {
            inspect(compose.container_name,
                    fmt::format("container_name {} in {}", compose.container_name,
                                *options_.compose_file));
            if (probe.container) return;
          }
          if (same_service.size() == 1)
            return inspect(same_service[0]->id, how + " (Compose label)");
          tried.push_back(
              same_service.empty()
                  ? fmt::format("no container of Compose service {} (is the project up? "
                                "docker compose -f {} ps)",
                                compose.service, *options_.compose_file)
                  : fmt::format("several projects run a service {}: {}; pass --container NAME",
                                compose.service, names_of(same_service)));
        }
      }

      // 3. The container whose address, name or network alias is the URL's host.
      if (url_) {
        std::vector<const docker::ContainerSummary*> named;
        for (const auto& s : all) {
          bool match = std::find(s.names.begin(), s.names.end(), url_->host) != s.names.end();
          for (const auto& n : s.networks) {
            match = match || n.ip_address == url_->host || n.global_ipv6_address == url_->host ||
                    std::find(n.aliases.begin(), n.aliases.end(), url_->host) != n.aliases.end();
          }
          if (match) named.push_back(&s);
        }
        if (const auto* s = pick(named)) {
          return inspect(s->id, fmt::format("its address or network name is {}", url_->host));
        }
        tried.push_back(fmt::format("no container is named or addressed {}", url_->host));
      }
      std::string why;
      for (const auto& t : tried)
        why += (why.empty() ? "" : "; ") + t;
      probe.not_found = fmt::format("no container runs the service: {}",
                                    why.empty() ? "nothing to look for" : why);
    } catch (const docker::EngineError& e) {
      probe.error = e.what();
    }
  });
  return service_;
}

const ContainerProbe& Context::prometheus_container() {
  std::call_once(prometheus_once_, [this] {
    ContainerProbe& probe = prometheus_;
    const RuntimeProbe& rt = runtime();
    if (rt.state != RuntimeProbe::State::ready) {
      probe.not_found = rt.problem;
      probe.named = options_.prometheus_container.has_value();
      return;
    }
    const docker::EngineClient& client = *rt.client;
    try {
      if (options_.prometheus_container) {
        probe.named = true;
        probe.container =
            docker::inspect_container(client, *options_.prometheus_container, call_budget(*this));
        if (probe.container) {
          probe.found_by = fmt::format("--prometheus-container {}", *options_.prometheus_container);
        } else {
          probe.not_found = fmt::format("the runtime has no container {} (docker ps -a lists them)",
                                        *options_.prometheus_container);
        }
        return;
      }
      auto all = docker::list_containers(client, true, call_budget(*this));
      const ContainerProbe& service = service_container();
      std::string project;
      if (service.container) {
        if (const auto* p = service.container->label(kComposeProject)) project = *p;
      }
      std::vector<const docker::ContainerSummary*> in_project, anywhere;
      for (const auto& s : all) {
        if (service.container && s.id == service.container->id) continue;
        if (!runs_prometheus(s.image, s.command)) continue;
        anywhere.push_back(&s);
        if (!project.empty() && label_of(s, kComposeProject) == project) in_project.push_back(&s);
      }
      const docker::ContainerSummary* chosen = nullptr;
      if ((chosen = pick(in_project))) {
        probe.found_by = fmt::format("service {} of Compose project {}",
                                     label_of(*chosen, kComposeService), project);
      } else {
        std::vector<const docker::ContainerSummary*> running;
        for (const auto* s : anywhere) {
          if (s->state == "running") running.push_back(s);
        }
        if (running.size() == 1) {
          chosen = running[0];
          probe.found_by = "the only running container whose image or command is Prometheus";
        } else if (running.size() > 1) {
          probe.not_found = fmt::format(
              "several containers run Prometheus ({}): pass "
              "--prometheus-container NAME",
              names_of(running));
        } else {
          probe.not_found = "no running container's image or command is Prometheus";
        }
      }
      if (chosen) {
        probe.container = docker::inspect_container(client, chosen->id, call_budget(*this));
      }
    } catch (const docker::EngineError& e) {
      probe.error = e.what();
    }
  });
  return prometheus_;
}

}  // namespace e2e3d::doctor
