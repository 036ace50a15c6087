#pragma once
// Options every command shares (target, output, colour), and what commands derive from them.

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "e2e3d/fetch.hpp"
#include "e2e3d/fleet.hpp"

namespace e2e3d::cli {

// The exit codes of the command-line contract (Nagios plugin codes, plus 64 for usage).
enum ExitCode : int {
  kExitOk = 0,
  kExitWarning = 1,
  kExitCritical = 2,
  kExitUnknown = 3,
  kExitUsage = 64,
};

struct GlobalOptions {
  std::string url;
  std::string file;  // empty: use the URL; "-": standard input
  double timeout_seconds = 5.0;
  double connect_timeout_seconds = 5.0;
  std::vector<std::string> headers;
  std::string bearer_token_file;
  std::string user;
  std::string cacert;
  bool insecure = false;
  std::size_t max_bytes = 100u * 1024u * 1024u;
  std::string output = "text";
  std::string color = "auto";
  bool verbose = false;
  bool quiet = false;
  // Several targets at once (show, query, doctor): see cli/targets.hpp.
  std::vector<std::string> targets;
  std::string targets_file;
  std::string from_prometheus;
  std::string job;  // the scrape job (default catalog::kScrapeJob): job label, discovery
  std::size_t parallel = FleetOptions{}.parallelism;
};

// Adds the shared options to the top-level app; they are accepted after the command too.
void add_global_options(CLI::App& app, GlobalOptions& options);

// The scrape source the target options name; --verbose traces go to stderr.
ScrapeSource scrape_source(const GlobalOptions& options);

// Colour on `stream`: --color always/never, else only on a terminal and without NO_COLOR.
bool use_color(const GlobalOptions& options, std::FILE* stream);

// Rejects an --output value the command does not support, as a usage error.
void require_output(const GlobalOptions& options, std::initializer_list<std::string_view> allowed);

}  // namespace e2e3d::cli
