# `cmake --install <build> --prefix P` installs what users build against:
#   include/selfplay/*.h            the public headers
#   lib/libselfplay.a               the library (static; with
#                                   -DBUILD_SHARED_LIBS=ON, libselfplay.so)
#   bin/selfplay                    the CLI, which loads game plugins
#   lib/libselfplay_mpi.a           with MPI: distributed runs
#   lib/cmake/selfplay/             the CMake package: find_package(selfplay
#                                   CONFIG) gives the target selfplay::selfplay
#                                   and, with MPI, selfplay::mpi
# Tests, benchmarks and their helper programs are not installed.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SELFPLAY_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/selfplay)

target_include_directories(selfplay
  PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(selfplay PROPERTIES
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
# The installed CLI still finds the libraries it was linked with outside the
# system directories (Open MPI's, an instrumented oneTBB) and, when shared,
# the installed libselfplay.so.
set_target_properties(selfplay_cli PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
if(BUILD_SHARED_LIBS)
  set_target_properties(selfplay_cli PROPERTIES
    INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
endif()

# selfplay_mpi exists when MPI was found (third_party/mpi.cmake); the package
# then looks for MPI too (selfplayConfig.cmake.in).
set(SELFPLAY_PACKAGE_HAS_MPI OFF)
set(selfplay_library_targets selfplay)
if(TARGET selfplay_mpi)
  set(SELFPLAY_PACKAGE_HAS_MPI ON)
  list(APPEND selfplay_library_targets selfplay_mpi)
  set_target_properties(selfplay_mpi PROPERTIES
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
endif()
install(TARGETS ${selfplay_library_targets} EXPORT selfplayTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS selfplay_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/selfplay
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

install(EXPORT selfplayTargets
  NAMESPACE selfplay::
  DESTINATION ${SELFPLAY_INSTALL_CMAKEDIR})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/selfplayConfig.cmake.in
  ${PROJECT_BINARY_DIR}/selfplayConfig.cmake
  INSTALL_DESTINATION ${SELFPLAY_INSTALL_CMAKEDIR})
# Before 1.0 a minor version may change the API.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/selfplayConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/selfplayConfig.cmake
  ${PROJECT_BINARY_DIR}/selfplayConfigVersion.cmake
  DESTINATION ${SELFPLAY_INSTALL_CMAKEDIR})
