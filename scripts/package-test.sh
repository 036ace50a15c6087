#!/bin/sh
# Builds the Debian package the way a release does (a clean Release build without tests, then
# CPack with dpkg-shlibdeps), shows it with dpkg-deb -I / -c, and checks that its Depends names
# the runtime libraries and its files sit where Debian puts them.
#
#   scripts/package-test.sh            build and inspect build-package/e2e3d-metrics_*.deb
#   scripts/package-test.sh --install  also `apt-get install` the .deb on this machine (changes
#                                      the system: as root, on a machine you may modify) and
#                                      check the installed binary, man page and completions
#
# Needs: cmake, ninja, dpkg-dev (dpkg-shlibdeps), and the build dependencies of
# scripts/install-deps.sh.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-package}
install_it=no
[ "${1:-}" = "--install" ] && install_it=yes

fail() {
    echo "package-test: FAIL: $*" >&2
    exit 1
}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DE2E3D_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
rm -f "$build"/e2e3d-metrics_*.deb
(cd "$build" && cpack -G DEB)

deb=$(ls "$build"/e2e3d-metrics_*.deb)
echo "== $deb"
dpkg-deb -I "$deb"
contents=$(dpkg-deb -c "$deb")
echo "$contents"

depends=$(dpkg-deb -f "$deb" Depends)
for package in libc6 libstdc++6 libcurl4 libfmt9 libre2-9 libyaml-cpp0.7; do
    # The binary may not link a library yet (a command that uses it may not exist); require
    # the package only when the binary needs the library.
    case $package in
        libyaml-cpp0.7) readelf -d "$build/e2e3d-metrics" | grep -q 'libyaml-cpp' || continue ;;
    esac
    echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qxF "$package" ||
        fail "Depends lacks $package: $depends"
done
for file in ./usr/bin/e2e3d-metrics ./usr/share/man/man1/e2e3d-metrics.1.gz \
    ./usr/share/bash-completion/completions/e2e3d-metrics \
    ./usr/share/zsh/vendor-completions/_e2e3d-metrics \
    ./usr/share/fish/vendor_completions.d/e2e3d-metrics.fish; do
    echo "$contents" | grep -q " $file\$" || fail "the package lacks $file"
done
# CPACK_STRIP_FILES: the packaged binary carries no debug sections.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
if readelf -S "$tmp/usr/bin/e2e3d-metrics" | grep -q '\.debug_info'; then
    fail "the packaged binary is not stripped"
fi
echo "package-test: $deb: Depends and files OK"

[ "$install_it" = yes ] || exit 0

apt-get install -y "$deb"
/usr/bin/e2e3d-metrics --version
man -w e2e3d-metrics | grep -q '^/usr/share/man/man1/e2e3d-metrics.1.gz$' || fail "man does not find the page"
bash -c '. /usr/share/bash-completion/bash_completion && __load_completion e2e3d-metrics &&
    complete -p e2e3d-metrics' || fail "bash-completion does not load the completion"
zsh -fc 'autoload -U compinit && compinit -u -d /dev/null && (( $+_comps[e2e3d-metrics] ))' ||
    fail "zsh does not find the completion"
fish -c 'complete -C"e2e3d-metrics doc"' | grep -q '^doctor' || fail "fish does not complete"
echo "package-test: installed $(dpkg-query -W -f '${Package} ${Version}' e2e3d-metrics): OK"
