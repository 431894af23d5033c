// `selfplay train` and `selfplay play` as a user runs them: a progress line
// per stage, a model file that is the same for any thread count, an
// evaluation that reads it back, and one line with exit code 2 for bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "cli_runner.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::selfplay::testing::CliRun;
using ::selfplay::testing::read_text_file;
using ::selfplay::testing::run_cli;
using ::selfplay::testing::ScratchDirectory;
using ::testing::HasSubstr;

// A training of seconds: tic-tac-toe, 2 iterations of 150 games.
constexpr const char* kTinyTraining =
    "train --game tic-tac-toe --iterations 2 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 40 --seed 5 --noprogress";

class TrainCli : public ::testing::Test {
 protected:
  TrainCli()
      : directory_(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  CliRun run(const std::string& arguments) {
    return run_cli(directory_.path(), arguments);
  }
  std::string path(const std::string& name) const {
    return (directory_.path() / name).string();
  }
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

  ScratchDirectory directory_;
};

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
                     "--iterations must be");
  expect_usage_error("train --game tic-tac-toe --oracle greedy",
                     "--oracle must be random or mcts:N");
  expect_usage_error("train --game tic-tac-toe --oracle alphazero",
                     "--oracle: unknown player 'alphazero'");
  expect_usage_error("train --game tic-tac-toe --min-correlation 2",
                     "--min-correlation");
  expect_usage_error("train --game tic-tac-toe --vs random", "unknown flag");
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
                     "--games must be");
}

}  // namespace
}  // namespace selfplay
