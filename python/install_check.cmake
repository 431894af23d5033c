# Installs the build tree into a fresh prefix and imports the installed
# Python package from there with Debian's interpreter. Run by ctest
# (python/CMakeLists.txt) with BUILD_DIR, PREFIX, PACKAGE_DIR (the package's
# directory under the prefix) and PYTHON.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "cmake --install exited with ${code}:\n${err}")
endif()
set(script [=[
import selfplay, sys
assert selfplay.__file__.startswith(sys.argv[1]), selfplay.__file__
print(selfplay.simulate("tic-tac-toe", games=100, seed=1).games, "games")
]=])
execute_process(COMMAND ${CMAKE_COMMAND} -E env
    PYTHONPATH=${PREFIX}/${PACKAGE_DIR} PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -c "${script}" ${PREFIX}
  # Not where the test runs: `python -c` imports from its working directory
  # first, and the build tree's package is there.
  WORKING_DIRECTORY ${PREFIX}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL "100 games\n")
  message(FATAL_ERROR "the installed package failed (${code}):\n${out}\n${err}")
endif()
file(REMOVE_RECURSE ${PREFIX})
