// `selfplay train` and `selfplay play` as a user runs them: a progress line
// per stage, a model file that is the same for any thread count, an
// evaluation that reads it back, and one line with exit code 2 for bad input.
// A training stopped by SIGINT or SIGTERM once an iteration is saved exits
// 128 + the signal, says where it stopped and how to resume, and the resumed
// training writes the uninterrupted model; a checkpoint of other settings,
// a corrupt one or one of `simulate` is refused in one line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::selfplay::testing::CliRun;
using ::selfplay::testing::read_text_file;
using ::selfplay::testing::run_cli;
using ::selfplay::testing::ScratchDirectory;
using ::testing::HasSubstr;
using ::testing::Not;

// A training of seconds: tic-tac-toe, 2 iterations of 150 games.
constexpr const char* kTinyTraining =
    "train --game tic-tac-toe --iterations 2 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 40 --seed 5 --noprogress";

// Three iterations of it, for interrupting after the first or second.
constexpr const char* kThreeIterations =
    "train --game tic-tac-toe --iterations 3 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 40 --seed 5 --noprogress";

// A model file without its "run" record, the only part that differs between
// runs of the same training.
std::string without_run(const std::string& path) {
  nlohmann::json json = nlohmann::json::parse(read_text_file(path));
  json.erase("run");
  return json.dump();
}

class TrainCli : public ::selfplay::testing::CliTest {
 protected:
  // Trains the tiny model into `name` and returns its path.
  std::string train_model(const std::string& name, int threads = 1) {
    const CliRun result = run(absl::StrCat(kTinyTraining, " --threads ",
                                           threads, " --out ", path(name)));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return path(name);
  }
  void expect_usage_error(const std::string& arguments,
                          const std::string& message) {
    const CliRun result = run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.out;
    EXPECT_THAT(result.err, HasSubstr(message)) << arguments;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << arguments << ": " << result.err;
  }
  // The tiny model's JSON with `edit` applied, written to `name`.
  std::string edited_model(const std::string& name,
                           void (*edit)(nlohmann::json&)) {
    nlohmann::json json =
        nlohmann::json::parse(read_text_file(train_model("base.json")));
    edit(json);
    std::ofstream(path(name)) << json.dump(2);
    return path(name);
  }

  // `arguments` with the test hook that raises `signal` once iteration
  // `iteration` is saved: an interruption at a known point, not a time.
  CliRun run_signalled(const std::string& arguments, int iteration,
                       int signal) {
    ::setenv("SELFPLAY_TEST_SIGNAL_AFTER_ITERATION",
             absl::StrCat(iteration, ",", signal).c_str(), 1);
    CliRun result = run(arguments);
    ::unsetenv("SELFPLAY_TEST_SIGNAL_AFTER_ITERATION");
    return result;
  }
  // kThreeIterations interrupted by `signal` after `iteration` with
  // --checkpoint run.ckpt: the exit code and report it gives, and the
  // command it says resumes it (without "selfplay ").
  std::string interrupt(int iteration, int signal, int threads) {
    const CliRun stopped = run_signalled(
        absl::StrCat(kThreeIterations, " --threads ", threads, " --checkpoint ",
                     path("run.ckpt"), " --out ", path("part.json")),
        iteration, signal);
    EXPECT_EQ(stopped.exit_code, 128 + signal) << stopped.err;
    EXPECT_THAT(stopped.out, HasSubstr(absl::StrCat(
                                 "[", iteration, "/3] save     iterations 1..",
                                 iteration, " saved to ", path("run.ckpt"))));
    EXPECT_THAT(stopped.err,
                HasSubstr(absl::StrCat("selfplay train: training interrupted "
                                       "after iteration ",
                                       iteration, " of 3; no model written")));
    EXPECT_THAT(stopped.err,
                HasSubstr(absl::StrCat("iterations 1..", iteration,
                                       " (of 3 iterations) saved in ",
                                       path("run.ckpt"), "; resume with")));
    EXPECT_FALSE(std::filesystem::exists(path("part.json")));
    const std::vector<std::string> lines = absl::StrSplit(stopped.err, '\n');
    std::string command;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      if (absl::EndsWith(lines[i], "; resume with")) command = lines[i + 1];
    }
    EXPECT_THAT(command, HasSubstr("--resume " + path("run.ckpt")));
    return std::string(absl::StripPrefix(command, "  selfplay "));
  }
};

