# Installs selfplay into a fresh prefix, then builds examples/nim and
# examples/library_tour and examples/octapawn against it as a user would, and
# runs the nim program, the installed CLI with the nim plugin, the library
# tour with it, and the octapawn program and the CLI with its plugin. Run by
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
set(octapawn_build ${WORK_DIR}/octapawn)
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
foreach(example nim library_tour octapawn)
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

# The walkthrough of docs/api.md: the features it lists, a model trained by
# the program and one by the CLI, each loaded and played by the program.
run(COMMAND ${octapawn_build}/octapawn_selfplay features
  EXPECT "pawn-count-lead-5" "pawn-center-control" "pawn-back-row-at-least-2"
    "pawn-passed-count-not-behind" "mobility-disadvantage")
run(COMMAND ${octapawn_build}/octapawn_selfplay simulate 2000
  EXPECT "2000 games")
run(COMMAND ${octapawn_build}/octapawn_selfplay train
    ${WORK_DIR}/program-model.json
  EXPECT "objectives written")
run(COMMAND ${octapawn_build}/octapawn_selfplay play
    ${WORK_DIR}/program-model.json 200
  EXPECT "greedy won ")
run(COMMAND ${prefix}/bin/selfplay train
    --game-lib ${octapawn_build}/liboctapawn.so --game octapawn
    --iterations 1 --games-per-iteration 2000 --oracle random
    --evaluation-games 20 --threads 2 --noprogress
    --out ${WORK_DIR}/cli-model.json)
run(COMMAND ${octapawn_build}/octapawn_selfplay play ${WORK_DIR}/cli-model.json
    200
  EXPECT "greedy won ")
run(COMMAND ${prefix}/bin/selfplay play
    --game-lib ${octapawn_build}/liboctapawn.so --game octapawn
    --model ${WORK_DIR}/cli-model.json --vs random --games 100 --threads 2)
