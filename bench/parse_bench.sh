#!/usr/bin/env bash
# Times our parse against `promtool check metrics` on the same scrape file, side by side in one
# run (alternating, so both see the same machine load), and prints medians and ratios of wall
# time, CPU time (user + system) and peak RSS (from /usr/bin/time -v).
#
#   bench/parse_bench.sh [-n RUNS] [-f FILE] [-j JOBS] [-- COMMAND...]
#
# COMMAND defaults to `build/e2e3d-metrics show --file`; the file is appended, or replaces {}
# where the command has it. Without -f, bench/gen_scrape.py makes bench/data/e2e3d_JOBS.txt
# (JOBS defaults to 1,000,000: about 226 MB, 2,000,000 job series).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=3
jobs=1000000
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -f) file="$2"; shift 2 ;;
    -j) jobs="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "parse_bench.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
command=("$@")
if [[ ${#command[@]} -eq 0 ]]; then command=("$root/build/e2e3d-metrics" show --file); fi

if [[ ! -x /usr/bin/time ]]; then
  echo "parse_bench.sh: /usr/bin/time is missing: apt-get install time" >&2
  exit 3
fi
if ! command -v promtool >/dev/null; then
  echo "parse_bench.sh: promtool is missing: apt-get install prometheus" >&2
  exit 3
fi
if [[ -z "$file" ]]; then
  file="$here/data/e2e3d_${jobs}.txt"
  [[ -f "$file" ]] || /usr/bin/python3 "$here/gen_scrape.py" --jobs "$jobs" --output "$file"
fi
size=$(stat -c %s "$file")

ours=()
placed=0
for word in "${command[@]}"; do
  if [[ "$word" == *"{}"* ]]; then ours+=("${word//\{\}/$file}"); placed=1; else ours+=("$word"); fi
done
[[ $placed -eq 1 ]] || ours+=("$file")

results="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$results" "$log"' EXIT

# One measurement: NAME WALL CPU RSS_KB EXIT
measure() {
  local name="$1"; shift
  local status=0 start end
  # Wall time from the clock around the run: /usr/bin/time prints it in hundredths of a
  # second, too coarse for a run of 0.2 s.
  start=$(date +%s%N)
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || status=$?
  end=$(date +%s%N)
  awk -v name="$name" -v status="$status" -v wall="$(( (end - start) / 1000 ))e-6" '
    /User time/ { user = $NF } /System time/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%s %.3f %.3f %d %d\n", name, wall, user + sys, rss, status }' "$log" >> "$results"
  tail -n 1 "$results" | awk -v size="$size" '{ printf "  %-9s wall %7.3f s  cpu %7.3f s  peak rss %7.1f MB (%.2fx file)  exit %d\n", $1, $2, $3, $4/1024, $4*1024/size, $5 }'
}

echo "file: $file ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s/1e6 }'))"
echo "ours: ${ours[*]}"
echo "promtool: promtool check metrics < $file"
for ((i = 1; i <= runs; i++)); do
  echo "run $i/$runs"
  measure ours "${ours[@]}"
  measure promtool sh -c 'exec promtool check metrics < "$1"' sh "$file"
done

awk -v size="$size" '
  function median(list, count,   i, j, t) {
    for (i = 2; i <= count; i++) for (j = i; j > 1 && list[j-1] > list[j]; j--) { t = list[j]; list[j] = list[j-1]; list[j-1] = t }
    return count % 2 ? list[(count+1)/2] : (list[count/2] + list[count/2+1]) / 2
  }
  { n[$1]++; wall[$1, n[$1]] = $2; cpu[$1, n[$1]] = $3; rss[$1, n[$1]] = $4; if ($5 != 0) bad[$1] = $5 }
  END {
    for (who in n) {
      delete w; delete c; delete r
      for (i = 1; i <= n[who]; i++) { w[i] = wall[who, i]; c[i] = cpu[who, i]; r[i] = rss[who, i] }
      mw[who] = median(w, n[who]); mc[who] = median(c, n[who]); mr[who] = median(r, n[who])
    }
    printf "\nmedians over %d runs\n", n["ours"]
    printf "  %-9s wall %7.3f s  cpu %7.3f s  peak rss %7.1f MB = %.2fx the file\n", "ours", mw["ours"], mc["ours"], mr["ours"]/1024, mr["ours"]*1024/size
    printf "  %-9s wall %7.3f s  cpu %7.3f s  peak rss %7.1f MB = %.2fx the file\n", "promtool", mw["promtool"], mc["promtool"], mr["promtool"]/1024, mr["promtool"]*1024/size
    printf "ratios: promtool/ours wall %.1fx, cpu %.1fx; peak rss ours/file %.2f (target: >= 20x faster, <= 1.00)\n", mw["promtool"]/mw["ours"], mc["promtool"]/mc["ours"], mr["ours"]*1024/size
    if ("ours" in bad) printf "warning: our command exited with status %d\n", bad["ours"]
  }' "$results"
