#!/usr/bin/env bash
# What evaluating the document's queries adds to reading a big scrape: runs
# `e2e3d-metrics query --file F EXPR` for each of the spec's queries (with the names the Python
# client really exposes) and for the trivial `vector(1)` (parse only), alternating, RUNS times,
# and prints the median CPU time (user + system) and peak RSS of each and its overhead over the
# parse-only run, as a share of `e2e3d-metrics show --file F`'s CPU time; then what `show`
# (which evaluates all of them) adds to the parse-only run's CPU time, and its peak RSS against
# the file's size.
#
#   bench/query_bench.sh [-n RUNS] [-f FILE] [-j JOBS] [-b BINARY]
#
# Without -f, bench/gen_scrape.py makes bench/data/e2e3d_JOBS.txt (JOBS defaults to 1,000,000).
# Targets (issue 3): `show --file` at most 25% more CPU time than the parse alone, and a peak
# RSS no more than the file's size.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=3
jobs=1000000
file=""
bin="$root/build/e2e3d-metrics"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -f) file="$2"; shift 2 ;;
    -j) jobs="$2"; shift 2 ;;
    -b) bin="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "query_bench.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
if [[ ! -x /usr/bin/time ]]; then
  echo "query_bench.sh: /usr/bin/time is missing: apt-get install time" >&2
  exit 3
fi
if [[ -z "$file" ]]; then
  file="$here/data/e2e3d_${jobs}.txt"
  [[ -f "$file" ]] || /usr/bin/python3 "$here/gen_scrape.py" --jobs "$jobs" --output "$file"
fi

queries=(
  'vector(1)'
  'reconstruction_total'
  '(reconstruction_success_total / reconstruction_total) * 100'
  'e2e3d_active_jobs'
  'sum(e2e3d_job_duration_seconds_total) / count(e2e3d_job_duration_seconds_total)'
  'sum(e2e3d_job_duration_seconds_total) by (status)'
)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# CPU seconds (user + system) and peak RSS (KB) of one run.
measure() {
  /usr/bin/time -f "%U %S %M" -o "$log" "$@" >/dev/null 2>&1 || {
    echo "query_bench.sh: failed: $*" >&2
    exit 3
  }
  awk '{printf "%.3f %d\n", $1 + $2, $3}' "$log"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

declare -A cpu rss
names=("show" "${queries[@]}")
for ((r = 1; r <= runs; r++)); do
  read -r c m < <(measure "$bin" show --file "$file")
  cpu[show]+="$c "; rss[show]+="$m "
  for q in "${queries[@]}"; do
    read -r c m < <(measure "$bin" query --file "$file" "$q")
    cpu[$q]+="$c "; rss[$q]+="$m "
  done
done

echo "file: $file ($(stat -c %s "$file") bytes), $runs runs, medians"
show_cpu=$(tr ' ' '\n' <<<"${cpu[show]}" | grep . | median)
base_cpu=$(tr ' ' '\n' <<<"${cpu[vector(1)]}" | grep . | median)
printf '%-85s %8s %8s %10s\n' "command" "CPU s" "RSS MB" "+% of show"
printf '%-85s %8s %8s %10s\n' "show --file" "$show_cpu" \
  "$(( $(tr ' ' '\n' <<<"${rss[show]}" | grep . | median) / 1024 ))" "-"
total=0
for q in "${queries[@]}"; do
  c=$(tr ' ' '\n' <<<"${cpu[$q]}" | grep . | median)
  m=$(( $(tr ' ' '\n' <<<"${rss[$q]}" | grep . | median) / 1024 ))
  extra=$(awk -v c="$c" -v b="$base_cpu" -v s="$show_cpu" 'BEGIN {d = c - b; if (d < 0) d = 0; printf "%.1f", 100 * d / s}')
  [[ "$q" == 'vector(1)' ]] || total=$(awk -v t="$total" -v e="$extra" 'BEGIN {print t + e}')
  printf '%-85s %8s %8s %10s\n' "query '$q'" "$c" "$m" "$extra"
done
echo "the spec queries one by one add ${total}% of show's CPU time"
show_rss=$(tr ' ' '\n' <<<"${rss[show]}" | grep . | median)
awk -v s="$show_cpu" -v b="$base_cpu" -v r="$show_rss" -v f="$(stat -c %s "$file")" 'BEGIN {
  printf "show --file: %+.1f%% CPU over the parse alone (target: at most +25%%), peak RSS %.2fx the file (target: at most 1)\n", 100 * (s - b) / b, r * 1024 / f }'
