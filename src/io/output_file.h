// The files a user names for output (--json, --checkpoint, train --out, ...):
// never half-written, never replacing what is not a regular file, never two
// outputs in one file.
//
// A regular file, or a path where nothing is yet, is written to a temporary
// file beside it, flushed to disk, renamed over it, and its directory is
// flushed so that the rename itself survives a crash. A symlink is followed:
// its target is replaced that way and the link stays. A FIFO or a character
// device (/dev/null, a terminal), and /dev/stdout or /dev/fd/N whatever they
// are, are written through (appended to, after what the process printed),
// since a reader or the shell holds them and renaming over them would
// destroy them; a directory, a block device or a socket is refused.
//
//   absl::StatusOr<OutputFile> out = OutputFile::open("out.json");
//   absl::Status status = out->write(text);  // as often as needed
//   if (status.ok()) status = out->commit();  // the path changes only here
#ifndef SELFPLAY_IO_OUTPUT_FILE_H_
#define SELFPLAY_IO_OUTPUT_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace selfplay {

// Whether an output may be a FIFO or a character device. A checkpoint may
// not: it is rewritten while the run goes on and read back by --resume.
enum class Streams { kAllowed, kRefused };

// Checks up front that `path` can be written as above, so that a long run
// does not fail at its end. InvalidArgument (a directory, a block device, a
// socket, a dangling symlink, a stream where `streams` refuses one) or
// PermissionDenied / NotFound, naming the path.
[[nodiscard]] absl::Status check_writable(const std::string& path,
                                          Streams streams = Streams::kAllowed);

// A file a flag names, e.g. {"--records", "run.sprec"}; an empty path is
// not given.
struct NamedPath {
  std::string flag;
  std::string path;
};

// InvalidArgument, naming both flags, when two of `outputs` are one file: the
// same inode for files that exist (hard links, symlinks, other spellings of a
// path), the same normalised absolute path for files not yet there. A character
// device
// (/dev/null) may take several outputs: nothing there can be clobbered.
[[nodiscard]] absl::Status check_distinct_outputs(
    const std::vector<NamedPath>& outputs);

// One output being written. Movable, not copyable; not thread-safe.
class OutputFile {
 public:
  // check_writable's errors, or PermissionDenied when the temporary file (or
  // the stream) cannot be opened. Opening a FIFO waits for its reader.
  [[nodiscard]] static absl::StatusOr<OutputFile> open(
      const std::string& path, Streams streams = Streams::kAllowed);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Without commit(), removes the temporary file: the path stays as it was.
  ~OutputFile();

  // Appends `bytes` (buffered). PermissionDenied on a write error.
  [[nodiscard]] absl::Status write(std::string_view bytes);

  // Flushes everything to disk and puts it at the path (rename and directory
  // sync, or the last write to a stream). Call once; PermissionDenied naming
  // the step that failed, and the path is then unchanged.
  [[nodiscard]] absl::Status commit();

 private:
  OutputFile(std::string path, std::string temporary, int fd);
  absl::Status flush();
  void discard();

  std::string path_;       // the target, a symlink resolved
  std::string temporary_;  // beside it; empty when writing through
  int fd_ = -1;
  std::string buffer_;
};

// `contents` written to `path` through an OutputFile.
[[nodiscard]] absl::Status write_file_atomically(
    const std::string& path, std::string_view contents,
    Streams streams = Streams::kAllowed);

}  // namespace selfplay

#endif  // SELFPLAY_IO_OUTPUT_FILE_H_
