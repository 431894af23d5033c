// README's memory claims, measured on the CLI as a user runs it (the peak
// resident set of the child process, from wait4): memory stays flat however
// many games a run plays, with or without records and checkpoints, and when
// reading records back; --keep-games costs the summaries themselves and
// nothing more when they are also written to --json (they are streamed);
// a checkpoint's size does not grow with the game count.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"

namespace selfplay {
namespace {

using testing::ScratchDirectory;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer holds freed memory in a quarantine (256 MB), so a build
// with it grows its peak with the work done; without the quarantine its
// allocator reuses memory as the normal build's does.
constexpr char kEnvironment[] =
    "env ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:"
    "thread_local_quarantine_size_kb=0\" ";
#else
constexpr char kEnvironment[] = "";
#endif

// Peak resident set of `selfplay <arguments>` in MB; fails the test unless
// it exits 0.
double peak_mb(const std::string& arguments) {
  const std::string command =
      absl::StrCat("exec ", kEnvironment, SELFPLAY_CLI_PATH, " ", arguments,
                   " >/dev/null 2>&1");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  EXPECT_EQ(::wait4(pid, &status, 0, &usage), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << arguments;
  return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

constexpr char kGames[] =
    "simulate --game connect-four --nofeatures --threads 2 --noprogress "
    "--seed 3 ";

TEST(Memory, StaysFlatWhateverTheGameCount) {
  const double small = peak_mb(absl::StrCat(kGames, "--games 20000"));
  const double large = peak_mb(absl::StrCat(kGames, "--games 400000"));
  EXPECT_LT(large, small + 4) << small << " MB for 2*10^4 games";
}

TEST(Memory, StaysFlatWithRecordsAndCheckpointsAndReadingThemBack) {
  ScratchDirectory scratch("memory_records");
  const auto run = [&](const std::string& games, const std::string& name) {
    const std::filesystem::path records = scratch.path() / (name + ".sprec");
    const std::filesystem::path checkpoint = scratch.path() / (name + ".ckpt");
    const double writing = peak_mb(absl::StrCat(
        kGames, "--games ", games, " --threads 1 --records ", records.string(),
        " --checkpoint ", checkpoint.string(), " --checkpoint-every 5000"));
    const double reading =
        peak_mb(absl::StrCat("records stats ", records.string()));
    return std::pair{writing, reading};
  };
  // One game thread (the last --threads counts): with two, the records of
  // games finished out of order wait in a window whose peak depends on how
  // the threads were scheduled, which moved it by up to 5 MB between runs
  // on a loaded machine; one thread shows growth with the game count alone.
  const auto [small_writing, small_reading] = run("100000", "small");
  const auto [large_writing, large_reading] = run("800000", "large");
  EXPECT_LT(large_writing, small_writing + 4);
  EXPECT_LT(large_reading, small_reading + 4);
  // "A checkpoint is a few kilobytes, whatever the game count": the
  // tallies grow only with the length histogram.
  const auto size = [&](const char* name) {
    return std::filesystem::file_size(scratch.path() / name);
  };
  EXPECT_LT(size("large.ckpt"), 8192u);
  EXPECT_LT(size("large.ckpt"), size("small.ckpt") + 512);
}

TEST(Memory, KeptGamesCostNoMoreWhenAlsoWrittenToJson) {
  ScratchDirectory scratch("memory_json");
  const std::string kept = absl::StrCat(kGames, "--games 200000 --keep-games");
  const double without = peak_mb(kept);
  const double with = peak_mb(
      absl::StrCat(kept, " --json ", (scratch.path() / "games.json").string()));
  // A document built in memory first took about 740 bytes a game, 148 MB
  // here; streamed, the JSON costs a buffer.
  EXPECT_LT(with, without + 8) << without << " MB without --json";
}

}  // namespace
}  // namespace selfplay
