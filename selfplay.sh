#!/usr/bin/env bash
# One entry point for newcomers and CI:
#   ./selfplay.sh simulate [selfplay simulate flags]   install, build, run
#   ./selfplay.sh test                                  install, build, ctest, then
#                                                       a few seconds of each fuzzer
#   ./selfplay.sh bench                                 install, build, benchmarks
#   ./selfplay.sh tsan                                  the tests under ThreadSanitizer
#   ./selfplay.sh deps                                  install missing packages
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(cmake ninja-build g++ libtbb-dev libabsl-dev libgtest-dev libgmock-dev
  libbenchmark-dev nlohmann-json3-dev gnuplot-nox libopenmpi-dev openmpi-bin
  clang-14 libfuzzer-14-dev zlib1g-dev libcli11-dev
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-tqdm)

# Installs the Debian packages that are missing, and only those.
deps() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "selfplay.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  cmake --preset release >/dev/null
  cmake --build --preset release
}

command=${1:-simulate}
shift || true
case "$command" in
  deps) deps ;;
  simulate)
    deps && build
    if [ $# -eq 0 ]; then set -- --game checkers --games 20000 --threads 0; fi
    build/release/selfplay simulate "$@"
    ;;
  test) deps && cmake --workflow --preset test && cmake --workflow --preset fuzz ;;
  bench) deps && build && cmake --build --preset release --target bench ;;
  tsan)
    deps
    third_party/build_tsan_tbb.sh
    export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
    cmake --workflow --preset tsan
    ;;
  *) echo "usage: ./selfplay.sh [deps|simulate|test|bench|tsan] [flags]" >&2; exit 2 ;;
esac
