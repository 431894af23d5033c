# Fails when a file of the library, its public headers or the examples
# includes a project header of a higher layer (README.md, "Architecture").
# Run by ctest (tests/CMakeLists.txt) as
#   cmake -DSOURCE_DIR=<repository root> -P layering_check.cmake
#
# LAYERS is the one map from a path, or a folder ending in "/", to its layer;
# the longest match wins. A file or an included project header that no entry
# matches fails the check too, so that every new file gets a layer.
set(LAYERS
  # 0 contract: what a game author implements and declares.
  include/selfplay/game.h=0
  include/selfplay/game_structure.h=0
  include/selfplay/random.h=0
  include/selfplay/plugin.h=0
  src/state.cc=0
  src/game_structure.cc=0
  # 1 games and features.
  include/selfplay/registry.h=1
  include/selfplay/features.h=1
  include/selfplay/position_summary.h=1
  include/selfplay/bitboard_lines.h=1
  include/selfplay/vector_kernels.h=0
  src/registry.cc=1
  # Plugin loading fills a registry with a plugin's games.
  include/selfplay/plugin_loader.h=1
  src/plugin_loader.cc=1
  src/games/=1
  src/features/=1
  # 2 engine: the game loop and runner, counts, records of games, statistics.
  # The Policy interface is the engine's: a seat's decision is a call it
  # makes; the players that implement it sit above.
  include/selfplay/policy.h=2
  include/selfplay/simulation.h=2
  include/selfplay/counts.h=2
  include/selfplay/records.h=2
  include/selfplay/statistics.h=2
  include/selfplay/logistic_model.h=2
  include/selfplay/match_result.h=2
  include/selfplay/sprt.h=2
  include/selfplay/elo_ratings.h=2
  include/selfplay/perft.h=2
  include/selfplay/run_config.h=2
  include/selfplay/limits.h=2
  src/simulation/=2
  # File and text helpers (atomic output files, UTF-8) that runs and
  # frontends share; they include nothing of the project.
  src/io/=2
  src/statistics.cc=2
  src/logistic_model.cc=2
  src/match_result.cc=2
  # A match's JSON, shared by the model's records and play --json.
  src/match_json.h=2
  src/match_json.cc=2
  src/sprt.cc=2
  src/elo_ratings.cc=2
  src/perft.cc=2
  # 2.5 the model: learned objectives and weights, loaded and saved; below
  # the players that use it.
  include/selfplay/model.h=2.5
  src/model.cc=2.5
  # 3 players.
  include/selfplay/mcts.h=3
  include/selfplay/objective_players.h=3
  include/selfplay/players.h=3
  src/policies/=3
  # 4 runs: long runs (records files, checkpoints), isolation, distributed
  # runs, the result's reports, matches, training, scaling.
  include/selfplay/record_file.h=4
  include/selfplay/long_run.h=4
  include/selfplay/isolated_run.h=4
  include/selfplay/distributed.h=4
  include/selfplay/result_output.h=4
  include/selfplay/match_output.h=4
  include/selfplay/evaluation.h=4
  include/selfplay/evolution.h=4
  include/selfplay/training.h=4
  include/selfplay/scaling.h=4
  include/selfplay/scaling_model.h=4
  include/selfplay/scaling_report.h=4
  include/selfplay/training_run.h=4
  include/selfplay/interrupt.h=4
  include/selfplay/mpi_launcher.h=4
  src/records/=4
  src/runs/=4
  src/isolation/=4
  src/mpi/=4
  src/reports/=4
  src/training/=4
  src/scaling/=4
  # 5 frontends.
  src/cli/=5
  examples/=5)

# Sets `out` to the layer of `path` (relative to SOURCE_DIR), or "" when no
# entry matches.
function(layer_of path out)
  set(best_length 0)
  set(best "")
  foreach(entry IN LISTS LAYERS)
    string(REPLACE "=" ";" pair ${entry})
    list(GET pair 0 prefix)
    list(GET pair 1 layer)
    string(LENGTH ${prefix} length)
    string(SUBSTRING "${path}" 0 ${length} start)
    if(start STREQUAL prefix AND length GREATER best_length AND
       (path STREQUAL prefix OR prefix MATCHES "/$"))
      set(best_length ${length})
      set(best ${layer})
    endif()
  endforeach()
  set(${out} "${best}" PARENT_SCOPE)
endfunction()

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<root> -P layering_check.cmake")
endif()
file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/include/selfplay/*.h ${SOURCE_DIR}/src/*.h
  ${SOURCE_DIR}/src/*.cc ${SOURCE_DIR}/examples/*.h
  ${SOURCE_DIR}/examples/*.cc)
set(problems "")
set(unmapped "")
foreach(file IN LISTS files)
  layer_of(${file} layer)
  if(layer STREQUAL "")
    list(APPEND unmapped ${file})
    continue()
  endif()
  get_filename_component(directory ${file} DIRECTORY)
  file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^#include \"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${line}")
    # Project headers resolve as the build resolves them: include/ (public),
    # src/ (private), or beside the including file; anything else (Abseil,
    # oneTBB, nlohmann) is not the project's.
    set(resolved "")
    foreach(candidate include/${header} src/${header} ${directory}/${header})
      if(resolved STREQUAL "" AND EXISTS ${SOURCE_DIR}/${candidate})
        set(resolved ${candidate})
      endif()
    endforeach()
    if(resolved STREQUAL "")
      continue()
    endif()
    layer_of(${resolved} included_layer)
    if(included_layer STREQUAL "")
      list(APPEND unmapped ${resolved})
    elseif(included_layer GREATER layer)
      string(APPEND problems "${file} (layer ${layer}) includes ${header} "
        "(layer ${included_layer})\n")
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES unmapped)
foreach(file IN LISTS unmapped)
  string(APPEND problems "${file} has no layer: add it to LAYERS in "
    "tests/layering_check.cmake\n")
endforeach()
if(problems)
  message(FATAL_ERROR "layering:\n${problems}")
endif()
list(LENGTH files count)
message(STATUS "layering: ${count} files, no include of a higher layer")
