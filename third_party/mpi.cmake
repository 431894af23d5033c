# MPI for runs spread over several processes and machines (docs/distributed.md).
#
# SELFPLAY_WITH_MPI: AUTO (default) builds the MPI code when
# find_package(MPI COMPONENTS CXX) finds an MPI (Debian: libopenmpi-dev and
# openmpi-bin), ON requires it, OFF leaves it out. The MPI code is the
# optional library target selfplay::mpi (src/mpi, selfplay/distributed.h),
# which the CLI links; selfplay::selfplay stays free of MPI. Sets
# SELFPLAY_MPIEXEC to the launcher that runs the CLI's MPI tests (empty
# without MPI).

set(SELFPLAY_WITH_MPI AUTO CACHE STRING "Build the MPI launcher: AUTO, ON or OFF")
set_property(CACHE SELFPLAY_WITH_MPI PROPERTY STRINGS AUTO ON OFF)

set(SELFPLAY_MPIEXEC "")
string(TOUPPER "${SELFPLAY_WITH_MPI}" selfplay_mpi_mode)
if(selfplay_mpi_mode STREQUAL "AUTO" OR SELFPLAY_WITH_MPI)
  find_package(MPI COMPONENTS CXX QUIET)
  if(MPI_CXX_FOUND)
    file(GLOB SELFPLAY_MPI_SOURCES CONFIGURE_DEPENDS
      ${CMAKE_CURRENT_SOURCE_DIR}/src/mpi/*.cc)
    add_library(selfplay_mpi ${SELFPLAY_MPI_SOURCES})
    add_library(selfplay::mpi ALIAS selfplay_mpi)
    set_target_properties(selfplay_mpi PROPERTIES EXPORT_NAME mpi)
    target_include_directories(selfplay_mpi
      PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(selfplay_mpi PUBLIC selfplay MPI::MPI_CXX
      PRIVATE absl::str_format)
    target_compile_definitions(selfplay_cli PRIVATE SELFPLAY_HAVE_MPI)
    target_link_libraries(selfplay_cli PRIVATE selfplay_mpi)
    set(SELFPLAY_MPIEXEC "${MPIEXEC_EXECUTABLE}")
    message(STATUS "selfplay: MPI runs enabled (${MPIEXEC_EXECUTABLE})")
  elseif(NOT selfplay_mpi_mode STREQUAL "AUTO")
    message(FATAL_ERROR
      "SELFPLAY_WITH_MPI=${SELFPLAY_WITH_MPI} but no MPI was found: install it "
      "with `apt-get install libopenmpi-dev openmpi-bin` (or ./selfplay.sh deps).")
  else()
    message(STATUS "selfplay: no MPI found; building without MPI runs")
  endif()
else()
  message(STATUS "selfplay: MPI runs disabled (SELFPLAY_WITH_MPI=${SELFPLAY_WITH_MPI})")
endif()
