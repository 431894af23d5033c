// Output files that are never half-written: the contents go to a temporary
// file beside the target, are flushed to disk, then renamed over it.
#ifndef SELFPLAY_CLI_OUTPUT_FILE_H_
#define SELFPLAY_CLI_OUTPUT_FILE_H_

#include <string>

#include "absl/status/status.h"

namespace selfplay::cli {

// Checks up front that `path` can be written (its directory exists and is
// writable, and it is not a directory), so a long run does not fail at the
// end. PermissionDenied / NotFound / InvalidArgument naming the path.
[[nodiscard]] absl::Status check_writable(const std::string& path);

// Writes `contents` to `path` atomically.
[[nodiscard]] absl::Status write_file_atomically(const std::string& path,
                                                 const std::string& contents);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_OUTPUT_FILE_H_
