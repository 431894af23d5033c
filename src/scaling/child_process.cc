#include "scaling/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace selfplay {
namespace {

// Reads `fd` to the end.
std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return text;
    }
  }
}

}  // namespace

absl::StatusOr<ChildResult> run_child(const std::vector<std::string>& argv,
                                      const std::string& working_directory) {
  if (argv.empty()) return absl::InvalidArgumentError("no program to run");
  // stdout through a pipe; stderr into an unlinked temporary file, so that a
  // child writing much to both can never block on a full pipe.
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  char err_path[] = "/tmp/selfplay_child_err.XXXXXX";
  const int err_fd = mkostemp(err_path, O_CLOEXEC);
  if (err_fd < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return absl::InternalError(
        absl::StrCat("temporary file: ", std::strerror(errno)));
  }
  unlink(err_path);

  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out_pipe[1], STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0 ||
        (!working_directory.empty() && chdir(working_directory.c_str()) != 0)) {
      _exit(127);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  ChildResult result;
  result.out = read_all(out_pipe[0]);
  close(out_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  lseek(err_fd, 0, SEEK_SET);
  result.err = read_all(err_fd);
  close(err_fd);
  result.exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                     : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                           : -1;
  if (result.exit_code == 127 && result.out.empty() && result.err.empty()) {
    return absl::InternalError(absl::StrCat("cannot run ", argv[0]));
  }
  return result;
}

std::optional<std::string> find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  for (const absl::string_view directory : absl::StrSplit(path, ':')) {
    if (directory.empty()) continue;
    const std::string candidate =
        absl::StrCat(std::string(directory), "/", name);
    if (access(candidate.c_str(), X_OK) == 0 &&
        !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::string own_executable() {
  std::error_code error;
  const std::filesystem::path path =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

}  // namespace selfplay
