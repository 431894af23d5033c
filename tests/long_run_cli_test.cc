// `selfplay simulate --records / --checkpoint / --resume` and `selfplay
// records`, run as a user runs them: the statistics recomputed from a
// records file are those of the run that wrote it; a run interrupted by
// SIGINT or SIGTERM, or killed with SIGKILL, and resumed from its checkpoint
// ends with exactly the uninterrupted run's result and records; resuming
// with other settings or from a corrupt file is one line and exit code 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"
#include "records/checkpoint.h"

namespace selfplay {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using testing::read_text_file;
using testing::run_cli;
using testing::ScratchDirectory;
using ::testing::StartsWith;

// A checkers run long enough (a second or more on a loaded machine) to be
// interrupted after its first checkpoint, short enough to run twice in a
// test.
constexpr int kLongRunGames = 16000;
constexpr char kLongRun[] =
    "simulate --game checkers --games 16000 --seed 21 --threads 2 "
    "--progress=false";

std::string read_binary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A --json file without its timing, which differs between runs.
nlohmann::json result_json(const std::filesystem::path& path) {
  nlohmann::json json = nlohmann::json::parse(read_text_file(path));
  json.erase("timing");
  return json;
}

// `selfplay <arguments>` started in the background (output into
// `directory`), so that a test can signal it.
class BackgroundCli {
 public:
  BackgroundCli(const std::filesystem::path& directory,
                const std::string& arguments)
      : err_(directory / "background_stderr") {
    const std::string command = absl::StrCat(
        "exec ", SELFPLAY_CLI_PATH, " ", arguments, " >",
        (directory / "background_stdout").string(), " 2>", err_.string());
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~BackgroundCli() {
    if (!waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  // Waits up to 20 s for `done` to hold; false when the process ended or
  // the time ran out first.
  bool wait_for(const std::function<bool()>& done) const {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      siginfo_t ended{};
      if (::waitid(P_PID, pid_, &ended, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          ended.si_pid == pid_) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }

  bool wait_for_file(const std::filesystem::path& path) const {
    return wait_for([&path] { return std::filesystem::exists(path); });
  }

  void signal(int number) const { ::kill(pid_, number); }

  // The wait status (see waitpid).
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return status;
  }

  std::string err() const { return read_text_file(err_); }

 private:
  std::filesystem::path err_;
  pid_t pid_ = -1;
  bool waited_ = false;
};

class LongRunCli : public ::testing::Test {
 protected:
  LongRunCli()
      : scratch_(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  std::filesystem::path at(const std::string& name) const {
    return scratch_.path() / name;
  }

  CliRun run(const std::string& arguments) {
    return run_cli(scratch_.path(), arguments);
  }

  // The --json of `arguments` run to the end, its records in whole.sprec.
  nlohmann::json uninterrupted(const std::string& arguments) {
    const CliRun result =
        run(absl::StrCat(arguments, " --json ", at("whole.json").string(),
                         " --records ", at("whole.sprec").string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result_json(at("whole.json"));
  }

  // `records stats` of a file, as --json.
  nlohmann::json records_stats(const std::filesystem::path& records) {
    const CliRun result =
        run(absl::StrCat("records stats ", records.string(), " --json ",
                         at("stats.json").string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result_json(at("stats.json"));
  }

  // A usage error: exit code 2 and exactly one line on stderr.
  void expect_usage_error(const std::string& arguments,
                          const std::string& message) {
    const CliRun result = run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(message)) << arguments;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << arguments << ": " << result.err;
  }

  // Runs kLongRun with a checkpoint and records, sends `signal` after the
  // first checkpoint, and expects the exit code 128 + signal, a partial
  // result that says so and how to resume; returns the resume command from
  // stderr with the binary's path and a --json file added.
  std::string interrupt(int signal) {
    BackgroundCli run(
        scratch_.path(),
        absl::StrCat(kLongRun, " --records ", at("games.sprec").string(),
                     " --checkpoint ", at("run.ckpt").string(),
                     " --checkpoint-every 500 --json ",
                     at("partial.json").string()));
    EXPECT_TRUE(run.wait_for_file(at("run.ckpt"))) << run.err();
    run.signal(signal);
    const int status = run.wait();
    EXPECT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal) << run.err();
    const std::string err = run.err();
    EXPECT_THAT(err, HasSubstr("selfplay simulate: interrupted; "));
    const nlohmann::json partial = result_json(at("partial.json"));
    EXPECT_GT(partial["cancelled"].get<int>(), 0);
    EXPECT_EQ(partial["completed"].get<int>() +
                  partial["truncated"].get<int>() +
                  partial["cancelled"].get<int>(),
              kLongRunGames);
    // "resume with\n  selfplay simulate ... --resume run.ckpt\n"
    const std::vector<std::string> lines = absl::StrSplit(err, '\n');
    std::string command;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      if (absl::EndsWith(lines[i], "; resume with")) command = lines[i + 1];
    }
    EXPECT_THAT(command, StartsWith("  selfplay simulate --game checkers"))
        << err;
    EXPECT_THAT(command, HasSubstr("--resume " + at("run.ckpt").string()));
    return absl::StrCat(absl::StripPrefix(command, "  selfplay "),
                        " --threads 2 --progress=false --json ",
                        at("resumed.json").string());
  }

  ScratchDirectory scratch_;
};

TEST_F(LongRunCli, RecordsStatsRecomputeTheStatisticsOfTheRunThatWroteThem) {
  const CliRun simulated = run(absl::StrCat(
      "simulate --game checkers --games 1500 --seed 4 --json ",
      at("run.json").string(), " --records ", at("games.sprec").string()));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  const nlohmann::json simulate = result_json(at("run.json"));
  const nlohmann::json stats = records_stats(at("games.sprec"));
  EXPECT_EQ(stats, simulate);
  EXPECT_EQ(stats["games"], 1500);
  EXPECT_GT(stats["features"].size(), 10u);
  // The game-clustered figures are part of what agrees.
  EXPECT_TRUE(stats["features"][0]["ci_low"].is_number());
  EXPECT_GT(stats["features"][0]["games_true"].get<int>(), 0);
  // The summaries printed agree too, apart from the timing line.
  EXPECT_THAT(run("records stats " + at("games.sprec").string()).out,
              HasSubstr("top 20 features by |phi|"));
}

// Three seats, one action kind (no available-kinds field), truncated games.
TEST_F(LongRunCli, RecordsStatsAgreeForThreeSeatsAndTruncatedGames) {
  const CliRun simulated = run(
      absl::StrCat("simulate --game go-fish --players 3 --games 300 --seed 8 ",
                   "--max-actions 60 --json ", at("run.json").string(),
                   " --records ", at("games.sprec").string()));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  const nlohmann::json simulate = result_json(at("run.json"));
  ASSERT_GT(simulate["truncated"].get<int>(), 0);
  ASSERT_GT(simulate["completed"].get<int>(), 0);
  EXPECT_EQ(records_stats(at("games.sprec")), simulate);
}

TEST_F(LongRunCli, ExportWritesOneCsvRowPerDecision) {
  ASSERT_EQ(run(absl::StrCat("simulate --game tic-tac-toe --games 200 --json ",
                             at("run.json").string(), " --records ",
                             at("games.sprec").string()))
                .exit_code,
            0);
  const nlohmann::json simulate = result_json(at("run.json"));
  const CliRun exported =
      run("records export " + at("games.sprec").string() + " --csv");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::vector<std::string> rows = absl::StrSplit(exported.out, '\n');
  ASSERT_EQ(rows.back(), "");
  rows.pop_back();
  const std::vector<std::string> columns = absl::StrSplit(rows[0], ',');
  const std::size_t features = simulate["features"].size();
  ASSERT_EQ(columns.size(), 8 + features);
  EXPECT_EQ(rows[0].substr(0, 62),
            "game_index,seed,status,decision,player,outcome,taken,available");
  EXPECT_EQ(columns[8], simulate["features"][0]["id"]);
  // One row per state counted, every row as wide as the header.
  EXPECT_EQ(rows.size() - 1, simulate["total_states"].get<std::size_t>());
  std::uint64_t wins = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string> cells = absl::StrSplit(rows[r], ',');
    ASSERT_EQ(cells.size(), columns.size()) << rows[r];
    EXPECT_EQ(cells[2], "completed");
    if (cells[5] == "1") ++wins;
  }
  EXPECT_GT(wins, 0u);
  EXPECT_THAT(rows[1], StartsWith("0,"));
  EXPECT_THAT(rows.back(), StartsWith("199,"));
}

// The in-order runner behind --checkpoint and --records counts what a plain
// run counts; its last checkpoint holds the whole run, and resuming from it
// plays nothing and gives the same result.
TEST_F(LongRunCli, ACheckpointedRunEqualsThePlainRunAndResumesWhenFinished) {
  const std::string arguments =
      "simulate --game checkers --games 2000 --seed 13 --threads 2";
  ASSERT_EQ(run(absl::StrCat(arguments, " --json ", at("plain.json").string()))
                .exit_code,
            0);
  const nlohmann::json whole = result_json(at("plain.json"));
  const CliRun first = run(absl::StrCat(
      arguments, " --checkpoint ", at("run.ckpt").string(),
      " --checkpoint-every 1000 --records ", at("games.sprec").string(),
      " --json ", at("first.json").string()));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(result_json(at("first.json")), whole);
  absl::StatusOr<Checkpoint> last = read_checkpoint(at("run.ckpt").string());
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->next_game_index, 2000u);
  ASSERT_TRUE(last->records.has_value());
  EXPECT_EQ(last->records->position.games, 2000u);
  const CliRun again =
      run(absl::StrCat(arguments, " --resume ", at("run.ckpt").string(),
                       " --json ", at("again.json").string()));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(result_json(at("again.json")), whole);
  EXPECT_EQ(records_stats(at("games.sprec")), whole);
}

TEST_F(LongRunCli, SigintWritesACheckpointAndResumingGivesTheWholeResult) {
  const nlohmann::json whole = uninterrupted(kLongRun);
  const std::string resume = interrupt(SIGINT);
  const CliRun resumed = run(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resume << ": " << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr("resuming"));
  EXPECT_EQ(result_json(at("resumed.json")), whole);
  EXPECT_EQ(records_stats(at("games.sprec")), whole);
  EXPECT_TRUE(read_binary(at("games.sprec")) == read_binary(at("whole.sprec")));
}

TEST_F(LongRunCli, SigtermExitsWith143AndResumes) {
  const nlohmann::json whole = uninterrupted(kLongRun);
  const CliRun resumed = run(interrupt(SIGTERM));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(result_json(at("resumed.json")), whole);
  EXPECT_EQ(records_stats(at("games.sprec")), whole);
  EXPECT_TRUE(read_binary(at("games.sprec")) == read_binary(at("whole.sprec")));
}

// SIGKILL (like a second SIGINT, whose default action ends the process at
// once) leaves the last periodic checkpoint and a records file that runs
// past it; resuming from the checkpoint cuts the file back and ends with the
// uninterrupted result and records.
TEST_F(LongRunCli, AKilledRunResumesFromItsLastCheckpoint) {
  const nlohmann::json whole = uninterrupted(kLongRun);
  BackgroundCli killed(
      scratch_.path(),
      absl::StrCat(kLongRun, " --records ", at("games.sprec").string(),
                   " --checkpoint ", at("run.ckpt").string(),
                   " --checkpoint-every 5000"));
  ASSERT_TRUE(killed.wait_for_file(at("run.ckpt"))) << killed.err();
  // Kill once records after the checkpoint reached the file (the writer
  // flushes every megabyte, about 2900 checkers games).
  const absl::StatusOr<Checkpoint> first =
      read_checkpoint(at("run.ckpt").string());
  ASSERT_TRUE(first.ok() && first->records.has_value()) << first.status();
  ASSERT_TRUE(killed.wait_for([&] {
    return std::filesystem::file_size(at("games.sprec")) >
           first->records->position.bytes;
  })) << killed.err();
  killed.signal(SIGKILL);
  const int status = killed.wait();
  ASSERT_TRUE(WIFSIGNALED(status)) << status << ": " << killed.err();
  const absl::StatusOr<Checkpoint> saved =
      read_checkpoint(at("run.ckpt").string());
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_LT(saved->next_game_index, kLongRunGames);
  EXPECT_EQ(saved->next_game_index % 5000, 0u);

  const CliRun resumed =
      run(absl::StrCat(kLongRun, " --resume ", at("run.ckpt").string(),
                       " --json ", at("resumed.json").string()));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(result_json(at("resumed.json")), whole);
  EXPECT_EQ(records_stats(at("games.sprec")), whole);
  EXPECT_TRUE(read_binary(at("games.sprec")) == read_binary(at("whole.sprec")));
}

class ResumeRefused : public LongRunCli {
 protected:
  void SetUp() override {
    const CliRun saved = run(absl::StrCat(
        kRun, " --checkpoint ", at("run.ckpt").string(),
        " --checkpoint-every 100 --records ", at("games.sprec").string()));
    ASSERT_EQ(saved.exit_code, 0) << saved.err;
  }

  std::string resume(const std::string& changes) const {
    return absl::StrCat(kRun, " ", changes, " --resume ",
                        at("run.ckpt").string());
  }

  static constexpr char kRun[] =
      "simulate --game checkers --games 300 --seed 5 --max-actions 500";
};

TEST_F(ResumeRefused, WithAnotherGameSeedGameCountOrFeatures) {
  expect_usage_error(resume("--game tic-tac-toe"),
                     "--game: the checkpoint's run used checkers, this "
                     "command tic-tac-toe");
  expect_usage_error(resume("--seed 6"),
                     "--seed: the checkpoint's run used 5, this command 6");
  expect_usage_error(resume("--games 301"), "--games");
  expect_usage_error(resume("--max-actions 400"), "--max-actions");
  expect_usage_error(resume("--nofeatures"), "--features");
  expect_usage_error(resume("--timeout-ms 100"), "--timeout-ms");
}

TEST_F(ResumeRefused, WithAnotherPolicy) {
  absl::StatusOr<Checkpoint> checkpoint =
      read_checkpoint(at("run.ckpt").string());
  ASSERT_TRUE(checkpoint.ok());
  checkpoint->config.policies[1] = "mcts";
  std::ofstream(at("run.ckpt"), std::ios::binary | std::ios::trunc)
      << serialize_checkpoint(*checkpoint);
  expect_usage_error(resume(""),
                     "the seat policies: the checkpoint's run "
                     "used random,mcts, this command "
                     "random,random");
}

TEST_F(ResumeRefused, FromACorruptOrTruncatedCheckpointOrRecordsFile) {
  const std::string checkpoint = read_binary(at("run.ckpt"));
  std::string flipped = checkpoint;
  flipped[40] ^= 0x10;
  std::ofstream(at("run.ckpt"), std::ios::binary | std::ios::trunc) << flipped;
  expect_usage_error(resume(""), "fails its checksum");
  std::ofstream(at("run.ckpt"), std::ios::binary | std::ios::trunc)
      << checkpoint.substr(0, checkpoint.size() - 9);
  expect_usage_error(resume(""), "truncated");
  std::ofstream(at("run.ckpt"), std::ios::binary | std::ios::trunc)
      << checkpoint;

  const std::string records = read_binary(at("games.sprec"));
  std::ofstream(at("games.sprec"), std::ios::binary | std::ios::trunc)
      << records.substr(0, records.size() / 2);
  expect_usage_error(resume(""), "fewer than the");
  expect_usage_error("records stats " + at("games.sprec").string(),
                     "the file ends inside");
  std::string spoiled = records;
  spoiled[spoiled.size() - 2] ^= 0x01;
  std::ofstream(at("games.sprec"), std::ios::binary | std::ios::trunc)
      << spoiled;
  expect_usage_error(resume(""), "does not match the checkpoint");
  expect_usage_error("records export " + at("games.sprec").string() + " --csv",
                     "fails its checksum");
  expect_usage_error(resume("--records " + at("run.ckpt").string()),
                     "are the same file");
}

TEST_F(ResumeRefused, WhenTheFlagsDoNotFitTogether) {
  expect_usage_error(absl::StrCat(kRun, " --checkpoint ", at("x.ckpt").string(),
                                  " --checkpoint-every 0"),
                     "--checkpoint-every: must be 1..");
  expect_usage_error(
      absl::StrCat(kRun, " --keep-games --resume ", at("run.ckpt").string()),
      "--keep-games cannot be combined");
  expect_usage_error(absl::StrCat(kRun, " --resume ", at("none.ckpt").string()),
                     "cannot read checkpoint");
}

}  // namespace
}  // namespace selfplay
