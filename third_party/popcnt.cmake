# SELFPLAY_POPCNT: compile the library with -mpopcnt. AUTO (the default) turns
# it on when the compiler takes the flag and the build machine's CPU has the
# instruction (x86-64 since 2008); set OFF to build for an older CPU.
set(SELFPLAY_POPCNT AUTO CACHE STRING "Use the popcnt instruction: AUTO, ON or OFF")
if(SELFPLAY_POPCNT STREQUAL "AUTO")
  include(CheckCXXSourceRuns)
  set(CMAKE_REQUIRED_FLAGS -mpopcnt)
  check_cxx_source_runs([[
    int main() { return __builtin_cpu_supports("popcnt") ? 0 : 1; }
  ]] SELFPLAY_CPU_HAS_POPCNT)
  unset(CMAKE_REQUIRED_FLAGS)
  if(SELFPLAY_CPU_HAS_POPCNT)
    set(SELFPLAY_POPCNT ON)
  else()
    set(SELFPLAY_POPCNT OFF)
  endif()
endif()
message(STATUS "selfplay: popcnt instruction ${SELFPLAY_POPCNT}")
