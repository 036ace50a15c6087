#!/usr/bin/env bash
# Scraping a fleet: N loopback exporters (tests/support/fleet_server.py, one Python process)
# scraped in one run by our fleet scraper, against one target alone and against a sequential
# `curl` loop over the same URLs. Prints every run, the medians and the ratios.
#
#   bench/fleet_bench.sh [-n RUNS] [-t TARGETS] [-p PARALLELISM] [-d DELAY] [-b BUILD_DIR]
#                        [-x TOOL]
#
# BUILD_DIR (default build/) holds test_fleet and e2e3d-metrics; -x names another binary.
# -d holds every exporter's answer DELAY seconds (fleet_server.py --delay), standing for the
# time a real exporter takes to answer plus the network's round trip; without it the loopback
# exporters answer at once and the fleet's time is the Python server's CPU time per request.
# Measured, alternating within each run so all see the same machine load:
#   lib-fleet   test_fleet '[.bench]' on the N-target file (read, scrape_fleet, merge_fleet)
#   lib-one     the same on a file holding only the first target
#   tool-fleet  e2e3d-metrics show --targets-file FILE -o json (when the binary has the option)
#   tool-one    the same on the one-target file
#   curl-loop   for each URL: curl -s -o /dev/null URL (sequential, one process per target)
#   curl-one    curl -s -o /dev/null on the first URL
# Wall times are of the whole process (what a user waits for); lib-* also print the library's
# own time for the scrape alone, and the server's CPU time during the run. Target (issue 6):
# all N in less than 3x the time of one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=5
count=200
parallelism=""
delay=0
build="$root/build"
tool=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -t) count="$2"; shift 2 ;;
    -p) parallelism="$2"; shift 2 ;;
    -d) delay="$2"; shift 2 ;;
    -b) build="$2"; shift 2 ;;
    -x) tool="$2"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "fleet_bench.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
[[ -n "$tool" ]] || tool="$build/e2e3d-metrics"
tests="$build/test_fleet"
if [[ ! -x "$tests" ]]; then
  echo "fleet_bench.sh: $tests is missing: cmake --build $build --target test_fleet" >&2
  exit 3
