#include "io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"

namespace selfplay {
namespace {

// Enough that streaming a million small JSON objects makes few system calls.
constexpr std::size_t kBufferBytes = 1 << 16;

absl::Status io_error(const std::string& what, const std::string& path) {
  return absl::PermissionDeniedError(
      absl::StrCat("cannot ", what, " '", path, "': ", std::strerror(errno)));
}

// Where an output goes: a regular file (or none yet) replaced at `path`, or
// a stream written through.
struct Target {
  std::string path;
  bool through = false;
};

// Whether `path` names one of this process's open descriptors (/dev/stdout
// with stdout redirected to a file, say): that file is the shell's, written
// through and appended to, never replaced.
bool names_a_descriptor(const std::string& path) {
  for (const char* prefix :
       {"/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

absl::StatusOr<Target> resolve_target(const std::string& path,
                                      Streams streams) {
  if (path.empty()) return absl::InvalidArgumentError("empty output path");
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) return io_error("write", path);
    struct stat link;
    if (::lstat(path.c_str(), &link) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "output path '", path, "' is a symlink to a missing file"));
    }
    return Target{path, false};  // a missing directory shows when writing
  }
  if (S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("output path '", path, "' is a directory"));
  }
  if (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode) ||
      (S_ISREG(info.st_mode) && names_a_descriptor(path))) {
    if (streams == Streams::kRefused) {
      return absl::InvalidArgumentError(
          absl::StrCat("output path '", path,
                       "' is a FIFO or a device; this file is rewritten and "
                       "read back, so it must be a regular file"));
    }
    return Target{path, true};
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("output path '", path,
                     "' is not a regular file, a FIFO or a character device"));
  }
  struct stat link;
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    // Renaming over the link would replace it; replace what it points to.
    std::unique_ptr<char, decltype(&std::free)> real(
        ::realpath(path.c_str(), nullptr), &std::free);
    if (real == nullptr) return io_error("resolve", path);
    return Target{real.get(), false};
  }
  return Target{path, false};
}

// Creates a unique temporary file beside `path`; returns its descriptor.
int create_temporary(const std::string& path, std::string& temporary) {
  temporary = path + ".tmp.XXXXXX";
  return ::mkstemp(temporary.data());
}

// Makes a rename in the directory of `path` durable.
absl::Status sync_directory_of(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent;
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open directory", directory);
  const bool synced = ::fsync(fd) == 0;
  const absl::Status status =
      synced ? absl::OkStatus() : io_error("sync directory", directory);
  ::close(fd);
  return status;
}

// The identity of an output for comparison: the inode of an existing file,
// else its normalised absolute path.
struct Identity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string path;
  bool shareable = false;  // a character device

  bool operator==(const Identity& other) const {
    return exists == other.exists &&
           (exists ? device == other.device && inode == other.inode
                   : path == other.path);
  }
};

Identity identity_of(const std::string& path) {
  Identity identity;
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    identity.exists = true;
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    identity.shareable = S_ISCHR(info.st_mode);
    return identity;
  }
  // Resolves the symlinks and dot-dots of the part that exists.
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  identity.path =
      std::filesystem::weakly_canonical(absolute, error).lexically_normal();
  if (error) identity.path = absolute.lexically_normal();
  return identity;
}

}  // namespace

absl::Status check_writable(const std::string& path, Streams streams) {
  absl::StatusOr<Target> target = resolve_target(path, streams);
  if (!target.ok()) return target.status();
  if (target->through) {
    if (::access(target->path.c_str(), W_OK) != 0) {
      return io_error("write", path);
    }
    return absl::OkStatus();
  }
  std::string temporary;
  const int fd = create_temporary(target->path, temporary);
  if (fd < 0) return io_error("write", path);
  ::close(fd);
  ::unlink(temporary.c_str());
  return absl::OkStatus();
}

absl::Status check_distinct_outputs(const std::vector<NamedPath>& outputs) {
  std::vector<Identity> identities;
  for (const NamedPath& output : outputs) {
    identities.push_back(output.path.empty() ? Identity()
                                             : identity_of(output.path));
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      if (outputs[i].path.empty() || outputs[j].path.empty() ||
          identities[i].shareable || !(identities[i] == identities[j])) {
        continue;
      }
      return absl::InvalidArgumentError(absl::StrCat(
          outputs[i].flag, " '", outputs[i].path, "' and ", outputs[j].flag,
          " '", outputs[j].path, "' are the same file; give each its own"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<OutputFile> OutputFile::open(const std::string& path,
                                            Streams streams) {
  absl::StatusOr<Target> target = resolve_target(path, streams);
  if (!target.ok()) return target.status();
  if (target->through) {
    // After what this process printed to the same stream, not before it.
    std::fflush(nullptr);
    const int fd =
        ::open(target->path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return io_error("write", path);
    return OutputFile(target->path, "", fd);
  }
  std::string temporary;
  const int fd = create_temporary(target->path, temporary);
  if (fd < 0) return io_error("write", path);
  return OutputFile(target->path, temporary, fd);
}

OutputFile::OutputFile(std::string path, std::string temporary, int fd)
    : path_(std::move(path)), temporary_(std::move(temporary)), fd_(fd) {
  buffer_.reserve(kBufferBytes);
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      temporary_(std::move(other.temporary_)),
      fd_(std::exchange(other.fd_, -1)),
      buffer_(std::move(other.buffer_)) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temporary_ = std::move(other.temporary_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

absl::Status OutputFile::write(std::string_view bytes) {
  buffer_.append(bytes);
  return buffer_.size() >= kBufferBytes ? flush() : absl::OkStatus();
}

absl::Status OutputFile::flush() {
  std::size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n =
        ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", temporary_.empty() ? path_ : temporary_);
    }
    written += static_cast<std::size_t>(n);
  }
  buffer_.clear();
  return absl::OkStatus();
}

absl::Status OutputFile::commit() {
  if (absl::Status status = flush(); !status.ok()) {
    discard();
    return status;
  }
  if (temporary_.empty()) {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0 ? absl::OkStatus() : io_error("write", path_);
  }
  // mkstemp makes the file 0600; an output file should read like any other.
  ::fchmod(fd_, 0644);
  const int fd = std::exchange(fd_, -1);
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    const absl::Status status = io_error("flush", temporary_);
    ::unlink(temporary_.c_str());
    return status;
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const absl::Status status = io_error("rename to", path_);
    ::unlink(temporary_.c_str());
    return status;
  }
  return sync_directory_of(path_);
}

absl::Status write_file_atomically(const std::string& path,
                                   std::string_view contents, Streams streams) {
  absl::StatusOr<OutputFile> out = OutputFile::open(path, streams);
  if (!out.ok()) return out.status();
  if (absl::Status status = out->write(contents); !status.ok()) return status;
  return out->commit();
}

}  // namespace selfplay
