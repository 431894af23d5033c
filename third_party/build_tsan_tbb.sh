#!/usr/bin/env bash
# Builds oneTBB with ThreadSanitizer from Debian's own source package into
# build/tbb-tsan/install, for the `tsan` preset (./selfplay.sh tsan).
#
# Why: Debian's prebuilt libtbb is not instrumented, so TSan reports false
# races inside task_group internals, and suppressing them would also hide real
# races in our code. An instrumented oneTBB gives a clean, meaningful report.
# Nothing is vendored: the source comes from apt (deb-src) at build time.
#
# Idempotent: an existing install is kept, a fetched source is reused.
# Set SELFPLAY_TSAN_TBB_REBUILD=1 to rebuild over an existing install.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/build/tbb-tsan
prefix=$root/install
log=$root/build.log
say() { echo "build_tsan_tbb: $*" >&2; }
die() { say "error: $*"; exit 1; }

if [ -z "${SELFPLAY_TSAN_TBB_REBUILD:-}" ] &&
   { [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ] ||
     [ -f "$prefix/lib64/cmake/TBB/TBBConfig.cmake" ]; }; then
  say "instrumented oneTBB already installed in $prefix (SELFPLAY_TSAN_TBB_REBUILD=1 rebuilds it)"
  exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
apt_updated=""
apt_update() {
  [ -n "$apt_updated" ] && return 0
  say "apt-get update"
  $sudo apt-get update -qq || die "apt-get update failed; is the Debian mirror reachable?"
  apt_updated=1
}

# apt-get source unpacks with dpkg-source, which is in dpkg-dev.
if ! command -v dpkg-source >/dev/null; then
  say "installing dpkg-dev (needed by apt-get source)"
  apt_update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends dpkg-dev \
    >/dev/null || die "could not install dpkg-dev"
fi

# Debian 12 keeps deb822 sources (/etc/apt/sources.list.d/debian.sources,
# Types: deb); add the matching deb-src entry once, in a file of its own.
src_list=/etc/apt/sources.list.d/selfplay-deb-src.sources
if ! grep -rqsE '^Types:.*deb-src|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  say "enabling Debian source packages (bookworm main) in $src_list"
  printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' \
    'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
    $sudo tee "$src_list" >/dev/null
  apt_update
fi

mkdir -p "$root/src"
if ! ls -d "$root"/src/onetbb-*/ >/dev/null 2>&1; then
  say "fetching Debian's onetbb source package into $root/src"
  if ! (cd "$root/src" && apt-get source -qq onetbb >/dev/null 2>"$log"); then
    # The source lists may be stale or never fetched: update once and retry.
    apt_update
    (cd "$root/src" && apt-get source -qq onetbb >/dev/null 2>"$log") || {
      cat "$log" >&2
      die "apt-get source onetbb failed: apt cannot provide Debian's oneTBB source" \
        "(needs a deb-src entry for bookworm main and a reachable mirror)"
    }
  fi
fi
source_dir=$(ls -d "$root"/src/onetbb-*/ | head -n 1)
source_dir=${source_dir%/}

say "configuring $source_dir with TBB_SANITIZE=thread (log: $log)"
cmake -S "$source_dir" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTBB_SANITIZE=thread -DTBB_STRICT=OFF -DTBB_TEST=OFF -DTBBMALLOC_BUILD=OFF \
  -DTBB_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >"$log" 2>&1 ||
  { tail -n 30 "$log" >&2; die "configuring oneTBB failed"; }
say "building (-j2)"
cmake --build "$root/build" -j 2 >>"$log" 2>&1 ||
  { tail -n 30 "$log" >&2; die "building oneTBB failed"; }
cmake --install "$root/build" >>"$log" 2>&1 ||
  { tail -n 30 "$log" >&2; die "installing oneTBB failed"; }
say "installed into $prefix"
