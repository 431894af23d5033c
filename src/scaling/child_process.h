// Runs another program and collects what it printed: gnuplot for the plots
// of `selfplay scale`, and this binary again for each point of the memory
// experiment, so that every point's peak RSS is its own process's.
//
//   absl::StatusOr<ChildResult> child = run_child({"/usr/bin/gnuplot",
//   "p.gp"}); if (child.ok() && child->exit_code == 0) { ... child->out ... }
#ifndef SELFPLAY_SCALING_CHILD_PROCESS_H_
#define SELFPLAY_SCALING_CHILD_PROCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace selfplay {

struct ChildResult {
  int exit_code = 0;  // 128 + the signal when a signal ended it
  std::string out;    // its stdout
  std::string err;    // its stderr
};

// Runs `argv` (argv[0] a path; no PATH search) in `working_directory` (empty:
// this process's) with stdin from /dev/null, and waits for it. Internal when
// the process cannot be started; a program that starts and fails is an ok
// result with its exit code.
[[nodiscard]] absl::StatusOr<ChildResult> run_child(
    const std::vector<std::string>& argv,
    const std::string& working_directory = "");

// The first executable `name` in $PATH, if any.
std::optional<std::string> find_in_path(const std::string& name);

// The path of the running executable (/proc/self/exe).
std::string own_executable();

}  // namespace selfplay

#endif  // SELFPLAY_SCALING_CHILD_PROCESS_H_
