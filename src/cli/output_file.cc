#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace selfplay::cli {
namespace {

absl::Status io_error(const std::string& what, const std::string& path) {
  return absl::PermissionDeniedError(
      absl::StrCat("cannot ", what, " '", path, "': ", std::strerror(errno)));
}

// Creates a unique temporary file beside `path`; returns its descriptor.
int create_temporary(const std::string& path, std::string& temporary) {
  temporary = path + ".tmp.XXXXXX";
  return mkstemp(temporary.data());
}

}  // namespace

absl::Status check_writable(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty output path");
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("output path '", path, "' is a directory"));
  }
  std::string temporary;
  const int fd = create_temporary(path, temporary);
  if (fd < 0) return io_error("write", path);
  close(fd);
  unlink(temporary.c_str());
  return absl::OkStatus();
}

absl::Status write_file_atomically(const std::string& path,
                                   const std::string& contents) {
  std::string temporary;
  const int fd = create_temporary(path, temporary);
  if (fd < 0) return io_error("write", path);
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const absl::Status status = io_error("write", temporary);
      close(fd);
      unlink(temporary.c_str());
      return status;
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp makes the file 0600; an output file should read like any other.
  fchmod(fd, 0644);
  if (fsync(fd) != 0 || close(fd) != 0) {
    const absl::Status status = io_error("flush", temporary);
    unlink(temporary.c_str());
    return status;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const absl::Status status = io_error("rename to", path);
    unlink(temporary.c_str());
    return status;
  }
  return absl::OkStatus();
}

}  // namespace selfplay::cli
