#include "e2e3d/doctor/context.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "doctor/endpoint_match.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/sys/processes.hpp"

extern char** environ;

namespace e2e3d::doctor {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::pair<std::string, std::string>> process_environment() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq == std::string::npos)
      out.emplace_back(entry, "");
    else
      out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

}  // namespace

Context::Context(Options options) : options_(std::move(options)) {
  deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(options_.timeout_seconds));
  own_environment_ = options_.own_environment ? *options_.own_environment : process_environment();
  if (options_.source.file) {
    target_name_ = *options_.source.file;
  } else {
    url_ = parse_url(options_.source.fetch.url, options_.source.fetch.url_option);
    target_name_ = redact_url(options_.source.fetch.url);
  }
}

Context::~Context() = default;

double Context::seconds_left() const {
  return std::max(0.0, std::chrono::duration<double>(deadline_ - Clock::now()).count());
}

double Context::now_unix_seconds() const {
  if (options_.now_unix_seconds) return *options_.now_unix_seconds;
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const HttpProbe& Context::http() {
  std::call_once(http_once_, [this] {
    auto start = Clock::now();
    if (options_.source.file) {
      http_.from_file = true;
      // Standard input and pipes are fine, within --max-bytes like a fetched body.
      try {
        http_.body = sys::read_bounded_file(
            *options_.source.file,
            {"the file", options_.source.fetch.max_bytes, "--max-bytes", true});
      } catch (const sys::FileError& e) {
        http_.failure = e.too_large() ? FetchFailure::too_large : FetchFailure::file;
        http_.error = e.what();
      }
    } else {
      FetchOptions fetch = options_.source.fetch;
      // Never longer than what is left of the run, so a silent server cannot hold it up.
      double left = std::max(0.05, seconds_left());
      fetch.timeout_seconds = std::min(fetch.timeout_seconds, left);
      fetch.connect_timeout_seconds = std::min(fetch.connect_timeout_seconds, left);
      try {
        http_.info = fetch_url(
            fetch, [this](std::string_view chunk, const FetchInfo&) { http_.body.append(chunk); });
        http_.http_status = http_.info->http_status;
      } catch (const FetchError& e) {
        http_.failure = e.failure();
        http_.http_status = e.http_status();
        http_.error = e.what();
      } catch (const std::exception& e) {
        http_.failure = FetchFailure::read_error;
        http_.error = e.what();
      }
    }
    http_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  });
  return http_;
}

const ScrapeProbe& Context::scrape() {
  std::call_once(scrape_once_, [this] {
    const auto& h = http();
    if (h.failure) {
      scrape_.error = "nothing to parse: " + h.error;
      return;
    }
    std::optional<ExpositionFormat> format;
    if (h.info) format = format_from_content_type(h.info->content_type);
    try {
      scrape_.scrape = parse_exposition(h.body, format, target_name_);
    } catch (const ParseError& e) {
      scrape_.error = e.what();
      scrape_.position = e.position();
    } catch (const std::exception& e) {
      scrape_.error = e.what();
    }
  });
  return scrape_;
}

const SocketProbe& Context::sockets() {
  std::call_once(sockets_once_, [this] {
    if (!url_) return;
    try {
      sockets_.listening =
          sys::listening_on(sys::listening_sockets(options_.proc_root), url_->port);
    } catch (const std::exception& e) {
      sockets_.socket_error = e.what();
    }
  });
  return sockets_;
}

const OwnerProbe& Context::owner() {
  std::call_once(owner_once_, [this] {
    const auto& table = sockets();
    owner_.socket_error = table.socket_error;
    owner_.listening = table.listening;
    for (const auto& socket : owner_.listening) {
      owner_.pid = sys::socket_owner(socket.inode, options_.proc_root);
      if (owner_.pid) break;
    }
    if (owner_.pid) {
      owner_.cmdline =
          sys::read_cmdline(*owner_.pid, options_.proc_root).value_or(std::vector<std::string>{});
    }
  });
  return owner_;
}

std::optional<bool> Context::url_host_is_local() {
  std::call_once(local_once_, [this] {
    if (!url_) return;
    const std::string& host = url_->host;
    if (host == "localhost" || host.ends_with(".localhost") || is_loopback_address(host) ||
        host == "0.0.0.0" || host == "::") {
      local_ = true;
      return;
    }
    char hostname[256] = {};
    if (gethostname(hostname, sizeof hostname - 1) == 0 && host == hostname) {
      local_ = true;
      return;
    }
    auto mine = local_addresses();
    if (mine.count(host)) {
      local_ = true;
      return;
    }
    // A name: local when any address it resolves to is one of ours.
    bool local = false;
    if (auto addresses = resolve_host(host)) {
      for (const auto& address : *addresses) {
        if (mine.count(address) || is_loopback_address(address)) local = true;
      }
    }
    local_ = local;
  });
  return local_;
}

}  // namespace e2e3d::doctor
