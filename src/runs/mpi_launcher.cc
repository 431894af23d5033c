#include "selfplay/mpi_launcher.h"

#include <cstdlib>

#include "absl/strings/numbers.h"

namespace selfplay {
namespace {

// The variable's value as a count, 0 when unset or not a number.
int count_from_environment(const char* name) {
  const char* value = std::getenv(name);
  int count = 0;
  if (value == nullptr || !absl::SimpleAtoi(value, &count)) return 0;
  return count;
}

}  // namespace

MpiLauncher detect_mpi_launcher() {
  MpiLauncher launcher;
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const int processes = count_from_environment(name); processes > 0) {
      launcher.detected = true;
      launcher.processes = processes;
      return launcher;
    }
  }
  launcher.detected = std::getenv("PMIX_RANK") != nullptr;
  return launcher;
}

}  // namespace selfplay