fi
command -v curl >/dev/null || { echo "fleet_bench.sh: curl is missing" >&2; exit 3; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 -u "$root/tests/support/fleet_server.py" "$count" --delay "$delay" > "$work/ports" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/ports" ]] && break
  sleep 0.1
done
read -r -a ports < "$work/ports" || true
if [[ ${#ports[@]} -ne $count ]]; then
  echo "fleet_bench.sh: fleet_server.py did not start $count listeners: $(cat "$work/server.log")" >&2
  exit 3
fi
for port in "${ports[@]}"; do echo "http://127.0.0.1:$port/metrics"; done > "$work/fleet.txt"
head -n 1 "$work/fleet.txt" > "$work/one.txt"
mapfile -t urls < "$work/fleet.txt"

has_tool=0
if [[ -x "$tool" ]] && "$tool" show --help 2>/dev/null | grep -q -- --targets-file; then has_tool=1; fi

results="$work/results"
: > "$results"
now() { date +%s.%N; }
ticks=$(getconf CLK_TCK)
# CPU seconds (user + system) the exporters' process has used so far.
server_cpu() { awk -v t="$ticks" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$server_pid/stat"; }

# One measurement: NAME WALL [LIBRARY_SCRAPE_SECONDS]
measure() {
  local name="$1"; shift
  local start end status=0 inner="-" cpu_before cpu_after
  cpu_before=$(server_cpu)
  start=$(now)
  "$@" > "$work/out" 2> "$work/err" || status=$?
  end=$(now)
  cpu_after=$(server_cpu)
  if [[ $status -ne 0 ]]; then
    echo "fleet_bench.sh: $name failed (exit $status): $(head -c 2000 "$work/err")" >&2
    exit 1
  fi
  if [[ "$name" == lib-* ]]; then
    if ! grep -q '^fleet-bench ' "$work/out"; then
      echo "fleet_bench.sh: $name printed no fleet-bench line: $(head -c 2000 "$work/out")" >&2
      exit 1
    fi
    inner=$(awk '/^fleet-bench / { for (i = 1; i < NF; i++) if ($i == "scrape") print $(i + 1) }' "$work/out")
  fi
  awk -v n="$name" -v s="$start" -v e="$end" -v i="$inner" -v c="$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { print b - a }')" \
    'BEGIN { printf "%s %.6f %s %.3f\n", n, e - s, i, c }' >> "$results"
  tail -n 1 "$results" | awk '{ printf "  %-10s wall %8.4f s   exporters cpu %6.3f s%s\n", $1, $2, $4, ($3 == "-" ? "" : sprintf("   (scrape alone %.4f s)", $3)) }'
}

lib() {
  env E2E3D_FLEET_TARGETS="$1" ${parallelism:+E2E3D_FLEET_PARALLELISM=$parallelism} \
    "$tests" '[.bench]' 
}
curl_loop() {
  local url
  for url in "${urls[@]}"; do curl -s -o /dev/null "$url"; done
}

echo "targets: $count loopback exporters (fleet_server.py, answers held $delay s), parallelism ${parallelism:-64 (default)}"
[[ $has_tool -eq 1 ]] || echo "tool: $tool has no --targets-file yet: only the library is measured"
for ((run = 1; run <= runs; run++)); do
  echo "run $run/$runs"
  measure lib-fleet lib "$work/fleet.txt"
  measure lib-one lib "$work/one.txt"
  if [[ $has_tool -eq 1 ]]; then
    measure tool-fleet "$tool" show --targets-file "$work/fleet.txt" -o json
    measure tool-one "$tool" show --targets-file "$work/one.txt" -o json
  fi
  measure curl-loop curl_loop
  measure curl-one curl -s -o /dev/null "${urls[0]}"
done

awk -v count="$count" '
  function median(name,   n, i, j, t, v) {
    n = 0
    for (i = 1; i <= total; i++) if (names[i] == name) v[++n] = walls[i]
    if (n == 0) return -1
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function median_cpu(name,   n, i, j, t, v) {
    n = 0
    for (i = 1; i <= total; i++) if (names[i] == name) v[++n] = cpus[i]
    if (n == 0) return -1
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function median_inner(name,   n, i, j, t, v) {
    n = 0
    for (i = 1; i <= total; i++) if (names[i] == name && inners[i] != "-") v[++n] = inners[i]
    if (n == 0) return -1
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { total++; names[total] = $1; walls[total] = $2; inners[total] = $3; cpus[total] = $4 }
  END {
    print "medians (wall):"
    split("lib-fleet lib-one tool-fleet tool-one curl-loop curl-one", order, " ")
    for (k = 1; k <= 6; k++) {
      m = median(order[k])
      if (m < 0) continue
      inner = median_inner(order[k])
      printf "  %-10s %8.4f s   exporters cpu %6.3f s%s\n", order[k], m, median_cpu(order[k]), (inner < 0 ? "" : sprintf("   (scrape alone %.4f s)", inner))
    }
    print "ratios:"
    printf "  lib-fleet / lib-one       %6.2fx wall   %6.2fx scrape alone   (target: < 3x)\n", median("lib-fleet") / median("lib-one"), median_inner("lib-fleet") / median_inner("lib-one")
    if (median("tool-fleet") > 0)
      printf "  tool-fleet / tool-one     %6.2fx wall   (target: < 3x)\n", median("tool-fleet") / median("tool-one")
    printf "  curl-loop / lib-fleet     %6.2fx\n", median("curl-loop") / median("lib-fleet")
    if (median("tool-fleet") > 0)
      printf "  curl-loop / tool-fleet    %6.2fx\n", median("curl-loop") / median("tool-fleet")
    printf "  lib-fleet / curl-one      %6.2fx\n", median("lib-fleet") / median("curl-one")
  }' "$results"
