# Checks of what `cmake --install` ships (cmake/install.cmake):
# - every public header compiles on its own, seeing only the library's usage
#   requirements (include/, oneTBB, Abseil; not src/): one generated
#   translation unit per header, built with the tests;
# - projects outside this tree configure against the installed package,
#   build and run (package_consumer_test.cmake), as one ctest test that
#   installs once: examples/nim as a program and as a plugin of the
#   installed CLI, examples/library_tour (long, isolated and plugin runs
#   and the JSON through the public API, checking its own results), and
#   examples/octapawn (docs/api.md's board game: a program that trains and
#   plays a model, and a plugin the CLI trains and plays).

file(GLOB SELFPLAY_PUBLIC_HEADERS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/include/selfplay/*.h)
set(SELFPLAY_HEADER_SOURCES)
foreach(header IN LISTS SELFPLAY_PUBLIC_HEADERS)
  get_filename_component(name ${header} NAME)
  get_filename_component(stem ${header} NAME_WE)
  set(source ${CMAKE_CURRENT_BINARY_DIR}/public_headers/${stem}_alone.cc)
  # Included twice: the second inclusion checks the include guard.
  file(CONFIGURE OUTPUT ${source} CONTENT
    "#include \"selfplay/${name}\"\n#include \"selfplay/${name}\"\n")
  list(APPEND SELFPLAY_HEADER_SOURCES ${source})
endforeach()
add_library(selfplay_public_headers OBJECT ${SELFPLAY_HEADER_SOURCES})
target_link_libraries(selfplay_public_headers PRIVATE selfplay)

# The consumer builds with the sanitizer and the oneTBB and Abseil packages
# that the library was built with, or it could not link it.
add_test(NAME Package.ExamplesBuildAndRunAgainstTheInstalledPackage
  COMMAND ${CMAKE_COMMAND}
    -DSELFPLAY_BUILD_DIR=${PROJECT_BINARY_DIR}
    -DEXAMPLES_DIR=${PROJECT_SOURCE_DIR}/examples
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package_consumer
    -DGENERATOR=${CMAKE_GENERATOR}
    -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    -DSANITIZE=${SELFPLAY_SANITIZE}
    -DTBB_DIR=${TBB_DIR}
    -Dabsl_DIR=${absl_DIR}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/package_consumer_test.cmake)
set_tests_properties(Package.ExamplesBuildAndRunAgainstTheInstalledPackage
  PROPERTIES TIMEOUT 300)
