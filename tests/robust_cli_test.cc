// Nothing lost, nothing clobbered, through the command line: text from a
// game or a records file that is not UTF-8 is written replaced, never a
// crash; --json and --checkpoint write through a FIFO or follow a symlink
// instead of replacing it; two outputs in one file are refused before
// anything is written; --keep-games streams a JSON document that parses and
// reads as a DOM would print it; Ctrl-C stops perft and training (exit code
// 130).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using testing::read_text_file;
using testing::run_cli;
using testing::ScratchDirectory;

namespace fs = std::filesystem;

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

class RobustCli : public ::testing::Test {
 protected:
  RobustCli()
      : scratch_(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  fs::path at(const std::string& name) const { return scratch_.path() / name; }
  CliRun run(const std::string& arguments) const {
    return run_cli(scratch_.path(), arguments);
  }
  // A usage error: exit code 2 and one line on stderr.
  void expect_refused(const std::string& arguments,
                      const std::string& message) const {
    const CliRun result = run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << arguments << "\n"
        << result.err;
    EXPECT_THAT(result.err, HasSubstr(message)) << arguments;
  }

 private:
  ScratchDirectory scratch_;
};

// Whether `text` is valid UTF-8, by nlohmann's parser (JSON strings must
// be). Control characters and quotes are JSON's business, not UTF-8's.
std::string without_controls(std::string text) {
  std::erase_if(text, [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
  });
  return text;
}

bool valid_utf8_text(const std::string& text) {
  // The parser takes the text as a JSON string literal.
  const std::string literal = absl::StrCat("\"", without_controls(text), "\"");
  return !nlohmann::json::parse(literal, nullptr, false).is_discarded();
}

TEST_F(RobustCli, TextThatIsNotUtf8IsWrittenReplacedInSummaryAndJson) {
  const std::string run_flags = absl::StrCat(
      "simulate --game-lib ", SELFPLAY_NON_UTF8_PLUGIN_PATH,
      " --game bad-bytes --games 20 --seed 7 --threads 2 --noprogress");
  const CliRun simulated =
      run(absl::StrCat(run_flags, " --json ", at("run.json").string(),
                       " --records ", at("run.sprec").string()));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  EXPECT_TRUE(valid_utf8_text(simulated.out)) << simulated.out;
  EXPECT_THAT(simulated.out, HasSubstr(absl::StrCat("planted ", kReplacement)));
  const nlohmann::json json = nlohmann::json::parse(
      read_text_file(at("run.json")), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["failed"], 2);
  ASSERT_EQ(json["failures"].size(), 2u);
  EXPECT_EQ(json["failures"][0]["game_index"], 3);
  EXPECT_EQ(json["failures"][0]["error"],
            absl::StrCat("planted ", kReplacement, kReplacement, " failure"));
  EXPECT_EQ(json["actions"][1]["kind"], absl::StrCat("tw", kReplacement));

  // The records keep the bytes as they were; reading them back writes the
  // same replaced text, and the same JSON apart from the timing.
  const CliRun stats =
      run(absl::StrCat("records stats ", at("run.sprec").string(), " --json ",
                       at("stats.json").string()));
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_TRUE(valid_utf8_text(stats.out)) << stats.out;
  nlohmann::json again = nlohmann::json::parse(
      read_text_file(at("stats.json")), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(again.is_discarded());
  nlohmann::json first = json;
  first.erase("timing");
  again.erase("timing");
  EXPECT_EQ(again, first);
}

TEST_F(RobustCli, KeptGamesAreStreamedIntoTheJsonAsADomWouldPrintThem) {
  const CliRun result = run(absl::StrCat(
      "simulate --game go-fish --players 3 --games 300 --seed 5 --threads 2 "
      "--keep-games --noprogress --json ",
      at("games.json").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string text = read_text_file(at("games.json"));
  const nlohmann::ordered_json json =
      nlohmann::ordered_json::parse(text, nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json.dump(2) + "\n", text);
  const nlohmann::ordered_json& games = json["game_summaries"];
  ASSERT_EQ(games.size(), 300u);
  std::uint64_t completed = 0;
  for (std::size_t i = 0; i < games.size(); ++i) {
    EXPECT_EQ(games[i]["game_index"], i);
    completed += games[i]["status"] == "completed";
  }
  EXPECT_EQ(completed, json["completed"]);
  // The keys after the summaries are still there, in their place.
  EXPECT_EQ(std::prev(json.end()).key(), "timing");
}

TEST_F(RobustCli, JsonWritesThroughAFifoAndFollowsASymlink) {
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  std::future<std::string> read = std::async(
      std::launch::async, [&] { return read_text_file(at("pipe")); });
  const CliRun piped = run(absl::StrCat(
      "simulate --game tic-tac-toe --games 50 --json ", at("pipe").string()));
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  const nlohmann::json json = nlohmann::json::parse(read.get(), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["games"], 50);
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(at("pipe"))));

  std::ofstream(at("target.json")) << "old";
  fs::create_symlink("target.json", at("link.json"));
  const CliRun linked =
      run(absl::StrCat("simulate --game tic-tac-toe --games 50 --json ",
                       at("link.json").string()));
  ASSERT_EQ(linked.exit_code, 0) << linked.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(at("link.json"))));
  EXPECT_EQ(nlohmann::json::parse(read_text_file(at("target.json")))["games"],
            50);
}

