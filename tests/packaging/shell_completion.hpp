#pragma once
// Drives the real shells' completion machinery on the completion files and returns the
// candidates each offers, as a user pressing TAB would get them.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace e2e3d::test {

using Candidates = std::set<std::string>;
// Per command line (words separated by one space; a trailing space starts an empty word).
using CompletionResults = std::map<std::string, Candidates>;

enum class Shell { bash, zsh, fish };
const char* shell_name(Shell shell);

// The completion file of the source tree for a shell.
std::string completion_file(Shell shell);

// Completes every line in one shell process, in an empty working directory (so that file
// completion offers nothing). bash: the function `complete -p e2e3d-metrics` names is called
// with COMP_WORDS/COMP_CWORD set; zsh: an interactive zsh on a pseudo-terminal, TAB typed after
// the line (tests/packaging/zsh_complete.zsh); fish: `complete -C LINE`.
CompletionResults complete_lines(Shell shell, const std::string& file,
                                 const std::vector<std::string>& lines);

// Completes with the files an install put under PREFIX, found the way each shell finds
// packaged completions: bash-completion's loader searching $XDG_DATA_DIRS, zsh's $fpath set
// to the installed directory `zsh_dir`, fish's vendor_completions.d in $XDG_DATA_DIRS (with the
// installed binary first in $PATH, as fish loads completions of commands it can run).
CompletionResults complete_lines_installed(Shell shell, const std::string& prefix,
                                           const std::string& zsh_dir,
                                           const std::vector<std::string>& lines);

}  // namespace e2e3d::test