TEST_F(TrainCli, SigintAfterAnIterationResumesToTheUninterruptedModel) {
  ASSERT_EQ(run(absl::StrCat(kThreeIterations, " --out ", path("whole.json")))
                .exit_code,
            0);
  const std::string whole = without_run(path("whole.json"));
  for (int threads : {1, 2}) {
    SCOPED_TRACE(absl::StrCat(threads, " threads"));
    const CliRun resumed = run(interrupt(1, SIGINT, threads));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_THAT(resumed.err, HasSubstr(absl::StrCat(
                                 "selfplay train: resuming ", path("run.ckpt"),
                                 " after iterations 1..1 (of 3 iterations)")));
    // The saved iteration is not played again.
    EXPECT_THAT(resumed.out, Not(HasSubstr("[1/3] simulate")));
    EXPECT_THAT(resumed.out, HasSubstr("[2/3] simulate"));
    EXPECT_EQ(without_run(path("part.json")), whole);
    std::filesystem::remove(path("part.json"));
  }
}

TEST_F(TrainCli, SigtermExitsWith143AndResumesToTheUninterruptedModel) {
  ASSERT_EQ(run(absl::StrCat(kThreeIterations, " --threads 2 --out ",
                             path("whole.json")))
                .exit_code,
            0);
  const CliRun resumed = run(interrupt(2, SIGTERM, 1));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("[3/3] simulate"));
  EXPECT_EQ(without_run(path("part.json")), without_run(path("whole.json")));
}

TEST_F(TrainCli, ResumingWithOtherSettingsIsRefusedNamingTheFirst) {
  interrupt(1, SIGINT, 2);
  const auto resume = [&](const std::string& changes) {
    return absl::StrCat(kThreeIterations, " ", changes, " --out ",
                        path("m.json"), " --resume ", path("run.ckpt"));
  };
  for (const char* flag :
       {"--seed 6", "--iterations 4", "--games-per-iteration 151",
        "--oracle random", "--weights phi", "--max-features 5",
        "--min-correlation 0.02", "--l2 2", "--max-actions 100",
        "--evaluation-games 41", "--evolve"}) {
    const std::string name =
        std::string(flag).substr(0, std::string(flag).find(' '));
    expect_usage_error(resume(flag),
                       absl::StrCat(name, ": the checkpoint's run used "));
  }
  expect_usage_error(resume("--oracle mcts:8 --search-threads 2"),
                     "--oracle: the checkpoint's run used mcts:8, this "
                     "command mcts:8/2");
  expect_usage_error(
      absl::StrCat("train --game connect-four --iterations 3 "
                   "--games-per-iteration 150 --oracle mcts:8 "
                   "--evaluation-games 40 --seed 5 --out ",
                   path("m.json"), " --resume ", path("run.ckpt")),
      "--game: the checkpoint's run used tic-tac-toe, this "
      "command connect-four");
  EXPECT_FALSE(std::filesystem::exists(path("m.json")));
  // The thread count is not a setting of the model.
  EXPECT_EQ(run(resume("--threads 1")).exit_code, 0);
}

