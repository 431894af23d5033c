// Runs the `selfplay` binary (SELFPLAY_CLI_PATH) as a user does, capturing
// its exit code, stdout and stderr, for tests of the command line.
#ifndef SELFPLAY_TESTS_CLI_RUNNER_H_
#define SELFPLAY_TESTS_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"

namespace selfplay::testing {

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `selfplay <arguments>` through the shell, its output kept in files under
// `directory` (which must exist).
inline CliRun run_cli(const std::filesystem::path& directory,
                      const std::string& arguments) {
  const std::filesystem::path out = directory / "stdout";
  const std::filesystem::path err = directory / "stderr";
  const int status =
      std::system(absl::StrCat(SELFPLAY_CLI_PATH, " ", arguments, " >",
                               out.string(), " 2>", err.string())
                      .c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text_file(out),
          read_text_file(err)};
}

// A fresh directory for one test, named after it and this process, removed
// with the object.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& test_name)
      : path_(std::filesystem::temp_directory_path() /
              absl::StrCat("selfplay_", test_name, "_", ::getpid())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() { std::filesystem::remove_all(path_); }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A test of the CLI in a scratch directory named after the test: run()
// runs `selfplay <arguments>` there and path() names a file in it.
class CliTest : public ::testing::Test {
 protected:
  CliTest()
      : directory_(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  CliRun run(const std::string& arguments) {
    return run_cli(directory_.path(), arguments);
  }
  std::string path(const std::string& name) const {
    return (directory_.path() / name).string();
  }

  ScratchDirectory directory_;
};

}  // namespace selfplay::testing

#endif  // SELFPLAY_TESTS_CLI_RUNNER_H_
