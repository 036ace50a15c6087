#!/usr/bin/env bash
# Fails, naming the files, when any tracked C++ source differs from what .clang-format makes of it.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
bad=()
while IFS= read -r f; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.cpp' '*.hpp')
if ((${#bad[@]})); then
  printf 'not formatted (run: make format):\n' >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: all sources formatted"