TEST_F(TrainCli, ACorruptTruncatedOrForeignCheckpointIsRefusedInOneLine) {
  interrupt(1, SIGINT, 1);
  std::ifstream in(path("run.ckpt"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  const auto resume_from = [&](const std::string& contents) {
    std::ofstream(path("bad.ckpt"), std::ios::binary) << contents;
    return absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                        " --resume ", path("bad.ckpt"));
  };
  for (std::size_t size :
       {std::size_t{0}, std::size_t{7}, std::size_t{23}, std::size_t{24},
        bytes.size() / 2, bytes.size() - 1}) {
    expect_usage_error(resume_from(bytes.substr(0, size)),
                       absl::StrCat("checkpoint '", path("bad.ckpt"), "': "));
  }
  for (std::size_t at : {std::size_t{0}, std::size_t{9}, std::size_t{13},
                         std::size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    std::string flipped = bytes;
    flipped[at] ^= 0x01;
    expect_usage_error(resume_from(flipped),
                       absl::StrCat("checkpoint '", path("bad.ckpt"), "': "));
  }
  expect_usage_error(resume_from(bytes + "x"), "truncated or extended");
  EXPECT_FALSE(std::filesystem::exists(path("m.json")));
  expect_usage_error(absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                                  " --resume ", path("absent.ckpt")),
                     "cannot read checkpoint");
  // Neither command takes the other's checkpoint.
  expect_usage_error(
      absl::StrCat("simulate --game tic-tac-toe --games 100 --resume ",
                   path("run.ckpt")),
      "a checkpoint of selfplay train, not of selfplay simulate");
  ASSERT_EQ(run(absl::StrCat("simulate --game tic-tac-toe --games 100 "
                             "--progress=false --checkpoint ",
                             path("simulate.ckpt")))
                .exit_code,
            0);
  expect_usage_error(absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                                  " --resume ", path("simulate.ckpt")),
                     "a checkpoint of selfplay simulate, not of selfplay "
                     "train: resume it with selfplay simulate --resume");
}

TEST_F(TrainCli, TheCheckpointIsNeverTheModelFileOrAStream) {
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("m.json"),
                                  " --checkpoint ", path("m.json")),
                     "are the same file");
  std::ofstream(path("a.json")) << "{}";
  std::filesystem::create_hard_link(path("a.json"), path("b.ckpt"));
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("a.json"),
                                  " --checkpoint ", path("b.ckpt")),
                     "are the same file");
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("a.json"),
                                  " --resume ", path("b.ckpt")),
                     "are the same file");
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("m.json"),
                                  " --checkpoint /dev/null"),
                     "/dev/null");
  EXPECT_EQ(read_text_file(path("a.json")), "{}");
}

TEST_F(TrainCli, PrintsAProgressLinePerStageAndASummary) {
  const CliRun result =
      run(absl::StrCat(kTinyTraining, " --out ", path("model.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* line :
       {"[1/2] simulate", "[1/2] analyse", "[1/2] evaluate", "[2/2] simulate",
        "[2/2] analyse", "[2/2] evaluate", "greedy vs random",
        "objective-mcts:8:4 vs mcts:8", "model written to"}) {
    EXPECT_THAT(result.out, HasSubstr(line));
  }
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("model.json")));
  EXPECT_EQ(model["game"], "tic-tac-toe");
  EXPECT_EQ(model["training"]["games"], 300);
  EXPECT_EQ(model["training"]["oracle"], "mcts:8");
  EXPECT_EQ(model["evaluations"].size(), 4u);
  const std::string command_line = model["run"]["command_line"];
  EXPECT_THAT(command_line, HasSubstr("selfplay train --game tic-tac-toe"));
  EXPECT_THAT(command_line, HasSubstr("--games-per-iteration 150"));
  EXPECT_THAT(command_line, HasSubstr("--noprogress"));
  EXPECT_THAT(command_line, HasSubstr("--out "));
}

TEST_F(TrainCli, TheModelIsTheSameForOneAndTwoThreadsApartFromTheRun) {
  nlohmann::json one =
      nlohmann::json::parse(read_text_file(train_model("one.json", 1)));
  nlohmann::json two =
      nlohmann::json::parse(read_text_file(train_model("two.json", 2)));
  EXPECT_EQ(one["run"]["threads"], 1);
  EXPECT_EQ(two["run"]["threads"], 2);
  one.erase("run");
  two.erase("run");
  EXPECT_EQ(one.dump(), two.dump());
}

