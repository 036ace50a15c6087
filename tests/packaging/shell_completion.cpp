#include "shell_completion.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"
#include "temp_dir.hpp"

namespace e2e3d::test {
namespace {

// Sets COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT as bash does, calls the function that
// `complete -p` registered for e2e3d-metrics, and prints COMPREPLY after a header per line.
constexpr const char* kBashDriver = R"sh(
spec=$(complete -p e2e3d-metrics 2>/dev/null) || { echo 'no completion for e2e3d-metrics' >&2; exit 3; }
fn=${spec##*-F }; fn=${fn%% *}
for line in "$@"; do
  read -ra COMP_WORDS <<< "$line"
  [[ $line == *' ' ]] && COMP_WORDS+=('')
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMP_LINE=$line
  COMP_POINT=${#line}
  COMPREPLY=()
  "$fn" e2e3d-metrics "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '@@ %s\n' "$line"
  printf '%s\n' "${COMPREPLY[@]}"
done
)sh";

constexpr const char* kFishDriver = R"sh(
source $argv[1]
for line in $argv[2..]
  echo "@@ $line"
  complete -C"$line"
end
)sh";

// "@@ LINE" headers, then candidates one per line (fish adds a tab and a description).
CompletionResults parse_results(const std::string& out, const std::vector<std::string>& lines) {
  CompletionResults results;
  std::istringstream in(out);
  std::string line;
  Candidates* current = nullptr;
  while (std::getline(in, line)) {
    if (line.starts_with("@@ ")) {
      current = &results[line.substr(3)];
    } else if (current != nullptr && !line.empty()) {
      current->insert(line.substr(0, line.find('\t')));
    }
  }
  for (const auto& l : lines)
    if (!results.contains(l)) throw std::runtime_error("no completion result for '" + l + "'");
  return results;
}

CompletionResults run_driver(std::vector<std::string> argv, const std::vector<std::string>& lines,
                             std::vector<std::string> env = {}) {
  TempDir cwd("completion");
  argv.insert(argv.begin(), {"env", "-C", cwd.str()});
  argv.insert(argv.end(), lines.begin(), lines.end());
  auto r = run(argv, std::move(env), "", std::chrono::seconds(60));
  if (r.exit_code != 0) {
    throw std::runtime_error(argv[3] + " completion driver failed (exit " +
                             std::to_string(r.exit_code) + "): " + r.err);
  }
  return parse_results(r.out, lines);
}

}  // namespace

const char* shell_name(Shell shell) {
  switch (shell) {
    case Shell::bash:
      return "bash";
    case Shell::zsh:
      return "zsh";
    case Shell::fish:
      return "fish";
  }
  return "?";
}

std::string completion_file(Shell shell) {
  std::string dir = std::string(E2E3D_SOURCE_DIR) + "/completions/";
  switch (shell) {
    case Shell::bash:
      return dir + "e2e3d-metrics.bash";
    case Shell::zsh:
      return dir + "_e2e3d-metrics";
    case Shell::fish:
      return dir + "e2e3d-metrics.fish";
  }
  return "";
}

CompletionResults complete_lines(Shell shell, const std::string& file,
                                 const std::vector<std::string>& lines) {
  switch (shell) {
    case Shell::bash:
      return run_driver({"bash", "--norc", "--noprofile", "-c",
                         std::string("source \"$0\" || exit 3\n") + kBashDriver, file},
                        lines);
    case Shell::zsh: {
      // The harness puts the completion's directory first in $fpath; compinit finds _NAME there.
      auto dir = std::filesystem::path(file).parent_path().string();
      return run_driver(
          {"zsh", "-f", std::string(E2E3D_SOURCE_DIR) + "/tests/packaging/zsh_complete.zsh", dir},
          lines);
    }
    case Shell::fish:
      return run_driver({"fish", "--no-config", "-c", kFishDriver, file}, lines);
  }
  throw std::logic_error("unknown shell");
}

CompletionResults complete_lines_installed(Shell shell, const std::string& prefix,
                                           const std::string& zsh_dir,
                                           const std::vector<std::string>& lines) {
  const std::string share = prefix + "/share";
  switch (shell) {
    case Shell::bash: {
      std::string script = std::string(
                               "source /usr/share/bash-completion/bash_completion || exit 3\n"
                               "__load_completion e2e3d-metrics || exit 3\n") +
                           kBashDriver;
      return run_driver({"bash", "--norc", "--noprofile", "-c", script, "bash"}, lines,
                        {"XDG_DATA_DIRS=" + share, "BASH_COMPLETION_USER_DIR=/nonexistent"});
    }
    case Shell::zsh:
      return complete_lines(Shell::zsh, zsh_dir + "/_e2e3d-metrics", lines);
    case Shell::fish: {
      // Without --no-config, so fish's own config sets up vendor_completions.d; a private
      // HOME keeps the user's configuration out.
      TempDir home("fish-home");
      const char* path = std::getenv("PATH");
      std::string script = std::string(kFishDriver).substr(std::string(kFishDriver).find("for"));
      return run_driver({"fish", "-c", script, "unused"}, lines,
                        {"HOME=" + home.str(), "XDG_CONFIG_HOME=" + home.str() + "/config",
                         "XDG_DATA_HOME=" + home.str() + "/data", "XDG_DATA_DIRS=" + share,
                         "PATH=" + prefix + "/bin:" + (path ? path : "/usr/bin:/bin")});
    }
  }
  throw std::logic_error("unknown shell");
}

}  // namespace e2e3d::test
