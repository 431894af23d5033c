# Installs selfplay into a fresh prefix, then builds examples/nim and
# examples/library_tour against it as a user would, and runs the nim program,
# the installed CLI with the nim plugin, and the library tour with it. Run by
# ctest (package_tests.cmake) with:
#   SELFPLAY_BUILD_DIR  the built selfplay tree to install
#   EXAMPLES_DIR        examples/
#   WORK_DIR            scratch directory, emptied first
#   GENERATOR, BUILD_TYPE, SANITIZE, TBB_DIR, absl_DIR  as the library's build

# Runs a command; fails the test with its output unless it exits 0 and its
# stdout contains every one of EXPECT.
function(run)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "COMMAND;EXPECT")
  execute_process(COMMAND ${arg_COMMAND}
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    list(JOIN arg_COMMAND " " command)
    message(FATAL_ERROR "`${command}` exited with ${code}:\n${out}\n${err}")
  endif()
  foreach(expected IN LISTS arg_EXPECT)
    string(FIND "${out}" "${expected}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "no '${expected}' in the output of "
        "`${arg_COMMAND}`:\n${out}")
    endif()
  endforeach()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(nim_build ${WORK_DIR}/nim)
set(tour_build ${WORK_DIR}/library_tour)
file(REMOVE_RECURSE ${WORK_DIR})

run(COMMAND ${CMAKE_COMMAND} --install ${SELFPLAY_BUILD_DIR} --prefix ${prefix})
foreach(installed
    include/selfplay/game.h include/selfplay/plugin.h bin/selfplay
    lib/cmake/selfplay/selfplayConfig.cmake
    lib/cmake/selfplay/selfplayConfigVersion.cmake
    lib/cmake/selfplay/selfplayTargets.cmake)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "the install did not write ${installed}")
  endif()
endforeach()

set(configure_flags -G ${GENERATOR} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  -DCMAKE_PREFIX_PATH=${prefix} -DTBB_DIR=${TBB_DIR} -Dabsl_DIR=${absl_DIR})
if(SANITIZE)
  list(APPEND configure_flags -DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE}
    -DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=${SANITIZE})
endif()
foreach(example nim library_tour)
  run(COMMAND ${CMAKE_COMMAND} -S ${EXAMPLES_DIR}/${example}
    -B ${WORK_DIR}/${example} ${configure_flags})
  run(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/${example} -j 2)
endforeach()

run(COMMAND ${nim_build}/nim_selfplay 3000
  EXPECT "3000 games played, 0 failed" "nim-sum-nonzero" "clear-heap")
run(COMMAND ${prefix}/bin/selfplay games --game-lib ${nim_build}/libnim.so
  EXPECT "nim " "checkers")
run(COMMAND ${prefix}/bin/selfplay simulate --game-lib ${nim_build}/libnim.so
    --game nim --games 3000 --threads 2 --noprogress
  EXPECT "tokens-taken" "clear-heap")
run(COMMAND ${tour_build}/library_tour ${nim_build}/libnim.so
    ${WORK_DIR}/library_tour_files
  EXPECT "stopped part-way" "equal the uninterrupted run's"
    "equal the in-process run's" "every check passed")