TEST_F(RobustCli, JsonToDevStdoutFollowsTheSummaryIntoARedirectedFile) {
  // The shell's redirection names a regular file; replacing it would lose
  // the summary printed before the JSON.
  const CliRun result = run(
      "simulate --game tic-tac-toe --games 50 --noprogress --json /dev/stdout");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::size_t json_at = result.out.find("{\n  \"schema_version\"");
  ASSERT_NE(json_at, std::string::npos) << result.out;
  EXPECT_THAT(result.out.substr(0, json_at), HasSubstr("seat 0:"));
  const nlohmann::json json =
      nlohmann::json::parse(result.out.substr(json_at), nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << result.out;
  EXPECT_EQ(json["games"], 50);
}

TEST_F(RobustCli, ACheckpointIsNeverAFifoAndFollowsASymlink) {
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  expect_refused(absl::StrCat("simulate --game tic-tac-toe --games 50 "
                              "--checkpoint ",
                              at("pipe").string()),
                 "must be a regular file");
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(at("pipe"))));

  std::ofstream(at("run.ckpt")) << "old";
  fs::create_symlink("run.ckpt", at("link.ckpt"));
  const CliRun result =
      run(absl::StrCat("simulate --game tic-tac-toe --games 50 --checkpoint ",
                       at("link.ckpt").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(at("link.ckpt"))));
  const CliRun resumed =
      run(absl::StrCat("simulate --game tic-tac-toe --games 50 --resume ",
                       at("run.ckpt").string()));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr("at game 50 of 50"));
}

TEST_F(RobustCli, TwoOutputsInOneFileAreRefusedAndNothingIsWritten) {
  std::ofstream(at("precious")) << "precious";
  fs::create_hard_link(at("precious"), at("hard"));
  fs::create_directory(at("sub"));
  const std::string run_flags = "simulate --game tic-tac-toe --games 50 ";
  const std::string file = at("precious").string();
  for (const std::string& flags :
       {absl::StrCat("--records ", file, " --checkpoint ", file),
        absl::StrCat("--records ", file, " --json ", at("hard").string()),
        absl::StrCat("--json ", file, " --checkpoint ",
                     (at("sub") / ".." / "precious").string()),
        absl::StrCat("--records ", file, " --resume ", file),
        absl::StrCat("--json ", file, " --resume ", file)}) {
    expect_refused(run_flags + flags, "are the same file");
    EXPECT_EQ(read_text_file(at("precious")), "precious") << flags;
  }
  // Files not yet there, spelled differently.
  expect_refused(absl::StrCat(run_flags, "--records ", at("new").string(),
                              " --json ", (at("sub") / ".." / "new").string()),
                 "are the same file");
  EXPECT_FALSE(fs::exists(at("new")));

  ASSERT_EQ(run(absl::StrCat(run_flags, "--records ", at("run.sprec").string()))
                .exit_code,
            0);
  const std::string records = read_text_file(at("run.sprec"));
  expect_refused(absl::StrCat("records stats ", at("run.sprec").string(),
                              " --json ", at("run.sprec").string()),
                 "are the same file");
  EXPECT_EQ(read_text_file(at("run.sprec")), records);
}

// Starts `selfplay <arguments>` (stdout to `out`), sends SIGINT once
// `ready` holds (or after 20 s), and returns its exit code, or -1 when it
// did not end within 5 s of the signal.
int interrupt_when(const std::string& arguments, const fs::path& out,
                   const std::function<bool()>& ready) {
  const std::string command = absl::StrCat("exec ", SELFPLAY_CLI_PATH, " ",
                                           arguments, " >", out.string());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!ready() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGINT);
  const auto signalled = std::chrono::steady_clock::now();
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() - signalled >
        std::chrono::seconds(5)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(RobustCli, CtrlCStopsADeepPerft) {
  // Depth 2 (121 x 120 leaves) takes milliseconds; depth 20 would take
  // longer than the universe has existed.
  const fs::path out = at("perft.out");
  EXPECT_EQ(interrupt_when("perft --game hex-11 --depth 20", out,
                           [&] {
                             return read_text_file(out).find("14520") !=
                                    std::string::npos;
                           }),
            130);
  EXPECT_THAT(read_text_file(out), HasSubstr("121"));
}

TEST_F(RobustCli, CtrlCStopsTrainingWithoutWritingAModel) {
  // Stopped once the first iteration's self-play is done (its line is out),
  // during the next stages: seconds of work left.
  const fs::path out = at("train.out");
  EXPECT_EQ(interrupt_when(
                absl::StrCat("train --game connect-four --iterations 3 "
                             "--games-per-iteration 100000 --oracle random "
                             "--evaluation-games 2000 --threads 2 "
                             "--noprogress --out ",
                             at("model.json").string()),
                out,
                [&] {
                  return read_text_file(out).find("[1/3] simulate") !=
                         std::string::npos;
                }),
            130);
  EXPECT_FALSE(fs::exists(at("model.json")));
}

}  // namespace
}  // namespace selfplay
