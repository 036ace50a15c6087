#!/usr/bin/env bash
# Installs everything the build, the tests and the benchmarks need, from Debian packages only.
# Idempotent: packages already present are left alone and apt is not even asked.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache clang-format
  libcli11-dev libfmt-dev libcurl4-openssl-dev catch2 libyaml-cpp-dev nlohmann-json3-dev libre2-dev
  python3 python3-prometheus-client  # the real Python exporter the tests run
  prometheus                         # Prometheus 2.42 + promtool: differential tests, benchmarks
  curl time                          # peers in bench/, /usr/bin/time for peak RSS
  openssl                            # certificates for the TLS tests
  bash-completion zsh fish           # the completion tests drive each shell
  groff-base man-db dpkg-dev         # man page lint, install test, CPack's dpkg-shlibdeps
  clang libclang-rt-14-dev           # libFuzzer targets (scripts/fuzz.sh)
  docker.io docker-compose util-linux  # container tests: a real dockerd, Compose 1.29, setpriv
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

# The Debian prometheus packages start their daemons where an init system runs; the tests start
# their own on ephemeral ports and must not find port 9090 or 9100 taken by surprise.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  "${sudo[@]}" systemctl stop prometheus prometheus-node-exporter || true
fi
