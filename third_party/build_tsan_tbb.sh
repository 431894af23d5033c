#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer from Debian's own source package into
# build/tbb-tsan/install, for the `tsan` preset.
#
# Why: Debian's prebuilt libtbb is not instrumented, so TSan reports false
# races inside task_group internals, and suppressing them would also hide real
# races in our code. An instrumented oneTBB gives a clean, meaningful report.
# Nothing is vendored: the source comes from apt (deb-src) at build time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=build/tbb-tsan
prefix=$PWD/$root/install
if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ] ||
   [ -f "$prefix/lib64/cmake/TBB/TBBConfig.cmake" ]; then
  echo "build_tsan_tbb: instrumented oneTBB already in $prefix" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
if ! command -v dpkg-source >/dev/null; then
  $sudo apt-get install -y -qq dpkg-dev >/dev/null
fi
# Debian 12 keeps deb822 sources; add the matching deb-src entry once.
src_list=/etc/apt/sources.list.d/selfplay-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "build_tsan_tbb: enabling Debian source packages in $src_list" >&2
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
    $sudo tee "$src_list" >/dev/null
  $sudo apt-get update -qq
fi
mkdir -p "$root/src"
if ! ls -d "$root"/src/onetbb-*/ >/dev/null 2>&1; then
  echo "build_tsan_tbb: fetching Debian's onetbb source package" >&2
  (cd "$root/src" && apt-get source -qq onetbb >/dev/null) || {
    echo "build_tsan_tbb: apt-get source onetbb failed; is deb.debian.org reachable?" >&2
    exit 1
  }
fi
source_dir=$(ls -d "$PWD/$root"/src/onetbb-*/ | head -n 1)
echo "build_tsan_tbb: building $source_dir with -fsanitize=thread" >&2
cmake -S "$source_dir" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTBB_SANITIZE=thread -DTBB_STRICT=OFF -DTBB_TEST=OFF -DTBBMALLOC_BUILD=OFF \
  -DTBB_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$root/build" >/dev/null
cmake --install "$root/build" >/dev/null
echo "build_tsan_tbb: installed into $prefix" >&2
