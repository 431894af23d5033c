# Finds selfplay's dependencies among the system's (Debian's) packages.
# Nothing is fetched or vendored: a missing package is a configure error that
# names the Debian package to install.

function(selfplay_require_package package debian_package)
  find_package(${package} ${ARGN} QUIET)
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR
      "selfplay needs ${package}: install it with `apt-get install ${debian_package}` "
      "(or run ./selfplay.sh deps).")
  endif()
endfunction()

find_package(Threads REQUIRED)
selfplay_require_package(TBB libtbb-dev CONFIG)
selfplay_require_package(absl libabsl-dev CONFIG)
selfplay_require_package(nlohmann_json nlohmann-json3-dev CONFIG)
selfplay_require_package(ZLIB zlib1g-dev)
selfplay_require_package(CLI11 libcli11-dev CONFIG)

if(SELFPLAY_BUILD_TESTS)
  selfplay_require_package(GTest "libgtest-dev libgmock-dev" CONFIG)
endif()
if(SELFPLAY_BUILD_BENCH)
  selfplay_require_package(benchmark libbenchmark-dev CONFIG)
endif()