TEST_F(TrainCli, EvolveAddsTheFitnessHistory) {
  const CliRun result = run(absl::StrCat(
      kTinyTraining,
      " --evolve --evolve-mu 2 --evolve-lambda 3 --evolve-generations 1 "
      "--evolve-games 10 --out ",
      path("model.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("[final] evolve"));
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("model.json")));
  EXPECT_EQ(model["evolution"]["best_fitness"].size(), 2u);
  EXPECT_EQ(model["evaluations"].back()["stage"], "evolution");
}

TEST_F(TrainCli, BadTrainingFlagsAreUsageErrors) {
  expect_usage_error("train --game tic-tac-toe --iterations 0",
                     "--iterations: must be");
  expect_usage_error("train --game tic-tac-toe --oracle greedy",
                     "--oracle must be random or mcts:N");
  expect_usage_error("train --game tic-tac-toe --oracle alphazero",
                     "--oracle: unknown player 'alphazero'");
  expect_usage_error("train --game tic-tac-toe --min-correlation 2",
                     "--min-correlation");
  expect_usage_error("train --game tic-tac-toe --vs random", "not expected");
  expect_usage_error("train --game tic-tac-toe --evolve --evolve-player random",
                     "--evolve-player must use the model");
  expect_usage_error(
      absl::StrCat("train --game tic-tac-toe --out ", path("no/such/dir/m")),
      "no/such/dir");
}

TEST_F(TrainCli, PlayReportsRatesWithIntervalsAndElo) {
  const std::string model = train_model("model.json");
  const CliRun result = run(absl::StrCat("play --game tic-tac-toe --model ",
                                         model, " --vs random --games 200"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("tic-tac-toe: greedy vs random, 200 games"));
  EXPECT_THAT(result.out, HasSubstr("Wilson 95% interval"));
  EXPECT_THAT(result.out, HasSubstr("Elo "));
  // The three counts add up to the games played.
  std::uint64_t total = 0;
  for (const char* label : {"won", "drew", "lost"}) {
    const std::size_t at = result.out.find(absl::StrCat("  ", label, " "));
    ASSERT_NE(at, std::string::npos) << label;
    total += std::stoull(result.out.substr(at + 9));
  }
  EXPECT_EQ(total, 200u);
  // The same games for another thread count.
  const CliRun again =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --vs random --games 200 --threads 2"));
  EXPECT_EQ(again.out, result.out);
}

TEST_F(TrainCli, SearchThreadsSplitEveryMctsPlayerIntoTrees) {
  const std::string model = train_model("m.json");
  const CliRun trees =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --player objective-mcts:8:2 --vs mcts:8 --games 20 "
                       "--search-threads 2"));
  ASSERT_EQ(trees.exit_code, 0) << trees.err;
  EXPECT_THAT(trees.out,
              HasSubstr("objective-mcts:8:2/2 vs mcts:8/2, 20 games"));
  // The same as writing the trees into the specs.
  const CliRun written = run(
      absl::StrCat("play --game tic-tac-toe --model ", model,
                   " --player objective-mcts:8:2/2 --vs mcts:8/2 --games 20"));
  EXPECT_EQ(written.out, trees.out);
  const CliRun too_many =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --vs mcts:8 --games 20 --search-threads 9"));
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_THAT(too_many.err, HasSubstr("--search-threads must be 1..8"));
}

TEST_F(TrainCli, PlayTakesAnObjectiveMctsPlayer) {
  const CliRun result = run(
      absl::StrCat("play --game tic-tac-toe --model ", train_model("m.json"),
                   " --player objective-mcts:8:2 --vs mcts:8 --games 20"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("objective-mcts:8:2 vs mcts:8, 20 games"));
}

TEST_F(TrainCli, BadModelFilesAreUsageErrors) {
  expect_usage_error("play --game tic-tac-toe", "--model must name");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ", path("absent.json")),
      "cannot read model");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ",
                   edited_model("missing.json",
                                [](nlohmann::json& json) {
                                  json["objectives"][0].erase("feature");
                                })),
      "objectives[0].feature is missing");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ",
                   edited_model("unknown.json",
                                [](nlohmann::json& json) {
                                  json["objectives"][0]["feature"] = "nope";
                                })),
      "objective feature 'nope' is not a feature of tic-tac-toe");
  expect_usage_error(absl::StrCat("play --game connect-four --model ",
                                  train_model("tic_tac_toe.json")),
                     "the model is for tic-tac-toe, not connect-four");
  expect_usage_error(absl::StrCat("play --game tic-tac-toe --model ",
                                  path("base.json"), " --vs chess"),
                     "--vs: unknown player 'chess'");
  expect_usage_error(absl::StrCat("play --game tic-tac-toe --model ",
                                  path("base.json"), " --games 0"),
                     "--games: must be");
}

}  // namespace
}  // namespace selfplay
